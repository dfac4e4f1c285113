"""The trash: deleting moves a resource out of every page (search, its page, its files) into the trash of
its owner organisation, where the owner's people or the Secretariat restore it as it was. Purging — the
resource, its rows and its files gone for good — is for the owner organisation's administrators and the
Secretariat, recorded in the security log; the audit trail of the rows stays.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import SecurityEvent, SecurityEventKind
from directory.access import Visibility
from directory.models import MembershipRole
from library import samples
from library.models import Document, FileVersion, Passage, Resource
from tests.conftest import organization, signed_in
from tests.library.conftest import search_titles
from tests.pages import words

pytestmark = pytest.mark.django_db

ResourceEvent = apps.get_model("library", "ResourceEvent")
FileVersionEvent = apps.get_model("library", "FileVersionEvent")
REPORT = samples.pdf_bytes("Report", ["Cooperation between financial intelligence units in East Africa."])


def stored_files(settings) -> set[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def as_it_is(resource: Resource) -> dict:
    """What a restore must bring back: the metadata, the audience and the files."""
    fields = Resource.objects.values(
        "title", "summary", "resource_type", "visibility", "owner", "tags", "languages", "publication_date"
    ).get(pk=resource.pk)
    files = list(
        FileVersion.objects.filter(document__resource=resource)
        .order_by("pk")
        .values_list("pk", "number", "is_current", "sha256", "file", "extraction_status")
    )
    return {**fields, "files": files, "passages": Passage.objects.filter(resource=resource).count()}


def trash(client, resource: Resource):
    return client.post(reverse("library:trash_resource", args=[resource.pk]))


def restore(client, resource: Resource):
    return client.post(reverse("library:restore", args=[resource.pk]))


def purge(client, resource: Resource):
    return client.post(reverse("library:purge", args=[resource.pk]))


def download_status(client, version: FileVersion) -> int:
    response = client.get(reverse("library:download", args=[version.pk]))
    if response.status_code == 200:
        b"".join(response.streaming_content)  # read to the end, which closes the file
    return response.status_code


def trash_rows(client) -> list[str]:
    """The trash page's rows, as text."""
    body = client.get(reverse("library:trash")).content.decode()
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, flags=re.S).group(1)
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr>(.*?)</tr>", tbody, flags=re.S)
    ]


@pytest.fixture
def unodc_admin(make_user):
    return make_user(
        "admin@unodc.example.org",
        organization=organization("entity:UNODC"),
        role=MembershipRole.ORGANIZATION_ADMIN,
        full_name="Olga Admin",
    )


@pytest.fixture
def report(add_resource, unodc_user):
    """A platform-wide UNODC resource with a searchable PDF."""
    return add_resource(
        unodc_user,
        title="Financial intelligence cooperation",
        summary="How units share information.",
        files=[SimpleUploadedFile("fiu.pdf", REPORT)],
    )


@pytest.fixture
def restricted(add_resource, unodc_user):
    """A UNODC-only resource, which neither Kenya nor the Secretariat may read."""
    return add_resource(
        unodc_user,
        title="Informant handling protocol",
        visibility=Visibility.OWNER,
        files=[SimpleUploadedFile("protocol.pdf", samples.pdf_bytes("Protocol", ["Handling sources."]))],
    )


# --- Moving to the trash ------------------------------------------------------------------------------------


def test_the_owners_people_move_a_resource_to_the_trash_and_it_disappears(report, unodc_user, kenya_user):
    # given a resource everyone finds, reads and downloads
    owner, reader = signed_in(unodc_user), signed_in(kenya_user)
    version = FileVersion.objects.get(document__resource=report)
    assert search_titles(reader, "financial intelligence") == [report.title]

    # when one of the owner organisation's people moves it to the trash
    response = trash(owner, report)

    # then they land on the trash page, told so
    assert response.status_code == 302
    assert response["Location"] == reverse("library:trash")
    assert f"“{report.title}” was moved to the trash." in words(owner.get(response["Location"]))
    report.refresh_from_db()
    assert report.deleted_by == unodc_user
    # and the resource is gone from search, its page and its files, for everyone
    for client in (owner, reader):
        assert search_titles(client, "financial intelligence") == []
        assert search_titles(client, "units") == []
        assert client.get(report.get_absolute_url()).status_code == 404
        assert download_status(client, version) == 404
    # but nothing was deleted
    assert FileVersion.objects.filter(pk=version.pk).exists()


def test_only_the_owners_people_move_a_resource_to_the_trash(report, restricted, kenya_user, secretariat):
    # Kenya and the Secretariat may read the platform-wide resource: refused (403)
    assert trash(signed_in(kenya_user), report).status_code == 403
    assert trash(signed_in(secretariat), report).status_code == 403
    # Kenya may not even see the UNODC-only one: 404, as if it did not exist
    assert trash(signed_in(kenya_user), restricted).status_code == 404
    assert not Resource.objects.in_trash().exists()
    # and the page of a resource offers the button only to its owner's people
    body = signed_in(kenya_user).get(report.get_absolute_url()).content.decode()
    assert reverse("library:trash_resource", args=[report.pk]) not in body


def test_a_resource_already_in_the_trash_cannot_be_trashed_again(report, unodc_user):
    client = signed_in(unodc_user)
    trash(client, report)

    assert trash(client, report).status_code == 404


# --- The trash page -----------------------------------------------------------------------------------------


def test_the_trash_lists_the_owners_resources_and_the_secretariat_sees_no_hidden_title(
    report, restricted, unodc_user, kenya_user, secretariat
):
    # given both UNODC resources in the trash
    owner = signed_in(unodc_user)
    trash(owner, report)
    trash(owner, restricted)

    # then UNODC's people see both titles, who deleted them, and may restore them
    rows = trash_rows(owner)
    assert len(rows) == 2
    assert any(report.title in row and unodc_user.full_name in row and "Restore" in row for row in rows)
    assert any(restricted.title in row for row in rows)
    # (a focal point may not purge)
    assert all("Delete for good" not in row for row in rows)

    # and the Secretariat sees both, the one it could not read only by number
    rows = trash_rows(signed_in(secretariat))
    assert len(rows) == 2
    assert any(report.title in row for row in rows)
    assert any(f"Restricted resource no. {restricted.pk}" in row for row in rows)
    body = signed_in(secretariat).get(reverse("library:trash")).content.decode()
    assert restricted.title not in body
    assert all("Restore" in row and "Delete for good" in row for row in rows)

    # and another organisation's trash does not hold them
    assert trash_rows(signed_in(kenya_user)) == ["The trash is empty."]


# --- Restoring ----------------------------------------------------------------------------------------------


def test_the_owners_people_restore_a_resource_as_it_was(report, unodc_user, kenya_user):
    # given a resource moved to the trash
    owner = signed_in(unodc_user)
    version = FileVersion.objects.get(document__resource=report)
    before = as_it_is(report)
    trash(owner, report)

    # when one of the owner's people restores it
    response = restore(owner, report)

    # then they are taken to it, and it is back as it was: page, search, file
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert "Resource restored." in words(owner.get(response["Location"]))
    assert as_it_is(report) == before
    reader = signed_in(kenya_user)
    assert reader.get(report.get_absolute_url()).status_code == 200
    assert search_titles(reader, "financial intelligence") == [report.title]
    assert search_titles(reader, "units") == [report.title]
    assert download_status(reader, version) == 200
    assert trash_rows(owner) == ["The trash is empty."]


def test_the_secretariat_restores_a_resource_it_cannot_read(restricted, unodc_user, secretariat):
    # given a UNODC-only resource in the trash
    trash(signed_in(unodc_user), restricted)
    client = signed_in(secretariat)

    # when the Secretariat restores it from the trash
    response = restore(client, restricted)

    # then it is back for UNODC, and the Secretariat, who still may not read it, stays on the trash page
    assert response.status_code == 302
    assert response["Location"] == reverse("library:trash")
    assert restricted.title not in words(client.get(response["Location"]))
    assert signed_in(unodc_user).get(restricted.get_absolute_url()).status_code == 200
    assert client.get(restricted.get_absolute_url()).status_code == 404


def test_restore_and_purge_outside_the_users_trash_are_404(report, restricted, unodc_user, kenya_user):
    owner = signed_in(unodc_user)
    # a resource not in the trash: 404, even for its owner's people
    assert restore(owner, report).status_code == 404
    assert purge(owner, report).status_code == 404
    # another organisation's trash: 404, whether or not they could read the resource
    trash(owner, report)
    trash(owner, restricted)
    reader = signed_in(kenya_user)
    for resource in (report, restricted):
        assert restore(reader, resource).status_code == 404
        assert purge(reader, resource).status_code == 404
    # a resource that does not exist: 404
    assert restore(owner, Resource(pk=report.pk + 10_000)).status_code == 404
    # and nothing changed
    assert Resource.objects.in_trash().count() == 2


# --- Purging ------------------------------------------------------------------------------------------------


def test_a_focal_point_of_the_owner_may_not_purge(report, unodc_user, settings):
    client = signed_in(unodc_user)
    trash(client, report)
    files = stored_files(settings)

    assert purge(client, report).status_code == 403
    assert Resource.objects.in_trash().filter(pk=report.pk).exists()
    assert stored_files(settings) == files


@pytest.mark.parametrize("who", ["unodc_admin", "secretariat"])
def test_purging_removes_rows_and_files_and_is_recorded(
    request, report, unodc_user, who, settings, django_capture_on_commit_callbacks
):
    # given a resource with two versions of its file, in the trash
    owner = signed_in(unodc_user)
    document = Document.objects.get(resource=report)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            reverse("library:add_version", args=[document.pk]),
            {"file": SimpleUploadedFile("fiu-2.pdf", samples.pdf_bytes("Report", ["Second version."]))},
        )
    versions = list(FileVersion.objects.filter(document=document))
    assert len(versions) == 2
    assert {version.file.name for version in versions} <= stored_files(settings)
    trash(owner, report)
    user = request.getfixturevalue(who)

    # when the owner's administrator (or the Secretariat) deletes it for good
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(user).post(reverse("library:purge", args=[report.pk]), follow=True)

    # then they are told, and the resource, its documents, versions, passages and files are gone
    assert response.status_code == 200
    assert "Resource deleted for good." in words(response)
    assert not Resource.objects.filter(pk=report.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not FileVersion.objects.filter(pk__in=[version.pk for version in versions]).exists()
    assert not Passage.objects.filter(version__in=versions).exists()
    assert stored_files(settings) == set()
    assert download_status(owner, versions[0]) == 404
    # and the purge is in the security log: who, which resource and which files
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PURGE)
    assert event.user == user
    assert event.detail["resource"] == report.pk
    assert "title" not in event.detail  # the log is the Secretariat's; the title may be restricted
    assert sorted(event.detail["files"]) == sorted(version.sha256 for version in versions)
    # and the audit trail of its rows stays, down to their deletion
    labels = list(
        ResourceEvent.objects.filter(pgh_obj_id=report.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )
    assert labels[0] == "insert"
    assert labels[-1] == "delete"
    assert "update" in labels  # (the move to the trash)
    deleted = ResourceEvent.objects.get(pgh_obj_id=report.pk, pgh_label="delete")
    assert deleted.title == report.title
    assert deleted.deleted_by_id == unodc_user.pk
    assert FileVersionEvent.objects.filter(
        pgh_obj_id__in=[version.pk for version in versions], pgh_label="delete"
    ).count() == len(versions)


def test_the_purge_button_is_shown_only_to_those_who_may_purge(report, unodc_user, unodc_admin):
    trash(signed_in(unodc_user), report)

    assert all("Delete for good" not in row for row in trash_rows(signed_in(unodc_user)))
    assert all("Delete for good" in row for row in trash_rows(signed_in(unodc_admin)))


def test_purging_keeps_another_resources_copy_of_the_same_file(
    add_resource, restricted, unodc_admin, kenya_user, settings, django_capture_on_commit_callbacks
):
    # given Kenya's resource holding the very file of UNODC's restricted resource (which Kenya cannot see,
    # so the upload went ahead as a copy of its own)
    original = FileVersion.objects.get(document__resource=restricted)
    with original.file.open("rb") as handle:
        data = handle.read()
    kenya = add_resource(
        kenya_user,
        owner_key="state:KEN",
        title="Kenya's copy",
        files=[SimpleUploadedFile("copy.pdf", data)],
    )
    copy = FileVersion.objects.get(document__resource=kenya)
    assert copy.sha256 == original.sha256

    # when UNODC's administrator moves the restricted resource to the trash and purges it
    admin = signed_in(unodc_admin)
    trash(admin, restricted)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge(admin, restricted).status_code == 302

    # then only UNODC's file is gone: Kenya's copy still downloads, byte for byte
    assert stored_files(settings) == {copy.file.name}
    response = signed_in(kenya_user).get(reverse("library:download", args=[copy.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
