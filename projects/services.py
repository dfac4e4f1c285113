"""Writing projects: through the one save path of content (``directory.policy.content_write``), which checks
the rules before the save and the audience after it, in one transaction; the US dollar budget and the
search index are kept in the same transaction."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from directory.policy import content_write
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
