"""The library's API (library/api.py): what a token reads is what its person reads on the pages — in lists,
details, searches and filters — and what it writes goes through the library's form, upload checks and
services. The model for every app's ``test_api.py``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.access import Visibility
from library.models import Resource
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization
from tests.library.conftest import pdf_upload

LIST = reverse("api:library-resource-list")


def detail(resource) -> str:
    return reverse("api:library-resource-detail", args=[resource.pk])


@pytest.fixture
def owner_only(add_resource, unodc_user):
    return add_resource(
        unodc_user, title="Owner-only assessment of UNODC", visibility=Visibility.OWNER,
        files=[pdf_upload(text="Confidential border findings.")],
    )  # fmt: skip


@pytest.fixture
def for_everyone(add_resource, unodc_user):
    return add_resource(unodc_user, title="Guidance for everyone", visibility=Visibility.PLATFORM)


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


def test_a_token_reads_what_its_person_reads_and_nothing_else(
    owner_only, for_everyone, unodc_user, kenya_user
):
    # given a token of UNODC's analyst and one of Kenya's focal point
    unodc, kenya = bearer(unodc_user, "library:read"), bearer(kenya_user, "library:read")
    # then the list, the detail and the file of the owner-only resource are UNODC's only
    assert titles(all_rows(unodc, LIST)) == {owner_only.title, for_everyone.title}
    assert titles(all_rows(kenya, LIST)) == {for_everyone.title}
    assert unodc.get(detail(owner_only)).status_code == 200
    missing = kenya.get(detail(Resource(pk=owner_only.pk + 1000)))
    hidden = kenya.get(detail(owner_only))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # the same answer for "not yours" and "not there"
    version = owner_only.documents.get().versions.get()
    download = reverse("api:library-file-download", args=[version.pk])
    assert kenya.get(download).status_code == 404
    response = unodc.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_searches_and_filters_never_reveal_what_the_caller_may_not_read(owner_only, kenya_user, unodc_user):
    kenya = bearer(kenya_user, "library:read")
    # when Kenya searches for the private resource's words, or filters on its owner and type
    unodc_id = organization("entity:UNODC").pk
    assert all_rows(kenya, LIST, q="Confidential border findings") == []
    assert all_rows(kenya, LIST, q="Owner-only assessment") == []
    assert owner_only.title not in titles(all_rows(kenya, LIST, organization=unodc_id, type="report"))
    # while UNODC's own token finds it by its words and its filters
    unodc = bearer(unodc_user, "library:read")
    assert titles(all_rows(unodc, LIST, q="border findings")) == {owner_only.title}
    assert owner_only.title in titles(all_rows(unodc, LIST, organization=unodc_id))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pillar": "²"}, "pillar"),  # a digit int() would take, not a number here
        ({"pillar": "abc"}, "pillar"),
        ({"year": "99999"}, "year"),
        ({"country": "kenya"}, "country"),
        ({"type": "novel"}, "type"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(kenya_user, params, field):
    response = bearer(kenya_user, "library:read").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url",
    [LIST + "?cursor=not-a-cursor", "/api/v1/library/resources/99999999999999999999999/", LIST + "²/"],
)
def test_bad_addresses_are_404s_not_errors(kenya_user, url):
    assert bearer(kenya_user, "library:read").get(url).status_code == 404


def test_page_size_is_bounded_and_bad_sizes_fall_back(add_resource, unodc_user):
    for number in range(3):
        add_resource(unodc_user, title=f"Resource {number}")
    client = bearer(unodc_user, "library:read")
    assert len(client.get(LIST, {"page_size": 2}).json()["results"]) == 2
    assert len(client.get(LIST, {"page_size": "²"}).json()["results"]) == 3
    assert len(all_rows(client, LIST, page_size=1)) == 3  # the cursor walks every page once


def test_a_page_costs_the_same_queries_whatever_its_length(add_resource, unodc_user):
    client = bearer(unodc_user, "library:read")
    add_resource(unodc_user, title="First", files=[pdf_upload()])
    few = queries_of(client, LIST)
    for number in range(6):
        add_resource(
            unodc_user, title=f"More {number}", files=[pdf_upload(f"r{number}.pdf", f"Text {number}.")]
        )
    assert queries_of(client, LIST) == few


def test_adding_a_resource_with_its_file(unodc_user):
    client = bearer(unodc_user, "library:write")
    # when UNODC's analyst uploads a report (the owner is their one organisation, as the page proposes)
    response = client.post(
        LIST, {"title": "Uploaded report", "resource_type": "report", "files": [pdf_upload()]}
    )
    # then it is stored, with its file, in UNODC's name, and answered as the list shows it
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"]["acronym"] == "UNODC"
    assert body["visibility"] == Visibility.PLATFORM
    (document,) = body["documents"]
    assert document["current"]["original_name"] == "report.pdf"
    assert document["current"]["kind"] == "pdf"
    assert Resource.objects.get(pk=body["id"]).author == unodc_user


def test_an_upload_is_checked_by_its_bytes_not_its_name(unodc_user):
    client = bearer(unodc_user, "library:write")
    program = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(LIST, {"title": "Disguised", "resource_type": "report", "files": [program]})
    assert response.status_code == 400
    assert "files" in response.json()
    assert not Resource.objects.filter(title="Disguised").exists()


def test_a_choice_the_caller_may_not_make_is_refused_with_nothing_stored(kenya_user):
    client = bearer(kenya_user, "library:write")
    body = {"title": "In UNODC's name", "resource_type": "report", "owner": organization("entity:UNODC").pk}
    response = client.post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not Resource.objects.filter(title="In UNODC's name").exists()


def test_json_bodies_and_partial_updates_keep_what_they_do_not_name(for_everyone, unodc_user):
    client = bearer(unodc_user, "library:write")
    response = client.patch(
        detail(for_everyone), {"summary": "Updated by a program."}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    for_everyone.refresh_from_db()
    assert for_everyone.summary == "Updated by a program."
    assert for_everyone.title == "Guidance for everyone"
    assert for_everyone.visibility == Visibility.PLATFORM


def test_a_reader_who_may_not_change_it_gets_a_403_and_nothing_changes(for_everyone, kenya_user):
    client = bearer(kenya_user, "library:write")
    response = client.patch(detail(for_everyone), {"title": "Taken over"}, content_type="application/json")
    assert response.status_code == 403
    assert client.delete(detail(for_everyone)).status_code == 403
    for_everyone.refresh_from_db()
    assert for_everyone.title == "Guidance for everyone"
    assert for_everyone.deleted_at is None


def test_deleting_moves_to_the_trash(for_everyone, unodc_user):
    client = bearer(unodc_user, "library:write")
    assert client.delete(detail(for_everyone)).status_code == 204
    assert client.get(detail(for_everyone)).status_code == 404
    assert Resource.objects.in_trash().filter(pk=for_everyone.pk).exists()  # restorable from the trash page


def test_a_read_token_cannot_write(for_everyone, unodc_user):
    client = bearer(unodc_user, "library:read")
    response = client.patch(detail(for_everyone), {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 403
    assert "library:write" in response.json()["detail"]
    assert client.post(LIST, {"title": "New", "resource_type": "report"}).status_code == 403


def test_a_services_own_refusal_is_a_400_next_to_its_field(unodc_user, monkeypatch):
    """A rule only the service sees (the page shows it next to the field) is a 400 naming that field."""
    from django.core.exceptions import ValidationError

    from library import services

    def refuse(**kwargs):
        raise ValidationError({"title": "A rule of the service refused it."})

    monkeypatch.setattr(services, "save_resource", refuse)
    body = {"title": "Refused", "resource_type": "report", "external_url": "https://example.org/r"}
    response = bearer(unodc_user, "library:write").post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"title": ["A rule of the service refused it."]}


def test_an_address_under_the_api_that_matches_nothing_is_a_json_404(kenya_user):
    client = bearer(kenya_user, "library:read")
    for url in ("/api/v1/library/resources/%C2%84/", "/api/v1/nothing-here/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    assert client.get("/nothing-here/")["Content-Type"].startswith("text/html")  # people still get the page
