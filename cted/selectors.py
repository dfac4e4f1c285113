"""Reads of CTED's assessments, always on behalf of a user: every read starts from a model's
``visible_to(user)`` (consent included, ``cted.access``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone

from cted import rules
from cted.models import Assessment, ConsentGrant, Recommendation
from directory.models import Organization, OrganizationKind


def assessments_for(user) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related("state")


def with_pending(assessments: Iterable[Assessment], today: date) -> list[Assessment]:
    """The assessments, each with ``pending``: the State's deadlines still awaited (overdue flagged)."""
    found = list(assessments)
    for assessment in found:
        assessment.pending = [deadline for deadline in assessment.deadlines(today) if deadline.awaited]
    return found


def organization_section(user, organization: Organization) -> dict:
    """A Member State's page: its assessments the reader may see with the deadlines still awaited — one
    query, whatever their number; none for any other organisation."""
    if organization.kind != OrganizationKind.MEMBER_STATE:
        return {"assessments": []}
    return {
        "assessments": with_pending(assessments_for(user).filter(state=organization), timezone.localdate())
    }


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


def _on_assessment(grants: QuerySet[ConsentGrant] | None = None) -> QuerySet[ConsentGrant]:
    """The grants on the outer assessment itself (not on one of its recommendations): what makes it
    "shared"."""
    grants = ConsentGrant.objects.all() if grants is None else grants
    return grants.filter(assessment=OuterRef("pk"), recommendation__isnull=True)


def shared_counts() -> list[dict]:
    """How many assessments were shared with the Platform, by the year of their first consent on the
    assessment itself (in force or not since), latest year first: counts of every State's, which CTED
    reports publicly — never which States (one query)."""
    first = _on_assessment().order_by("granted_at").values("granted_at")[:1]
    return list(
        Assessment.objects.annotate(year=ExtractYear(Subquery(first)))
        .filter(year__isnull=False)
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )


def shared_log(user) -> list[Assessment]:
    """The shared assessments the reader may see, the latest first shared first, each with ``first_shared``,
    whether a consent on it is ``in_force`` or all were ``withdrawn`` (else they expired), and — for those
    who may see the consents (the State's people and CTED) — ``shared_with``, the grants now in force. Two
    queries, whatever the number of rows."""
    in_force = (
        ConsentGrant.objects.visible_to(user)
        .active()
        .filter(recommendation__isnull=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    found = list(
        assessments_for(user)
        .annotate(first_shared=Min("grants__granted_at", filter=Q(grants__recommendation__isnull=True)))
        .filter(first_shared__isnull=False)
        .annotate(
            in_force=Exists(_on_assessment(ConsentGrant.objects.active())),
            withdrawn=~Exists(_on_assessment().filter(revoked_at__isnull=True)),
        )
        .prefetch_related(Prefetch("grants", queryset=in_force, to_attr="shared_with"))
        .order_by("-first_shared", "-pk")
    )
    for assessment in found:
        assessment.consents_shown = rules.can_see_consents(user, assessment)
    return found
