"""Searching the library: inside the files, ranked, highlighted, faceted — and never past the audience."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.access import Visibility
from library import samples
from library.extraction import ExtractionStatus
from library.models import FileVersion, Passage
from tests.conftest import signed_in
from tests.library.conftest import pdf_upload, result_titles

pytestmark = pytest.mark.django_db

PHRASE = "The joint mobile patrols reduced cross-border smuggling of small arms in the Liptako-Gourma region."


def search(client, **params):
    return client.get(reverse("library:search"), params)


def test_a_phrase_inside_a_pdf_finds_the_resource_with_a_highlighted_snippet(add_resource, unodc_user):
    # given a resource whose PDF contains a sentence that is nowhere in its metadata
    add_resource(unodc_user, title="Annual report 2021", files=[pdf_upload(text=PHRASE)])
    version = FileVersion.objects.get()
    assert version.extraction_status == ExtractionStatus.SEARCHABLE
    assert Passage.objects.filter(version=version).exists()

    # when a user searches for a phrase from inside the file
    response = search(signed_in(unodc_user), q='"mobile patrols" smuggling')

    # then the resource is found, with the passage and the words highlighted
    assert response.status_code == 200
    assert result_titles(response) == ["Annual report 2021"]
    body = response.content.decode()
    assert "<mark>patrols</mark>" in body
    assert "Liptako" in body


def test_stemming_and_language_aware_matching(add_resource, unodc_user):
    # given an English and a French resource
    add_resource(unodc_user, title="Managing borders", files=[pdf_upload(text="Managing borders together.")])
    add_resource(
        unodc_user,
        title="Gestion des frontières",
        languages=["fr"],
        file_language="fr",
        files=[pdf_upload("fr.pdf", text="La gestion coordonnée des frontières.")],
    )
    client = signed_in(unodc_user)

    # then an inflected English word and a French plural find their documents
    assert result_titles(search(client, q="border management")) == ["Managing borders"]
    assert result_titles(search(client, q="frontière")) == ["Gestion des frontières"]


def test_related_terms_of_the_domain_find_each_other(add_resource, unodc_user):
    # given documents on "terrorism financing" and on "violent extremism", and one with neither
    add_resource(
        unodc_user, title="Countering terrorism financing", files=[pdf_upload(text="Funding flows.")]
    )
    add_resource(
        unodc_user, title="Annual review", files=[pdf_upload(text="Preventing violent extremism in schools.")]
    )
    add_resource(unodc_user, title="Aviation security")
    client = signed_in(unodc_user)

    # then the forms a stemmer keeps apart find each other, as do British and American spellings
    assert result_titles(search(client, q="terrorist financing")) == ["Countering terrorism financing"]
    assert result_titles(search(client, q="terrorist funding")) == ["Countering terrorism financing"]
    assert result_titles(search(client, q='"violent extremist"')) == ["Annual review"]
    assert result_titles(search(client, q="extremist -schools")) == []
    # and snippets mark the related word that was found
    assert "<mark>extremism</mark>" in search(client, q="extremist").content.decode()


def test_title_matches_rank_above_matches_in_the_text(add_resource, unodc_user):
    # given one resource about "victims" in its title, another only in its file, newer
    add_resource(unodc_user, title="Support to victims of terrorism", publication_date="2020-01-01")
    add_resource(
        unodc_user,
        title="Annual report",
        publication_date="2023-01-01",
        files=[pdf_upload(text="A chapter covers assistance to victims.")],
    )
    client = signed_in(unodc_user)

    # then relevance puts the title match first, and "newest first" the other way round
    assert result_titles(search(client, q="victims")) == ["Support to victims of terrorism", "Annual report"]
    newest_first = result_titles(search(client, q="victims", sort="date"))
    assert newest_first == ["Annual report", "Support to victims of terrorism"]


def test_websearch_syntax_or_and_minus(add_resource, unodc_user):
    add_resource(unodc_user, title="Aviation security", tags="aviation")
    add_resource(unodc_user, title="Maritime security", tags="maritime")
    client = signed_in(unodc_user)

    either = sorted(result_titles(search(client, q="aviation OR maritime")))
    assert either == ["Aviation security", "Maritime security"]
    assert result_titles(search(client, q="security -maritime")) == ["Aviation security"]


def test_snippets_never_show_text_of_a_resource_the_reader_may_not_see(add_resource, unodc_user, kenya_user):
    # given a UNODC-only resource whose file holds a secret sentence, and a public one sharing a word
    add_resource(
        unodc_user,
        title="Restricted assessment",
        visibility=Visibility.OWNER,
        files=[pdf_upload(text="Confidential: informant network in Mombasa port.")],
    )
    public = pdf_upload("p.pdf", text="Port security basics.")
    add_resource(unodc_user, title="Public port guidance", files=[public])

    # when Kenya's focal point searches for words of the secret sentence
    response = search(signed_in(kenya_user), q="informant network port")
    body = response.content.decode()

    # then neither the restricted resource nor any of its text appears
    assert "Restricted assessment" not in body
    assert "Mombasa" not in body
    assert result_titles(search(signed_in(kenya_user), q="port")) == ["Public port guidance"]


ODD_QUERIES = ["", "---", '"" OR -', "!!!", "x" * 10_000, "'; DROP TABLE library_resource; --", "a:* & | !("]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_give_a_normal_page(add_resource, unodc_user, query):
    add_resource(unodc_user, title="Anything")
    response = search(signed_in(unodc_user), q=query)
    assert response.status_code == 200


def test_an_operator_only_query_says_so(unodc_user):
    response = search(signed_in(unodc_user), q='- "" ---')
    assert "Type some words to search for" in response.content.decode()


def test_facets_count_what_the_reader_may_see(add_resource, unodc_user, kenya_user):
    # given two public reports, one public guidance and one UNODC-only report
    add_resource(unodc_user, title="R1", resource_type="report")
    add_resource(unodc_user, title="R2", resource_type="report", tags="victims")
    add_resource(unodc_user, title="G1", resource_type="guidance", tags="victims")
    add_resource(unodc_user, title="Secret", resource_type="report", visibility=Visibility.OWNER)

    # when Kenya's focal point filters by the theme "victims"
    response = search(signed_in(kenya_user), tag="victims")

    # then two resources are listed, and the type facet counts the reader's resources with that theme
    assert sorted(result_titles(response)) == ["G1", "R2"]
    facets = {facet["name"]: facet for facet in response.context["facets"]}
    assert {value: n for value, _label, n, _link in facets["type"]["values"]} == {"report": 1, "guidance": 1}
    # the chosen facet counts alternatives as if it were not chosen (the Secret report is not counted)
    assert {v: n for v, _l, n, _link in facets["tag"]["values"]}["victims"] == 2


def test_an_unknown_filter_value_is_named_in_a_message(unodc_user):
    response = search(signed_in(unodc_user), type="nonsense", year="abc", pillar="999999")
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_the_search_page_makes_the_same_queries_for_more_results(add_resource, unodc_user):
    client = signed_in(unodc_user)
    # (facets with values in both runs: label look-ups are per facet, not per value)
    add_resource(
        unodc_user, title="Border report one", countries=["NER"], files=[pdf_upload(text="border " + PHRASE)]
    )
    search(client, q="border")  # the session's first request does one-off work

    def count() -> int:
        cache.clear()  # facet counts computed, not read from the cache, in both runs
        with CaptureQueriesContext(connection) as queries:
            assert search(client, q="border", type="guidance").status_code == 200
        return len(queries)

    few = count()
    assert few == 20  # pinned: a change here is a change to look at
    for n in range(4):
        add_resource(
            unodc_user,
            title=f"Border report {n}",
            tags=f"theme {n}",
            countries=["KEN", "MLI"],
            files=[pdf_upload(f"{n}.pdf", text=f"border {n} {PHRASE}")],
        )
    assert count() == few


def test_every_supported_type_becomes_searchable(add_resource, unodc_user):
    # given one resource per document type, each with a distinctive word inside its file
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {
        "a.docx": samples.docx_bytes("T", ["wordalpha text"]),
        "a.xlsx": samples.xlsx_bytes([["excelbravo", 1]]),
        "a.pptx": samples.pptx_bytes([("Slide", "slidecharlie")]),
        "a.odt": samples.odt_bytes(["opendelta"]),
        "a.txt": b"plainecho",
        "a.csv": b"name,value\ncsvfoxtrot,1\n",
    }
    for name, data in files.items():
        add_resource(unodc_user, title=f"File {name}", files=[SimpleUploadedFile(name, data)])
    client = signed_in(unodc_user)
    for word, name in [
        ("wordalpha", "a.docx"),
        ("excelbravo", "a.xlsx"),
        ("slidecharlie", "a.pptx"),
        ("opendelta", "a.odt"),
        ("plainecho", "a.txt"),
        ("csvfoxtrot", "a.csv"),
    ]:
        assert result_titles(search(client, q=word)) == [f"File {name}"], word


def test_a_hit_whose_words_are_in_different_passages_still_gets_a_snippet(add_resource, unodc_user):
    # given a file where two searched words are thousands of characters apart (different passages)
    filler = "Regional cooperation continued throughout the year. " * 60
    text = f"The quartermaster reviewed the stocks. {filler} The lighthouse keeper raised the alarm."
    add_resource(unodc_user, title="Logistics review", files=[pdf_upload(text=text)])

    # when both words are searched
    response = search(signed_in(unodc_user), q="quartermaster lighthouse")

    # then the resource is found and its snippet highlights at least one of them
    assert result_titles(response) == ["Logistics review"]
    assert re.search(r"<mark>(quartermaster|lighthouse)</mark>", response.content.decode(), re.I)
