"""Who may do what in a Working Group's planning and reporting (one place, asked by views, services and
templates alike).

- Those who run the space (``directory.rules.can_manage_space``: the chairing organisations' people,
  designated managers while their organisation takes part, the Secretariat) open and close rounds, set
  priorities by hand, and draft and submit reports.
- People of the group's member organisations (chair, co-chair, vice-chair, member) propose activities,
  vote in rounds (one ballot per organisation) and read the group's reports.
- Everyone in the space (observers and guests too) follows rounds and their results.
- An activity is edited by its owner organisation's people (and "change" grants), its lead
  organisation's people and the space's managers — its text, never its audience: only the owner
  organisation shares it (``directory.policy.content_write``).
- Reporting periods are the Secretariat's.
"""

from __future__ import annotations

from directory.access import viewer
from directory.audit_trail import administrative
from directory.models import MEMBER_ROLES, Participation, WorkingGroup
from directory.rules import (
    can_administer_platform,
    can_change_content,
    can_manage_space,
    can_share_content,
    register_content_rules,
)
from planning.models import Activity, ReportingPeriod


def can_manage_workplan(user, working_group: WorkingGroup | int) -> bool:
    """Rounds, priorities set by hand, progress reports: those who run the space."""
    return can_manage_space(user, working_group)


def _is_member(user, working_group: WorkingGroup) -> bool:
    who = viewer(user)
    return who is not None and working_group.pk in who.member_group_ids


def can_follow_rounds(user, working_group: WorkingGroup) -> bool:
    """Anyone in the space (any role, guests until their date) or one of its managers."""
    who = viewer(user)
    return who is not None and (
        working_group.pk in who.working_group_ids or can_manage_workplan(user, working_group)
    )


def can_propose_activity(user, working_group: WorkingGroup) -> bool:
    return _is_member(user, working_group) or can_manage_workplan(user, working_group)


def can_read_reports(user, working_group: WorkingGroup) -> bool:
    return _is_member(user, working_group) or can_manage_workplan(user, working_group)


def can_manage_reporting_periods(user) -> bool:
    return can_administer_platform(user)


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


def reporting_group_ids(user) -> frozenset[int]:
    """The groups whose progress reports the user drafts for their own organisation's part in them: those it
    chairs, and those the user was designated to help run (``can_manage_workplan``). Not every group for the
    Secretariat: it manages every space by its role, but reports for none it does not itself take part in."""
    who = viewer(user)
    if who is None:
        return frozenset()
    return frozenset(
        group
        for group in who.working_group_ids
        if group in who.led_group_ids or (not who.is_secretariat and can_manage_workplan(user, group))
    )


def can_edit_activity(user, activity: Activity) -> bool:
    who = viewer(user)
    if who is None:
        return False
    return (
        activity.lead_organization_id in who.organization_ids
        or can_manage_workplan(user, activity.working_group_id)
        or can_change_content(user, activity)
    )


def can_share_activity(user, activity: Activity) -> bool:
    return can_share_content(user, activity)


register_content_rules(Activity, change=can_edit_activity, share=can_share_activity)

# The Secretariat's reporting periods are administrative records: its audit trail shows them in full.
administrative(ReportingPeriod)
