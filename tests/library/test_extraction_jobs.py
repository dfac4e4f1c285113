"""The text-extraction job, as it runs after an upload commits (``library.tasks.extract_version_text``, over
``library.services.extract_text``): files whose text cannot be read are still saved, downloadable and
marked "not searchable" wherever they are listed; the job never runs twice at once for a file (a
PostgreSQL advisory lock), does nothing once done, gives up after a few crashed attempts, is sent again
when it was lost, and a new version replaces the old text in search.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from library import samples, services, tasks
from library.extraction import ExtractionStatus
from library.models import Document, FileVersion, Passage
from tests.conftest import organization, signed_in
from tests.library.conftest import resource_data, search_titles
from tests.pages import words

pytestmark = pytest.mark.django_db

SAHEL = "Joint patrols in the Liptako-Gourma region reduced the smuggling of small arms."
CHAD = "Fishermen of the Lake Chad basin now report suspicious boats to a hotline."


def upload(client, name: str, data: bytes, **fields):
    """Add a resource with one file through the page (its extraction job is enqueued on commit)."""
    data_fields = resource_data(organization("entity:UNODC"), file_language="en", **fields)
    response = client.post(reverse("library:new"), {**data_fields, "files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 302, words(response)
    return response


def downloaded(client, version: FileVersion) -> bytes:
    response = client.get(reverse("library:download", args=[version.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def pending(unodc_user, django_capture_on_commit_callbacks):
    """A PDF version whose extraction job was enqueued but has not run (as when the worker has not taken
    it yet, or died)."""
    with django_capture_on_commit_callbacks() as jobs:
        upload(
            signed_in(unodc_user),
            "sahel.pdf",
            samples.pdf_bytes("Sahel", [SAHEL]),
            title="Sahel border report",
        )
    assert len(jobs) == 1
    version = FileVersion.objects.get()
    assert version.extraction_status == ExtractionStatus.PENDING
    return version


@pytest.fixture
def other_session():
    """A second database session, as another worker would have (the lock needs no row, so the test
    transaction's uncommitted rows need not be visible to it)."""
    connection.ensure_connection()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    session = psycopg.connect(**params, autocommit=True)
    yield session
    session.close()


# --- Files that cannot be read are saved, downloadable and marked ------------------------------------------

UNREADABLE = [
    pytest.param(
        "scan.pdf",
        samples.scanned_pdf_bytes,
        ExtractionStatus.NO_TEXT,
        "Not searchable: no text found (a scanned document or an image?)",
        id="scanned",
    ),
    pytest.param(
        "locked.pdf",
        lambda: samples.encrypted_pdf_bytes("Names of the informants."),
        ExtractionStatus.ENCRYPTED,
        "Not searchable: the file is password-protected",
        id="encrypted",
    ),
    pytest.param(
        "broken.pdf",
        samples.corrupt_pdf_bytes,
        ExtractionStatus.FAILED,
        "Not searchable: the file could not be read",
        id="corrupt",
    ),
]


@pytest.mark.parametrize(("name", "make", "status", "marker"), UNREADABLE)
def test_an_unreadable_pdf_is_saved_downloadable_and_marked_not_searchable(
    unodc_user, django_capture_on_commit_callbacks, name, make, status, marker
):
    # given a PDF whose text cannot be extracted
    data = make()
    client = signed_in(unodc_user)

    # when it is uploaded and its extraction job runs
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, name, data, title="Unreadable annex")

    # then it is saved, with the status saying why it is not searchable, and downloads intact
    version = FileVersion.objects.get()
    assert version.extraction_status == status
    assert version.extracted_text == ""
    assert version.extracted_at is not None
    assert not Passage.objects.exists()
    assert downloaded(client, version) == data
    # and its page and the search results say it is not searchable
    assert marker in words(client.get(response["Location"]))
    results = client.get(reverse("library:search"), {"q": "unreadable annex"})
    assert search_titles(client, "unreadable annex") == ["Unreadable annex"]
    assert marker in words(results)


def test_a_file_waits_for_its_job_then_becomes_searchable(unodc_user, django_capture_on_commit_callbacks):
    client = signed_in(unodc_user)

    # given an upload whose job is enqueued when the upload commits
    with django_capture_on_commit_callbacks() as jobs:
        response = upload(client, "sahel.pdf", samples.pdf_bytes("Sahel", [SAHEL]), title="Sahel report")

    # then until it runs, the file is marked as waiting and its text is not found
    assert len(jobs) == 1
    assert "Waiting for text extraction" in words(client.get(response["Location"]))
    assert search_titles(client, "Liptako") == []

    # when the job runs, the text is found
    for job in jobs:
        job()
    assert FileVersion.objects.get().extraction_status == ExtractionStatus.SEARCHABLE
    assert search_titles(client, "Liptako") == ["Sahel report"]
    assert "Waiting for text extraction" not in words(client.get(response["Location"]))


# --- At most once, never twice at the same time -------------------------------------------------------------


def test_running_the_job_twice_does_nothing_the_second_time(pending):
    # when the job runs, then runs again (a duplicate delivery)
    first = tasks.extract_version_text(pending.pk)
    pending.refresh_from_db()
    done_at = pending.extracted_at
    second = tasks.extract_version_text(pending.pk)

    # then the first extracted the text, and the second did nothing
    assert first == ExtractionStatus.SEARCHABLE
    assert second is None
    assert services.extract_text(pending.pk) is None
    pending.refresh_from_db()
    assert pending.extracted_at == done_at
    assert pending.extraction_attempts == 1
    assert Passage.objects.filter(version=pending).count() == 1
    # and a version that no longer exists is nothing to do either
    assert services.extract_text(pending.pk + 10_000) is None


def test_the_job_does_not_run_while_another_session_extracts_the_same_file(pending, other_session):
    # given another worker's session holding the extraction lock of this version
    other_session.execute("SELECT pg_advisory_lock(%s, %s)", [services.EXTRACTION_LOCK, pending.pk])

    # when the job runs here meanwhile
    result = services.extract_text(pending.pk)

    # then it does nothing: the version is still pending, no attempt counted
    assert result is None
    pending.refresh_from_db()
    assert pending.extraction_status == ExtractionStatus.PENDING
    assert pending.extraction_attempts == 0

    # and once the other session lets go, the job extracts it, and lets go of the lock itself
    other_session.execute("SELECT pg_advisory_unlock(%s, %s)", [services.EXTRACTION_LOCK, pending.pk])
    assert services.extract_text(pending.pk) == ExtractionStatus.SEARCHABLE
    taken = other_session.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", [services.EXTRACTION_LOCK, pending.pk]
    ).fetchone()[0]
    assert taken is True


def test_the_lock_of_one_file_does_not_hold_up_another(pending, other_session):
    # given another session extracting some other version
    other_session.execute("SELECT pg_advisory_lock(%s, %s)", [services.EXTRACTION_LOCK, pending.pk + 1])

    # then this version's job runs
    assert services.extract_text(pending.pk) == ExtractionStatus.SEARCHABLE


def test_after_the_last_allowed_attempt_crashes_the_file_is_marked_failed(pending, unodc_user, settings):
    # given a job that crashes mid-way each time (here: its file is unreadable, missing from storage)
    path = pending.file.path
    shutil.move(path, path + ".away")
    for _attempt in range(services.MAX_EXTRACTION_ATTEMPTS):
        with pytest.raises(FileNotFoundError):
            services.extract_text(pending.pk)
    pending.refresh_from_db()
    assert pending.extraction_attempts == services.MAX_EXTRACTION_ATTEMPTS
    assert pending.extraction_status == ExtractionStatus.PENDING
    shutil.move(path + ".away", path)

    # when the job is delivered once more
    result = services.extract_text(pending.pk)

    # then it is not tried again: the file is marked as unreadable, and says so on its page
    assert result == ExtractionStatus.FAILED
    pending.refresh_from_db()
    assert pending.extraction_status == ExtractionStatus.FAILED
    assert pending.extraction_attempts == services.MAX_EXTRACTION_ATTEMPTS + 1
    page = signed_in(unodc_user).get(pending.document.resource.get_absolute_url())
    assert "Not searchable: the file could not be read" in words(page)
    # and it stays downloadable
    with pending.file.open("rb") as stored:
        assert downloaded(signed_in(unodc_user), pending) == stored.read()


def test_the_last_allowed_attempt_still_reads_the_file(pending):
    FileVersion.objects.filter(pk=pending.pk).update(extraction_attempts=services.MAX_EXTRACTION_ATTEMPTS - 1)

    assert services.extract_text(pending.pk) == ExtractionStatus.SEARCHABLE


# --- Lost jobs are sent again -------------------------------------------------------------------------------


def test_extractions_pending_for_more_than_ten_minutes_are_sent_again(
    pending, unodc_user, django_capture_on_commit_callbacks
):
    # given a version pending for eleven minutes (its job was lost), and one uploaded two minutes ago
    FileVersion.objects.filter(pk=pending.pk).update(uploaded_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks():
        upload(signed_in(unodc_user), "recent.pdf", samples.pdf_bytes("Lake Chad", [CHAD]), title="Recent")
    recent = FileVersion.objects.exclude(pk=pending.pk).get()
    FileVersion.objects.filter(pk=recent.pk).update(uploaded_at=timezone.now() - timedelta(minutes=2))

    # when the periodic job looks for lost extractions
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        sent = tasks.resume_extractions()

    # then only the old one is sent again, and is now extracted; the recent one still waits for its own job
    assert sent == 1
    assert len(jobs) == 1
    pending.refresh_from_db()
    recent.refresh_from_db()
    assert pending.extraction_status == ExtractionStatus.SEARCHABLE
    assert recent.extraction_status == ExtractionStatus.PENDING
    # and once done, nothing is sent again
    with django_capture_on_commit_callbacks() as jobs:
        assert services.resume_extractions() == 0
    assert jobs == []


# --- A new version replaces the old text -------------------------------------------------------------------


def test_a_new_versions_text_replaces_the_old_one_in_search(
    add_resource, unodc_user, django_capture_on_commit_callbacks
):
    # given a resource found by a phrase inside its file
    resource = add_resource(
        unodc_user,
        title="Regional border report",
        files=[SimpleUploadedFile("report.pdf", samples.pdf_bytes("Report", [SAHEL]))],
    )
    client = signed_in(unodc_user)
    assert search_titles(client, "Liptako") == ["Regional border report"]
    document = Document.objects.get(resource=resource)

    # when a new version with other text is uploaded
    with django_capture_on_commit_callbacks() as jobs:
        client.post(
            reverse("library:add_version", args=[document.pk]),
            {"file": SimpleUploadedFile("report-2.pdf", samples.pdf_bytes("Report", [CHAD]))},
        )
    new = document.versions.get(is_current=True)
    assert new.number == 2

    # then the old text is no longer found, even before the new text is extracted
    assert search_titles(client, "Liptako") == []
    assert not Passage.objects.filter(resource=resource).exclude(version=new).exists()

    # and once the job has run, the new text is found, with its passage highlighted
    assert len(jobs) == 1
    for job in jobs:
        job()
    assert search_titles(client, "Liptako") == []
    assert search_titles(client, "hotline") == ["Regional border report"]
    results = words(client.get(reverse("library:search"), {"q": "hotline"}))
    assert "suspicious boats" in results
    assert "Liptako" not in results
    assert set(Passage.objects.filter(resource=resource).values_list("version", flat=True)) == {new.pk}


def test_a_late_job_of_an_older_version_leaves_the_current_versions_passages(
    unodc_user, django_capture_on_commit_callbacks
):
    # given version 1 uploaded, its job not run yet (a busy or lost worker)
    client = signed_in(unodc_user)
    with django_capture_on_commit_callbacks() as first_jobs:
        upload(client, "report.pdf", samples.pdf_bytes("Report", [SAHEL]), title="Regional border report")
    old = FileVersion.objects.get()
    document = old.document

    # and version 2 uploaded and extracted meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("library:add_version", args=[document.pk]),
            {"file": SimpleUploadedFile("report-2.pdf", samples.pdf_bytes("Report", [CHAD]))},
        )
    new = document.versions.get(is_current=True)
    assert new.extraction_status == ExtractionStatus.SEARCHABLE
    passages = list(Passage.objects.filter(version=new).values_list("pk", flat=True))
    assert passages

    # when version 1's job is finally delivered (or sent again by resume_extractions)
    for job in first_jobs:
        job()

    # then the current version's text is still found, with its passage highlighted
    assert list(Passage.objects.filter(version=new).values_list("pk", flat=True)) == passages
    assert search_titles(client, "hotline") == ["Regional border report"]
    results = client.get(reverse("library:search"), {"q": "hotline"}).content.decode()
    assert "<mark>hotline</mark>" in results
    # and the old version's text is not
    assert search_titles(client, "Liptako") == []
