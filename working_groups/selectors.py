"""Reads of Working Group spaces, always on behalf of a user: the groups, and who takes part in them (a
group's participants and their focal points are no secret on the platform: every signed-in user reads
them)."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import RowNumber

from directory.models import Membership, MembershipRole, Participation, ParticipationRole, WorkingGroup

#: The order participants are listed in: who runs the group first, guests last.
ROLE_ORDER = list(ParticipationRole.values)


def participants_of(working_group: WorkingGroup, *, people: int | None = None) -> list[Participation]:
    """The group's participants with their organisations' current focal points (two queries); with
    ``people``, at most that many per organisation (a window function keeps the rest in the database) and
    each organisation's total in ``people_count``."""
    current = Membership.objects.filter(
        ended_at__isnull=True,
        user__is_active=True,
        role__in=[MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE],
    )
    shown = current.select_related("user")
    if people is not None:
        shown = shown.annotate(
            position=Window(
                RowNumber(), partition_by=F("organization_id"), order_by=[F("role"), F("user__full_name")]
            )
        ).filter(position__lte=people)
    rows = list(
        Participation.objects.filter(working_group=working_group, organization__is_active=True)
        .select_related("organization")
        .annotate(
            people_count=Subquery(
                current.filter(organization_id=OuterRef("organization_id"))
                .order_by()
                .values("organization_id")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .prefetch_related(Prefetch("organization__memberships", queryset=shown, to_attr="current"))
    )
    rows.sort(key=lambda p: (ROLE_ORDER.index(p.role), p.organization.name))
    return rows
