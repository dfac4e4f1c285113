"""Between the upload and the save: the file's rows and their check, kept server-side for their uploader only
(``ProjectImport``), then saved — all rows only if every one is valid, or only the valid ones when the
uploader chose that — in one transaction through ``projects.services.import_projects``.

Rows are checked again when saved (the registry, the importer's organisations or other projects may have
changed since the preview); a row that became invalid stops an "all rows" save, and the preview shows why.
"""

from __future__ import annotations

from dataclasses import dataclass

from projects import services
from projects.imports import iati
from projects.imports.rows import CheckedRow, Lookups, check_rows
from projects.imports.spreadsheet import Table
from projects.models import ImportKind, ProjectImport


def stage_spreadsheet(*, by, filename: str, table: Table, visibility: str) -> ProjectImport:
    """Check every row of the file and keep them for the preview."""
    checked = check_rows(table.rows, user=by, visibility=visibility, numbers=table.numbers)
    rows = [{"number": n, "values": values} for n, values in zip(table.numbers, table.rows, strict=True)]
    return ProjectImport.stage(
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
    return ProjectImport.stage(
        by=by, kind=ImportKind.IATI, filename=filename, visibility=visibility, rows=rows, lead=lead,
        report=[row.report() for row in checked],
    )  # fmt: skip


def staged_for(user, token: str, kind: str) -> ProjectImport:
    """The user's own staged import: any other token (someone else's, expired, unknown) is a 404 alike."""
    return ProjectImport.of_uploader(user, token, kind=kind)


@dataclass
class Saved:
    """The outcome of a save: the projects written, or (nothing written) the rows that stopped it."""

    created: int = 0
    updated: int = 0
    invalid: list[CheckedRow] | None = None


def save(*, staged: ProjectImport, by, numbers: list[int] | None = None, only_valid: bool = False) -> Saved:
    """Save the staged rows (``numbers``: a choice of them), checked again, in one transaction. Unless
    ``only_valid``, one invalid row saves nothing; the staged report then shows the rows' new state."""

    def check(chosen: list[dict]) -> list[CheckedRow]:
        return check_rows(
            [row["values"] for row in chosen], user=by, visibility=staged.visibility,
            numbers=[row["number"] for row in chosen],
        )  # fmt: skip

    def write(valid: list[CheckedRow]):
        return services.import_projects(rows=valid, by=by, visibility=staged.visibility)

    imported, invalid = staged.save_rows(check=check, write=write, numbers=numbers, only_valid=only_valid)
    if imported is None:
        return Saved(invalid=invalid or None)
    return Saved(created=len(imported.created), updated=len(imported.updated))
