"""Between the upload and the save: the file's rows and their check, kept server-side for their uploader only
(``ProjectImport``), then saved — all rows only if every one is valid, or only the valid ones when the
uploader chose that — in one transaction through ``projects.services.import_projects``.

Rows are checked again when saved (the registry, the importer's organisations or other projects may have
changed since the preview); a row that became invalid stops an "all rows" save, and the preview shows why.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from projects import services
from projects.imports import iati
from projects.imports.rows import CheckedRow, Lookups, check_rows
from projects.imports.spreadsheet import Table
from projects.models import ImportKind, ProjectImport

#: How long an upload waits for its save.
TTL = timedelta(days=1)


def _new(*, by, kind: str, filename: str, visibility: str, rows: list[dict], report: list[dict], lead=None):
    now = timezone.now()
    ProjectImport.objects.filter(expires_at__lt=now).delete()
    return ProjectImport.objects.create(
        token=secrets.token_urlsafe(32), uploaded_by=by, kind=kind, filename=filename[:200],
        visibility=visibility, lead=lead, rows=rows, report=report, created_at=now, expires_at=now + TTL,
    )  # fmt: skip


def stage_spreadsheet(*, by, filename: str, table: Table, visibility: str) -> ProjectImport:
    """Check every row of the file and keep them for the preview."""
    checked = check_rows(table.rows, user=by, visibility=visibility, numbers=table.numbers)
    rows = [{"number": n, "values": values} for n, values in zip(table.numbers, table.rows, strict=True)]
    return _new(
        by=by, kind=ImportKind.SPREADSHEET, filename=filename, visibility=visibility, rows=rows,
        report=[row.report() for row in checked],
    )  # fmt: skip


def stage_iati(*, by, filename: str, activities: list, lead, visibility: str, rates: dict) -> ProjectImport:
    """Map every activity of the file to a project row (with notes on what is left out), check them, and keep
    them for the selection page."""
    lookups = Lookups.for_user(by)
    rows = []
    for number, activity in enumerate(activities, start=1):
        values, notes = iati.mapped(activity, lead=lead, lookups=lookups, rates=rates)
        rows.append({
            "number": number, "values": values, "notes": notes, "activity": iati.to_json(activity),
            "search": iati.searchable(activity),
        })  # fmt: skip
    checked = check_rows([row["values"] for row in rows], user=by, visibility=visibility)
    return _new(
        by=by, kind=ImportKind.IATI, filename=filename, visibility=visibility, rows=rows, lead=lead,
        report=[row.report() for row in checked],
    )  # fmt: skip


def staged_for(user, token: str, kind: str) -> ProjectImport:
    """The user's own staged import: any other token (someone else's, expired, unknown) is a 404 alike."""
    found = ProjectImport.objects.filter(
        token=token, uploaded_by=user, kind=kind, expires_at__gt=timezone.now()
    ).first()
    if found is None:
        raise Http404("no such import")
    return found


@dataclass
class Saved:
    """The outcome of a save: the projects written, or (nothing written) the rows that stopped it."""

    created: int = 0
    updated: int = 0
    invalid: list[CheckedRow] | None = None


def save(*, staged: ProjectImport, by, numbers: list[int] | None = None, only_valid: bool = False) -> Saved:
    """Save the staged rows (``numbers``: a choice of them), checked again, in one transaction. Unless
    ``only_valid``, one invalid row saves nothing; the staged report then shows the rows' new state."""
    with transaction.atomic():
        staged = ProjectImport.objects.select_for_update().get(pk=staged.pk)
        if staged.saved_at is not None:
            return Saved()
        chosen = [row for row in staged.rows if numbers is None or row["number"] in numbers]
        checked = check_rows(
            [row["values"] for row in chosen], user=by, visibility=staged.visibility,
            numbers=[row["number"] for row in chosen],
        )  # fmt: skip
        invalid = [row for row in checked if not row.valid]
        if invalid:
            fresh = {row.number: row.report() for row in checked}
            staged.report = [fresh.get(entry["number"], entry) for entry in staged.report]
            staged.save(update_fields=["report"])
            if not only_valid:
                return Saved(invalid=invalid)
        valid = [row for row in checked if row.valid]
        if not valid:
            return Saved(invalid=invalid)
        imported = services.import_projects(rows=valid, by=by, visibility=staged.visibility)
        staged.saved_at = timezone.now()
        staged.save(update_fields=["saved_at"])
    return Saved(created=len(imported.created), updated=len(imported.updated))
