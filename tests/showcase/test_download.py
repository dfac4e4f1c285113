"""The library's one download view, opened to anonymous visitors for the files of public resources only:
every other case answers as it did (a visitor to the sign-in page, whether the file exists or not)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from core.models import SecurityEvent
from directory.access import Visibility
from library.models import Resource
from tests.conftest import organization, signed_in
from tests.permission_matrix import APP_MODULES

# the library's matrix stores a file for its rows: the same helper here (through the matrix, which loads it)
_with_file = next(module for module in APP_MODULES if module.__name__ == "tests.library.matrix")._with_file


def file_of(visibility: str):
    resource = Resource.objects.create(
        title=f"Report {visibility}", resource_type="report", owner=organization("entity:UNODC"),
        visibility=visibility,
    )  # fmt: skip
    return _with_file(resource)


def test_a_visitor_downloads_a_public_resources_file(compact):
    version = file_of(Visibility.PUBLIC)
    response = Client().get(reverse("library:download", args=[version.pk]))
    # then the file comes as an attachment, with the same protective headers as for anyone
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_visitor_is_sent_to_sign_in_for_any_other_file_existing_or_not(compact):
    login = reverse("account_login")
    for version_id in (file_of(Visibility.PLATFORM).pk, file_of(Visibility.OWNER).pk, 999_999):
        response = Client().get(reverse("library:download", args=[version_id]))
        assert response.status_code == 302
        assert response["Location"].startswith(login)


def test_signed_in_readers_keep_their_answers(compact, make_user):
    owner_only = file_of(Visibility.OWNER)
    outsider = signed_in(make_user("outsider@example.org"))
    # a file one may not read is a 404, like one that does not exist
    assert outsider.get(reverse("library:download", args=[owner_only.pk])).status_code == 404
    assert outsider.get(reverse("library:download", args=[999_999])).status_code == 404
    # a public file is downloaded by anyone signed in, and not logged (no restricted download happened)
    before = SecurityEvent.objects.count()
    response = outsider.get(reverse("library:download", args=[file_of(Visibility.PUBLIC).pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # read through: closes the file, as a WSGI server would
    assert SecurityEvent.objects.count() == before
