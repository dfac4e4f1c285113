"""Who runs a Working Group's space: the focal points of its chairing organisations (chair, co-chairs,
vice-chairs), the people they designate as space managers (guardian ``manage_space`` grants on the
WorkingGroup, in direct-foreign-key tables), and the Secretariat, which administers participation.

Space managers manage the group's participants and guests, moderate its discussions, open prioritisation
rounds and draft its progress reports. The rule lives here, in the registry, so that every app composing
a space (discussions, planning, working_groups) asks the same question the same way.
"""

from __future__ import annotations

from django.db.models import QuerySet

from directory.access import viewer
from directory.models import (
    LEADERSHIP_ROLES,
    Membership,
    Participation,
    User,
    WorkingGroup,
    WorkingGroupUserGrant,
)

MANAGE_SPACE = "manage_space"


def leadership_organization_ids(working_group: WorkingGroup) -> set[int]:
    return set(
        Participation.objects.filter(working_group=working_group, role__in=LEADERSHIP_ROLES).values_list(
            "organization_id", flat=True
        )
    )


def is_chair(user, working_group: WorkingGroup) -> bool:
    """A focal point of one of the group's chairing organisations."""
    who = viewer(user)
    return who is not None and bool(who.organization_ids & leadership_organization_ids(working_group))


def is_designated_manager(user, working_group: WorkingGroup) -> bool:
    who = viewer(user)
    return (
        who is not None
        and WorkingGroupUserGrant.objects.filter(
            user_id=who.user_id, content_object=working_group, permission__codename=MANAGE_SPACE
        ).exists()
    )


def can_manage_space(user, working_group: WorkingGroup) -> bool:
    who = viewer(user)
    if who is None:
        return False
    return who.is_secretariat or is_chair(user, working_group) or is_designated_manager(user, working_group)


def managers_of(working_group: WorkingGroup) -> QuerySet[User]:
    """Everyone who manages the space (for notifications): the chairing organisations' current people
    and the designated managers; the Secretariat is not listed (it administers, it does not run groups)."""
    chairs = Membership.objects.filter(
        organization_id__in=leadership_organization_ids(working_group),
        ended_at__isnull=True,
        organization__is_active=True,
    ).values("user_id")
    designated = WorkingGroupUserGrant.objects.filter(
        content_object=working_group, permission__codename=MANAGE_SPACE
    ).values("user_id")
    return User.objects.filter(is_active=True).filter(pk__in=chairs.union(designated)).order_by("full_name")
