"""Version history: a new upload never replaces the old one. Every version stays downloadable with its own
bytes, numbered in order, with who uploaded it and when; only the newest is current. Only people who may
change a resource add versions or files; a translation is another document, in its language.
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from directory.access import Visibility
from library import samples
from library.extraction import ExtractionStatus
from library.models import Document, FileVersion, Resource
from tests.conftest import organization, signed_in
from tests.pages import headings, words

pytestmark = pytest.mark.django_db

VERSION_TEXTS = [
    "First draft of the regional strategy on border security.",
    "Second draft, with the comments of the Member States.",
    "Final text, as adopted by the Working Group.",
]


def stored_files(settings) -> set[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def version_rows(response) -> list[str]:
    """The rows of the resource page's version tables, as text."""
    body = response.content.decode()
    tables = re.findall(r"<tbody>(.*?)</tbody>", body, flags=re.S)
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for table in tables
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    ]


def download(client, version: FileVersion):
    response = client.get(reverse("library:download", args=[version.pk]))
    content = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, content


def pdf(text: str) -> bytes:
    return samples.pdf_bytes("Regional strategy", [text])


@pytest.fixture
def colleague(make_user):
    return make_user(
        "editor@unodc.example.org", organization=organization("entity:UNODC"), full_name="Beatriz Editor"
    )


@pytest.fixture
def strategy(add_resource, unodc_user):
    """A platform-wide UNODC resource whose one document holds version 1."""
    return add_resource(
        unodc_user,
        title="Regional strategy",
        files=[SimpleUploadedFile("strategy.pdf", pdf(VERSION_TEXTS[0]))],
    )


def upload_version(client, document: Document, data: bytes, name: str = "strategy.pdf", **extra):
    return client.post(
        reverse("library:add_version", args=[document.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
        **extra,
    )


def test_every_version_stays_downloadable_numbered_with_who_and_when(
    strategy, unodc_user, colleague, django_capture_on_commit_callbacks
):
    # given a resource whose document holds version 1, uploaded by UNODC's analyst
    document = Document.objects.get(resource=strategy)

    # when a colleague uploads version 2, then the analyst version 3, through the resource page
    with django_capture_on_commit_callbacks(execute=True):
        second = upload_version(signed_in(colleague), document, pdf(VERSION_TEXTS[1]), "strategy-v2.pdf")
    assert "Version 2 uploaded." in words(second)
    with django_capture_on_commit_callbacks(execute=True):
        third = upload_version(signed_in(unodc_user), document, pdf(VERSION_TEXTS[2]), "strategy-v3.pdf")
    assert "Version 3 uploaded." in words(third)

    # then the document has versions 1, 2 and 3, only the newest current
    versions = list(document.versions.order_by("number"))
    assert [version.number for version in versions] == [1, 2, 3]
    assert [version.is_current for version in versions] == [False, False, True]
    assert [version.uploaded_by for version in versions] == [unodc_user, colleague, unodc_user]

    # and each downloads with its own bytes, for anyone who may see the resource
    reader = signed_in(colleague)
    for version, text in zip(versions, VERSION_TEXTS, strict=True):
        assert download(reader, version) == (200, pdf(text))

    # and the resource page lists them newest first, with who uploaded each and when, one "current"
    moments = [datetime.datetime(2024, 3, day, 9, 30, tzinfo=datetime.UTC) for day in (4, 11, 18)]
    for version, moment in zip(versions, moments, strict=True):
        FileVersion.objects.filter(pk=version.pk).update(uploaded_at=moment)
    page = reader.get(strategy.get_absolute_url())
    assert page.status_code == 200
    rows = version_rows(page)
    assert len(rows) == 3
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        when = [date_filter(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") for moment in moments]
    expected = [
        ("3 current", "strategy-v3.pdf", when[2], unodc_user.full_name),
        ("2", "strategy-v2.pdf", when[1], colleague.full_name),
        ("1", "strategy.pdf", when[0], unodc_user.full_name),
    ]
    for row, (number, name, moment, who) in zip(rows, expected, strict=True):
        assert row.startswith(f"{number} {name} ")
        assert f"{moment} · {who}" in row
    assert sum("current" in row for row in rows) == 1
    # each row links to its own version's download
    body = page.content.decode()
    for version in versions:
        assert f'href="{reverse("library:download", args=[version.pk])}"' in body


def test_the_current_version_is_what_search_reads(strategy, unodc_user, django_capture_on_commit_callbacks):
    # given a resource whose second version has different text
    document = Document.objects.get(resource=strategy)
    client = signed_in(unodc_user)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(client, document, pdf(VERSION_TEXTS[1]))

    # then only the current version's file carries the resource's searchable text
    current = document.versions.get(is_current=True)
    assert current.number == 2
    assert current.extraction_status == ExtractionStatus.SEARCHABLE
    assert "comments of the Member States" in current.extracted_text


def test_the_identical_file_as_a_new_version_is_refused(settings, strategy, unodc_user):
    # given a document whose current version is a file
    document = Document.objects.get(resource=strategy)
    before = stored_files(settings)

    # when the very same file is uploaded as its new version, under another name
    response = upload_version(signed_in(unodc_user), document, pdf(VERSION_TEXTS[0]), "renamed.pdf")

    # then the resource page says so, and no version is added
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == strategy.get_absolute_url()
    assert "This file is identical to the current version." in words(response)
    assert list(document.versions.values_list("number", "is_current")) == [(1, True)]
    assert stored_files(settings) == before


def test_a_reader_from_another_organisation_may_not_add_a_version(strategy, kenya_user):
    # given a platform-wide resource of UNODC, which Kenya's focal point may read
    document = Document.objects.get(resource=strategy)
    client = signed_in(kenya_user)
    assert client.get(strategy.get_absolute_url()).status_code == 200

    # when they try to upload a version or add a file
    version = upload_version(client, document, pdf("Kenya's own text."))
    added = client.post(
        reverse("library:add_document", args=[strategy.pk]),
        {"file": SimpleUploadedFile("ken.pdf", pdf("Kenya's file."))},
    )

    # then both are refused (403: the resource is no secret to them), and nothing is added
    assert version.status_code == 403
    assert added.status_code == 403
    assert FileVersion.objects.count() == 1
    assert Document.objects.count() == 1
    # and the resource page offers them no upload form
    body = client.get(strategy.get_absolute_url()).content.decode()
    assert reverse("library:add_version", args=[document.pk]) not in body
    assert reverse("library:add_document", args=[strategy.pk]) not in body


def test_someone_who_cannot_see_the_resource_gets_a_404(add_resource, unodc_user, kenya_user):
    # given a UNODC-only resource with a file
    hidden = add_resource(
        unodc_user,
        title="Internal review",
        visibility=Visibility.OWNER,
        files=[SimpleUploadedFile("review.pdf", pdf("Internal."))],
    )
    document = Document.objects.get(resource=hidden)
    client = signed_in(kenya_user)

    # when Kenya's focal point posts a version or a file to it
    version = upload_version(client, document, pdf("Probe."))
    added = client.post(
        reverse("library:add_document", args=[hidden.pk]),
        {"file": SimpleUploadedFile("probe.pdf", pdf("Probe."))},
    )

    # then it is a 404, as for a document that does not exist, and nothing is added
    missing = upload_version(client, Document(pk=document.pk + 10_000), pdf("Probe."))
    assert version.status_code == added.status_code == missing.status_code == 404
    assert "Internal review" not in version.content.decode()
    assert FileVersion.objects.count() == 1


def test_a_translation_is_added_as_a_second_document_with_its_language(
    strategy, unodc_user, django_capture_on_commit_callbacks
):
    # given a resource in English
    client = signed_in(unodc_user)
    french = samples.pdf_bytes("Stratégie régionale", ["La gestion coordonnée des frontières."])

    # when its French translation is added as another file, in French
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library:add_document", args=[strategy.pk]),
            {"file": SimpleUploadedFile("strategie.pdf", french), "language": "fr", "label": ""},
            follow=True,
        )

    # then the resource has two documents, the second in French, each with its own version 1
    assert response.status_code == 200
    assert "File added." in words(response)
    english, translation_document = Document.objects.filter(resource=strategy).order_by("id")
    assert (english.language, translation_document.language) == ("en", "fr")
    assert [v.number for v in translation_document.versions.all()] == [1]
    assert Resource.objects.get(pk=strategy.pk).languages == ["en", "fr"]
    # and the page shows the French document under its language, downloadable
    assert "French" in headings(response, 3)
    version = translation_document.versions.get()
    assert download(client, version) == (200, french)
    # and its text is found by a French search (French stemming: "frontière" finds "frontières")
    results = client.get(reverse("library:search"), {"q": "frontière"})
    assert "Regional strategy" in words(results)
