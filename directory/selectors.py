"""Reads of the registry, always on behalf of a user."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from directory.models import (
    CompactStatus,
    Membership,
    MembershipRequest,
    Organization,
    OrganizationKind,
    Participation,
    Pillar,
    WorkingGroup,
)


def current_memberships(user) -> QuerySet[Membership]:
    """The user's current roles in organisations (a person sees their own, always)."""
    return (
        Membership.objects.filter(user=user, ended_at__isnull=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name", "role")
    )


def working_groups_of(user) -> QuerySet[Participation]:
    """The Working Groups the user's organisations take part in, with each organisation's role."""
    # A subquery on organisation ids rather than a join: a person with two roles in one organisation
    # must not see its Working Groups twice.
    organizations = current_memberships(user).values("organization_id")
    return (
        Participation.objects.filter(organization__in=organizations, working_group__is_active=True)
        .select_related("working_group", "organization")
        .order_by("working_group__number", "organization__name")
    )


def waiting_membership_requests(user) -> int:
    """How many organisations wait for the person's answer to a role they were asked to take."""
    return MembershipRequest.objects.pending().filter(user_id=user.pk).count()


#: Names of organisations, Working Groups, pillars and countries change rarely: lists that label filter
#: values read them from the cache (a renamed organisation shows under its new name within ten minutes).
LABELS_TTL = 600


def registry_names(kind: str) -> dict[str, str]:
    """{id as text: name} of the registry's "organization", "working_group" or "pillar" rows, or
    {ISO 3166 alpha-3: name} of the "country" ones, in the current language, cached."""

    def read() -> dict[str, str]:
        if kind == "organization":
            return {str(o.pk): str(o.display_name) for o in Organization.objects.all()}
        if kind == "working_group":
            return {str(g.pk): str(g) for g in WorkingGroup.objects.all()}
        if kind == "pillar":
            return {str(p.pk): str(p) for p in Pillar.objects.all()}
        return dict(Organization.objects.exclude(iso3="").values_list("iso3", "name"))

    return cache.get_or_set(f"registry:names:{kind}:{get_language() or ''}", read, LABELS_TTL)


def network_figures() -> dict[str, int]:
    """The network's size as the brochure publishes it ("936 focal points"): the people with a current role
    in an active organisation, and the Member States among those organisations. Platform-wide aggregates
    that name nobody, for the public landing page — the same for every reader, so no user is asked for."""
    current = _roles().filter(ended_at__isnull=True)
    return {
        "focal_points": current.values("user_id").distinct().count(),
        "member_states": Organization.objects.filter(
            kind=OrganizationKind.MEMBER_STATE, pk__in=current.values("organization_id")
        ).count(),
    }


def _roles() -> QuerySet[Membership]:
    """Roles that count in the network's figures: of active people in active organisations."""
    return Membership.objects.filter(organization__is_active=True, user__is_active=True)


def organization_figures() -> dict[str, int]:
    """The active organisations by kind — Member States, regional organisations (and how many of those have
    someone with a current role, as ``network_figures`` counts them), the Compact's members and observers —
    in one query. Aggregates that name no organisation, for the Secretariat's statistics."""
    staffed = Exists(_roles().filter(ended_at__isnull=True, organization=OuterRef("pk")))
    regional = Q(kind=OrganizationKind.REGIONAL_ORGANIZATION)
    entity = Q(kind=OrganizationKind.COMPACT_ENTITY)
    return Organization.objects.filter(is_active=True).aggregate(
        member_states=Count("pk", filter=Q(kind=OrganizationKind.MEMBER_STATE)),
        regional_organizations=Count("pk", filter=regional),
        regional_with_focal_points=Count("pk", filter=regional & Q(staffed)),
        compact_members=Count("pk", filter=entity & Q(compact_status=CompactStatus.MEMBER)),
        compact_observers=Count("pk", filter=entity & Q(compact_status=CompactStatus.OBSERVER)),
    )


def people_with_a_role_at(moments: list[datetime]) -> list[int]:
    """For each moment, how many people held a role then (started by it, not yet ended) — the people
    ``network_figures`` counts as focal points, had they been asked at that moment — in one query.

    Whether a person or an organisation is active is known for today only: someone deactivated since is
    not counted in the past either (the registry keeps no history of that flag outside the audit trail)."""
    if not moments:
        return []
    counts = _roles().aggregate(
        **{
            f"at_{index}": Count(
                "user_id",
                distinct=True,
                filter=Q(started_at__lte=moment) & (Q(ended_at__isnull=True) | Q(ended_at__gt=moment)),
            )
            for index, moment in enumerate(moments)
        }
    )
    return [counts[f"at_{index}"] for index in range(len(moments))]
