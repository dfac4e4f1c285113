"""Who may do what in a Working Group's planning and reporting (one place, asked by views, services and
templates alike).

- Space managers (``directory.spaces.can_manage_space``: the chairing organisations' people, designated
  managers, the Secretariat) open and close rounds, set priorities by hand, and draft and submit reports.
- People of the group's member organisations (chair, co-chair, vice-chair, member) propose activities,
  vote in rounds (one ballot per organisation) and read the group's reports.
- Everyone in the space (observers and guests too) follows rounds and their results.
- An activity is edited by its owner organisation's people (``policy.can``), its lead organisation's
  people and the space's managers.
"""

from __future__ import annotations

from directory.access import viewer
from directory.models import MEMBER_ROLES, Participation, WorkingGroup
from directory.policy import can
from directory.spaces import can_manage_space

MANAGER_CACHE = "_planning_managed_groups"


def may_manage(user, working_group: WorkingGroup | int) -> bool:
    """can_manage_space, cached per request on the user (pages ask several times)."""
    group_id = getattr(working_group, "pk", working_group)
    cache = getattr(user, MANAGER_CACHE, None)
    if cache is None:
        cache = {}
        if getattr(user, "is_authenticated", False):
            setattr(user, MANAGER_CACHE, cache)
    if group_id not in cache:
        group = working_group if isinstance(working_group, WorkingGroup) else WorkingGroup(pk=group_id)
        cache[group_id] = can_manage_space(user, group)
    return cache[group_id]


def is_member(user, working_group: WorkingGroup) -> bool:
    who = viewer(user)
    return who is not None and working_group.pk in who.member_group_ids


def in_space(user, working_group: WorkingGroup) -> bool:
    """Anyone in the space (any role, guests until their date) or one of its managers."""
    who = viewer(user)
    return who is not None and (working_group.pk in who.working_group_ids or may_manage(user, working_group))


def may_propose(user, working_group: WorkingGroup) -> bool:
    return is_member(user, working_group) or may_manage(user, working_group)


def may_read_reports(user, working_group: WorkingGroup) -> bool:
    return is_member(user, working_group) or may_manage(user, working_group)


def voting_organization_ids(user, working_group: WorkingGroup) -> list[int]:
    """The user's organisations that are members of the group (they vote; observers and guests do not)."""
    who = viewer(user)
    if who is None or working_group.pk not in who.member_group_ids:
        return []
    return list(
        Participation.objects.filter(
            working_group=working_group, organization_id__in=who.organization_ids, role__in=MEMBER_ROLES
        )
        .order_by("organization__name")
        .values_list("organization_id", flat=True)
    )


def may_edit_activity(user, activity) -> bool:
    who = viewer(user)
    if who is None:
        return False
    return (
        activity.lead_organization_id in who.organization_ids
        or may_manage(user, activity.working_group_id)
        or can(user, "change", activity)
    )
