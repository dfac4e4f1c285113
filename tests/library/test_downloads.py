"""Downloads: only through the permission-checked view, always as an attachment under the file's safe name,
served with the type decided by its content (never as a web page), never sniffed, never kept by shared
caches and sandboxed should a browser render it anyway. A file the reader may not see is a 404, exactly
like one that does not exist; downloads of restricted files are in the security log.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import SecurityEvent, SecurityEventKind
from directory.access import Visibility
from library import samples
from library.models import FileVersion
from tests.conftest import signed_in
from tests.pages import words

pytestmark = pytest.mark.django_db

FILES = [
    pytest.param("report.pdf", lambda: samples.pdf_bytes("Report", ["Text."]), "application/pdf", id="pdf"),
    pytest.param(
        "notes.docx",
        lambda: samples.docx_bytes("Notes", ["Text."]),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        id="docx",
    ),
    pytest.param("chart.png", samples.png_bytes, "image/png", id="png"),
    pytest.param("figures.csv", lambda: b"country,cases\nKEN,3\n", "text/csv; charset=utf-8", id="csv"),
    # plain text named like a web page: served (and named) as the text it is, never as HTML
    pytest.param("notes.txt", lambda: b"Meeting notes.\n", "text/plain; charset=utf-8", id="txt"),
]


def add_file(add_resource, user, name: str, data: bytes, **fields) -> FileVersion:
    resource = add_resource(user, files=[SimpleUploadedFile(name, data)], **fields)
    return FileVersion.objects.get(document__resource=resource)


def download(client, version_pk: int):
    return client.get(reverse("library:download", args=[version_pk]))


def downloaded(client, version_pk: int) -> bytes:
    """The file's bytes (reading them all also closes the file, as a WSGI server would)."""
    response = download(client, version_pk)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("name", "make", "content_type"), FILES)
def test_a_download_is_an_attachment_with_safe_headers(add_resource, unodc_user, name, make, content_type):
    # given a resource with a real file
    data = make()
    version = add_file(add_resource, unodc_user, name, data)

    # when a reader downloads it
    response = download(signed_in(unodc_user), version.pk)

    # then it comes as an attachment under its name, with the type its content has
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == content_type
    # never sniffed, never kept by a shared cache, sandboxed if rendered anyway
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    # and the bytes are the uploaded ones
    assert b"".join(response.streaming_content) == data


def test_text_named_like_a_web_page_is_never_served_as_html(add_resource, unodc_user):
    # given plain text uploaded under a .html name
    version = add_file(add_resource, unodc_user, "minutes.html", b"Minutes of the meeting of 3 May.\n")

    # when it is downloaded
    response = download(signed_in(unodc_user), version.pk)

    # then it is plain text, offered as minutes.txt
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"] == 'attachment; filename="minutes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Minutes of the meeting of 3 May.\n"


def test_a_name_beyond_ascii_is_offered_encoded(add_resource, unodc_user):
    version = add_file(
        add_resource, unodc_user, "Stratégie régionale.pdf", samples.pdf_bytes("Stratégie", ["Texte."])
    )

    response = download(signed_in(unodc_user), version.pk)

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Strat%C3%A9gie%20r%C3%A9gionale.pdf"
    )
    b"".join(response.streaming_content)


def test_a_file_the_reader_may_not_see_is_a_404_like_a_missing_one(add_resource, unodc_user, kenya_user):
    # given a UNODC-only resource with a file
    version = add_file(
        add_resource,
        unodc_user,
        "assessment.pdf",
        samples.pdf_bytes("Assessment", ["Restricted."]),
        title="Restricted assessment",
        visibility=Visibility.OWNER,
    )
    client = signed_in(kenya_user)

    # when Kenya's focal point asks for it, and for a file that does not exist
    hidden = download(client, version.pk)
    missing = download(client, version.pk + 10_000)

    # then both are the same 404, naming nothing
    assert hidden.status_code == missing.status_code == 404
    assert words(hidden) == words(missing).replace(str(version.pk + 10_000), str(version.pk))
    assert b"Restricted assessment" not in hidden.content
    assert b"assessment.pdf" not in hidden.content
    assert "Content-Disposition" not in hidden
    # and no download was recorded
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.DOWNLOAD).exists()


def test_signed_out_visitors_are_sent_to_sign_in(add_resource, unodc_user, client):
    version = add_file(add_resource, unodc_user, "report.pdf", samples.pdf_bytes("Report", ["Text."]))

    response = download(client, version.pk)

    assert response.status_code == 302
    assert "Content-Disposition" not in response


def test_a_file_of_a_resource_in_the_trash_is_a_404(add_resource, unodc_user):
    # given a resource with a file, moved to the trash by its owner
    version = add_file(add_resource, unodc_user, "report.pdf", samples.pdf_bytes("Report", ["Text."]))
    client = signed_in(unodc_user)
    downloaded(client, version.pk)
    trashed = client.post(reverse("library:trash_resource", args=[version.document.resource_id]))
    assert trashed.status_code == 302

    # then its file is no longer served, even to the owner's people
    assert download(client, version.pk).status_code == 404


def test_downloads_of_restricted_files_are_in_the_security_log(add_resource, unodc_user):
    # given a UNODC-only resource and a platform-wide one, each with a file
    restricted = add_file(
        add_resource,
        unodc_user,
        "internal.pdf",
        samples.pdf_bytes("Internal", ["Internal."]),
        visibility=Visibility.OWNER,
    )
    public = add_file(add_resource, unodc_user, "public.pdf", samples.pdf_bytes("Public", ["Public."]))
    client = signed_in(unodc_user)

    # when a UNODC analyst downloads both
    downloaded(client, restricted.pk)
    downloaded(client, public.pk)

    # then the restricted download is recorded with who, what and where; the public one is not
    event = SecurityEvent.objects.get(kind=SecurityEventKind.DOWNLOAD)
    assert event.user == unodc_user
    assert event.detail == {"resource": restricted.document.resource_id, "version": restricted.pk}
    assert event.path == reverse("library:download", args=[restricted.pk])
