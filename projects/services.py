"""Writing projects: through the one save path of content (``directory.policy.content_write``), which checks
the rules before the save and the audience after it, in one transaction; the US dollar budget and the
search index are kept in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from directory.access import viewer
from directory.policy import content_write
from directory.rules import can_post_for_audience
from projects import indexing, rules
from projects.models import Project, ProjectOverlap

CENT = Decimal("0.01")


def budget_in_usd(project: Project) -> Decimal | None:
    """The budget in US dollars: itself for a dollar budget, at the recorded rate otherwise (rounded to the
    cent, half up); None when there is no budget or no rate to convert it by."""
    if project.budget is None:
        return None
    if project.currency == "USD":
        return project.budget
    if project.usd_rate is None:
        return None
    return (project.budget * project.usd_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def save_project(*, form, by) -> Project:
    """Create (form.instance unsaved) or update a project from a valid ProjectForm."""
    project = form.instance
    with content_write(project, by=by):
        if project.pk is None:
            project.author = by
        project.budget_usd = budget_in_usd(project)
        project = form.save()
        indexing.refresh([project.pk])
    return project


def mark_overlap(overlap: ProjectOverlap, *, verdict: str, note: str, by) -> ProjectOverlap:
    """Record one lead's verdict on a pair (audited by the pair's history, who and when kept on the row)."""
    if not rules.can_mark_overlap(by, overlap):
        raise PermissionDenied
    overlap.verdict, overlap.note = verdict, note
    overlap.decided_by, overlap.decided_at = by, timezone.now()
    overlap.save(update_fields=["verdict", "note", "decided_by", "decided_at"])
    return overlap


#: The fields of a project an import writes (its audience is the import's, set once, and kept on update).
IMPORTED_FIELDS = (
    "title", "code", "iati_identifier", "status", "start", "end", "description", "expected_results",
    "implementing_partners", "countries", "regions", "is_global", "sdg_targets", "budget", "currency",
    "usd_rate", "rate_date",
)  # fmt: skip
IMPORTED_LINKS = ("partners", "pillars", "working_groups", "themes", "donors")


@dataclass(frozen=True)
class Imported:
    created: list[int]
    updated: list[int]


@transaction.atomic
def import_projects(*, rows: list, by, visibility: str) -> Imported:
    """Save checked import rows (``projects.imports.rows.CheckedRow``, all valid) in one transaction: new
    projects in bulk, re-imported ones (``row.updates``) one by one through ``content_write``; then the
    search index of all of them in one statement.

    New projects get the checks ``content_write`` makes for one new object, made once for the batch: each
    lead entity is one of the author's organisations and the audience one they may address (before), and the
    author sees every project added (after) — otherwise ``PermissionDenied`` and nothing is saved. The audit
    trail records each insert and each link (its triggers fire on bulk inserts too)."""
    if any(row.data is None for row in rows):
        raise ValueError("only valid rows are imported")
    who = viewer(by)
    if who is None:
        raise PermissionDenied("not signed in")
    new = [row.data for row in rows if row.updates is None]
    for owner_id in {data["owner"].pk for data in new}:
        if owner_id not in who.organization_ids:
            raise PermissionDenied("new content is owned by one of its author's organisations")
    if new and not can_post_for_audience(by, visibility, None):
        raise PermissionDenied("the author may not address this audience")
    _audit_without_aborted_subtransactions()
    projects = []
    for data in new:
        project = Project(owner=data["owner"], visibility=visibility, author=by)
        _fill(project, data)
        projects.append(project)
    Project.objects.bulk_create(projects, batch_size=1000)
    created = [project.pk for project in projects]
    for name in IMPORTED_LINKS:
        relation = Project._meta.get_field(name)
        through = relation.remote_field.through
        source, target = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            [
                through(**{source: project.pk, target: linked.pk})
                for project, data in zip(projects, new, strict=True)
                for linked in data[name]
            ],
            batch_size=5000,
        )
    if created and Project.objects.visible_to(by).filter(pk__in=created).count() != len(created):
        transaction.set_rollback(True)
        raise PermissionDenied("the import would hide projects from their author")
    updated = []
    existing = Project.objects.in_bulk([row.updates for row in rows if row.updates is not None])
    for row in rows:
        if row.updates is None:
            continue
        project = existing[row.updates]
        with content_write(project, by=by):
            _fill(project, row.data)
            project.save()
            for name in IMPORTED_LINKS:
                getattr(project, name).set(row.data[name])
        updated.append(project.pk)
    indexing.refresh(created + updated)
    return Imported(created=created, updated=updated)


def _audit_without_aborted_subtransactions() -> None:
    """Every audit trigger first reads the setting ``pgtrigger.ignore`` inside an exception block: unset, the
    read fails and the block's subtransaction is rolled back. Tens of thousands of those in one transaction
    make each further insert slower (10,000 imported rows: 34 s instead of 15 s). For the rest of this
    transaction the setting says "ignore nothing" — unless something already set it (``pgtrigger.ignore``
    in the bench), which is kept: every trigger still fires, as before."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', "
            "coalesce(nullif(current_setting('pgtrigger.ignore', true), ''), '{}'), true)"
        )


def _fill(project: Project, data: dict) -> None:
    for name in IMPORTED_FIELDS:
        setattr(project, name, data[name])
    project.budget_usd = budget_in_usd(project)
