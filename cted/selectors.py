"""Reads of CTED's assessments, always on behalf of a user: every read starts from a model's
``visible_to(user)`` (consent included, ``cted.access``)."""

from __future__ import annotations

from django.db.models import QuerySet

from cted.models import Assessment, ConsentGrant, Recommendation
from library.models import Resource
from library.selectors import resources_for
from projects.models import Project
from projects.selectors import projects_for


def assessments_for(user) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related("state")


def recommendations_for(user, assessment: Assessment) -> QuerySet[Recommendation]:
    return Recommendation.objects.visible_to(user).filter(assessment=assessment).select_related("theme")


def grants_for(user, assessment: Assessment) -> QuerySet[ConsentGrant]:
    """The consents given on the assessment, newest first, for its State's people and CTED (none for the
    others)."""
    return (
        ConsentGrant.objects.visible_to(user)
        .filter(assessment=assessment)
        .select_related("organization", "recommendation", "granted_by", "revoked_by")
    )


def report_for(user, assessment: Assessment) -> Resource | None:
    """The assessment's confidential report if the reader may read it in the library; else None — and the
    page says nothing of it, not even its title."""
    if assessment.report_id is None:
        return None
    return resources_for(user).filter(pk=assessment.report_id).first()


def report_choices(user) -> QuerySet[Resource]:
    """The library's resources CTED's person may attach as a report: those they may read, the newest first
    (``services.attach_report`` then refuses one whose audience is not restricted, saying why)."""
    return resources_for(user)


def project_choices(user) -> QuerySet[Project]:
    """The projects of the matrix a recommendation's editor may link: only those they may see, by title."""
    return projects_for(user).order_by("title", "pk")
