"""Who runs a Working Group's space, read the other way round: from a group to its managers.

The rule itself — the focal points of its chairing organisations (chair, co-chairs, vice-chairs), the
Secretariat, and the people they designate (guardian ``manage_space`` grants on the WorkingGroup, in
direct-foreign-key tables) while one of their organisations takes part — is
``directory.rules.can_manage_space``; this module lists the people it admits, for notifications and the
members page, and must agree with it (tests/working_groups/test_membership.py checks both directions).
"""

from __future__ import annotations

from django.db.models import QuerySet

from directory.models import (
    LEADERSHIP_ROLES,
    Membership,
    Participation,
    User,
    WorkingGroup,
    WorkingGroupUserGrant,
)

MANAGE_SPACE = "manage_space"


def _current_people(organizations) -> QuerySet:
    return Membership.objects.filter(
        organization_id__in=organizations, ended_at__isnull=True, organization__is_active=True
    ).values("user_id")


def designated_managers(working_group: WorkingGroup) -> QuerySet[User]:
    """People designated to help run the space whose designation counts today: active, and still in an
    organisation taking part in the group (a designation lapses with the participation)."""
    taking_part = (
        Participation.objects.current().filter(working_group=working_group).values("organization_id")
    )
    granted = WorkingGroupUserGrant.objects.filter(
        content_object=working_group, permission__codename=MANAGE_SPACE
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=granted).filter(pk__in=_current_people(taking_part))


def managers_of(working_group: WorkingGroup) -> QuerySet[User]:
    """Everyone who runs the space (for notifications): the chairing organisations' current people and the
    designated managers; the Secretariat is not listed (it administers, it does not run groups)."""
    leading = (
        Participation.objects.current()
        .filter(working_group=working_group, role__in=LEADERSHIP_ROLES)
        .values("organization_id")
    )
    chairs = User.objects.filter(is_active=True, pk__in=_current_people(leading))
    return (chairs | designated_managers(working_group)).order_by("full_name")
