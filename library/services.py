"""Writing to the library: resources, uploads and their versions, the trash, and text extraction.

Every write is checked against the policy (``directory.policy``), runs in one transaction, refreshes the
search index, and is audited (pghistory triggers on every table; purges also in the security log).
Uploads are checked by content (``library.filetypes``) before anything is stored, stored under generated
names through Django's storage API, and a failed write removes the file it stored: nothing already in
the library is overwritten, and nothing half-written is left behind.
"""

from __future__ import annotations

import functools
import hashlib
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.models import SecurityEventKind
from core.tasks import enqueue
from directory.policy import content_write
from library import extraction, indexing, rules
from library.extraction import ExtractionStatus
from library.filetypes import RejectedFile, Sniffed, safe_filename, sniff
from library.models import Document, FileVersion, Resource


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """An uploaded file that passed the checks: its type by content, its digest and its safe name."""

    file: File
    sniffed: Sniffed
    sha256: str
    name: str


def check_upload(file: File) -> Upload:
    """Check an uploaded file by its content; raises RejectedFile with a message for the form."""
    sniffed = sniff(file, name=file.name or "", max_bytes=max_upload_bytes())
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return Upload(
        file=file, sniffed=sniffed, sha256=digest.hexdigest(), name=safe_filename(file.name, sniffed)
    )


def find_duplicate(sha256: str, user) -> Resource | None:
    """A resource the user may see that already holds this exact file. Resources the user may not see are
    never named, even as duplicates (that would reveal them): the upload then simply goes ahead."""
    return Resource.objects.visible_to(user).filter(documents__versions__sha256=sha256).order_by("pk").first()


class DuplicateFile(Exception):
    def __init__(self, resource: Resource):
        super().__init__(resource.pk)
        self.resource = resource


def _store(document: Document, upload: Upload, by, number: int) -> FileVersion:
    version = FileVersion(
        document=document,
        number=number,
        original_name=upload.name,
        kind=upload.sniffed.kind,
        content_type=upload.sniffed.content_type,
        size=upload.file.size,
        sha256=upload.sha256,
        uploaded_by=by,
    )
    version.file.save(upload.name, upload.file, save=False)
    stored = _STORED.get(None)
    if stored is not None:
        stored.append(version.file.name)
    version.save()
    enqueue_extraction(version)
    return version


_STORED: ContextVar[list[str] | None] = ContextVar("library_stored_files", default=None)


def stores_files(function):
    """Run a write in a transaction; if it fails, delete the files it put in storage (they are saved
    before their rows, and Django has no on-rollback hook): a failed upload leaves nothing behind."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        stored: list[str] = []
        token = _STORED.set(stored)
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except BaseException:
            storage = FileVersion._meta.get_field("file").storage
            for name in stored:
                storage.delete(name)
            raise
        finally:
            _STORED.reset(token)

    return wrapper


def enqueue_extraction(version: FileVersion) -> None:
    from library.tasks import extract_version_text

    enqueue(extract_version_text, version.pk)


@stores_files
def save_resource(*, form, by, uploads: list[Upload] = (), language: str = "") -> Resource:
    """Create (form.instance unsaved) or update a resource from a valid ResourceForm; on creation, the
    uploads become its first documents (one per file, all in ``language``)."""
    resource = form.instance
    with content_write(resource, by=by):
        if resource.pk is None:
            resource.author = by
            for upload in uploads:
                existing = find_duplicate(upload.sha256, by)
                if existing is not None:
                    raise DuplicateFile(existing)
        resource = form.save()
        if language and language not in resource.languages:
            resource.languages = [*resource.languages, language]
            resource.save(update_fields=["languages", "updated_at"])
        for upload in uploads:
            document = Document.objects.create(resource=resource, language=language)
            _store(document, upload, by, number=1)
        indexing.refresh([resource.pk])
    return resource


def _check_change(resource: Resource, by) -> None:
    if not rules.can_change_resource(by, resource):
        raise PermissionDenied


@stores_files
def add_document(*, resource: Resource, upload: Upload, by, language: str = "", label: str = "") -> Document:
    """Another file of the resource (e.g. its Spanish version)."""
    _check_change(resource, by)
    duplicate = find_duplicate(upload.sha256, by)
    if duplicate is not None:
        raise DuplicateFile(duplicate)
    document = Document.objects.create(resource=resource, language=language, label=label)
    _store(document, upload, by, number=1)
    if language and language not in resource.languages:
        Resource.objects.filter(pk=resource.pk).update(languages=[*resource.languages, language])
    indexing.refresh([resource.pk])
    return document


@stores_files
def add_version(*, document: Document, upload: Upload, by) -> FileVersion:
    """A new version of a document; every earlier one stays downloadable. Versions are numbered under a
    lock on the document, so two uploads at once get two numbers, never the same one."""
    _check_change(document.resource, by)
    document = Document.objects.select_for_update().get(pk=document.pk)
    current = document.versions.filter(is_current=True).first()
    if current is not None and current.sha256 == upload.sha256:
        raise RejectedFile(_("This file is identical to the current version."))
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    document.versions.filter(is_current=True).update(is_current=False)
    version = _store(document, upload, by, number=number)
    # Until the new text is extracted, the document is found by its metadata only (its old passages go).
    indexing.index_passages(version)
    indexing.refresh([document.resource_id])
    Resource.objects.filter(pk=document.resource_id).update(updated_at=timezone.now())
    return version


# --- The trash ----------------------------------------------------------------------------------------------


@transaction.atomic
def trash(*, resource: Resource, by) -> None:
    if not rules.can_trash_resource(by, resource):
        raise PermissionDenied
    Resource.objects.filter(pk=resource.pk).update(deleted_at=timezone.now(), deleted_by=by)
    indexing.COUNTS.forget()


@transaction.atomic
def restore(*, resource: Resource, by) -> None:
    if not rules.can_restore_resource(by, resource):
        raise PermissionDenied
    Resource.objects.filter(pk=resource.pk).update(deleted_at=None, deleted_by=None)
    indexing.COUNTS.forget()


@transaction.atomic
def purge(*, resource: Resource, by, request=None) -> None:
    """Delete a resource from the trash for good, with every version's file (once committed)."""
    if not rules.can_purge_resource(by, resource):
        raise PermissionDenied
    files = list(FileVersion.objects.filter(document__resource=resource).values_list("file", "sha256"))
    # Ids and digests only: the security log is the Secretariat's, and the title may be restricted. The
    # resource's rows, title included, stay in the audit trail, shown to those who could read it.
    record(
        SecurityEventKind.PURGE,
        request=request,
        user=by,
        resource=resource.pk,
        owner=resource.owner_id,
        files=[sha for _name, sha in files],
    )
    resource.delete()
    storage = FileVersion._meta.get_field("file").storage

    def remove_files():
        for name, _sha in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


# --- Text extraction ----------------------------------------------------------------------------------------

#: Advisory-lock namespace of extractions (the second key is the version id).
EXTRACTION_LOCK = 0x11B7
#: After this many attempts (each one a worker that died mid-way), a file is marked unreadable.
MAX_EXTRACTION_ATTEMPTS = 3


def extract_text(version_id: int) -> ExtractionStatus | None:
    """Extract a version's text and index it. Runs at most once at a time per version: a session-level
    advisory lock, released by PostgreSQL if the worker dies, so a crashed extraction is simply taken up
    again. Returns the resulting status, or None if there was nothing to do (done, gone, or running)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [EXTRACTION_LOCK, version_id])
        if not cursor.fetchone()[0]:
            return None
    try:
        version = FileVersion.objects.select_related("document").filter(pk=version_id).first()
        if version is None or version.extraction_status != ExtractionStatus.PENDING:
            return None
        FileVersion.objects.filter(pk=version_id).update(extraction_attempts=F("extraction_attempts") + 1)
        if version.extraction_attempts + 1 > MAX_EXTRACTION_ATTEMPTS:
            result = extraction.Extraction(ExtractionStatus.FAILED, "", False)
        else:
            with version.file.open("rb") as handle:
                result = extraction.extract(handle.read(), version.kind)
        with transaction.atomic():
            # A new version may have arrived during the extraction: read "current" again under the lock
            # add_version takes, so passages are never built for a version that is no longer current.
            Document.objects.select_for_update().only("pk").get(pk=version.document_id)
            version.is_current = FileVersion.objects.values_list("is_current", flat=True).get(pk=version_id)
            version.extracted_text = result.text
            version.extraction_status = result.status
            version.extraction_truncated = result.truncated
            version.extracted_at = timezone.now()
            version.save(
                update_fields=["extracted_text", "extraction_status", "extraction_truncated", "extracted_at"]
            )
            indexing.index_passages(version)
            indexing.refresh([version.document.resource_id])
        return result.status
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [EXTRACTION_LOCK, version_id])


def resume_extractions(older_than_minutes: int = 10, limit: int = 200) -> int:
    """Send again the extractions still pending after a while (a worker died, the broker lost the job)."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    pending = FileVersion.objects.filter(
        extraction_status=ExtractionStatus.PENDING, uploaded_at__lt=cutoff
    ).order_by("uploaded_at")[:limit]
    count = 0
    for version in pending:
        enqueue_extraction(version)
        count += 1
    return count
