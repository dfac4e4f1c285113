"""The planning URLs in the permission matrix (see tests/permission_matrix.py).

The world's Working Group is WG 2: CTED (wg_chair) chairs it and UNODC (focal_a) is a vice-chair, so both
manage its space; UNDP (org_admin) and UNOCT (the Secretariat) are members; Kenya (focal_b) and the outsider
take no part. The world holds an activity of WG 2 for its members only, led by UNDP (its title must not
reach focal_b or the outsider), an open prioritisation round, and a reporting period with WG 2's draft.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from directory.access import Visibility
from directory.models import Organization
from planning.models import Activity, ActivityStatus, PrioritisationRound, ProgressReport, ReportingPeriod
from tests.permission_matrix import Row, everyone, secretariat_only

PRIVATE_TITLE = "Members-only activity of WG 2"
OUTSIDE = ["outsider", "focal_b"]
NOT_IN_SPACE = dict.fromkeys(OUTSIDE, 404)
MANAGERS_ONLY = everyone(403, focal_a=200, wg_chair=200, secretariat=200)
READERS = everyone(200, outsider=403, focal_b=403)


def build(world) -> None:
    """Create the objects the rows request and keep them in ``world.extra``."""
    undp = Organization.objects.get(reference_key="entity:UNDP")
    group = world.working_group
    private = Activity.objects.create(
        working_group=group, title=PRIVATE_TITLE, lead_organization=undp, owner=undp,
        visibility=Visibility.WORKING_GROUP_MEMBERS, start=date(2026, 1, 1), end=date(2026, 6, 30),
    )  # fmt: skip
    other = Activity.objects.create(
        working_group=group, title="Open activity of WG 2", lead_organization=undp, owner=undp,
        visibility=Visibility.WORKING_GROUP, start=date(2026, 2, 1), end=date(2026, 3, 31),
        status=ActivityStatus.PROPOSED,
    )  # fmt: skip
    now = timezone.now()
    round_ = PrioritisationRound.objects.create(
        working_group=group, title="Open round of WG 2", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )  # fmt: skip
    round_.activities.set([private, other])
    period = ReportingPeriod.objects.create(
        name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31), due=date(2027, 1, 31)
    )
    ProgressReport.objects.create(working_group=group, period=period, achievements="Draft of WG 2")
    world.extra.update(planning_activity=private, planning_round=round_, planning_period=period)


def _group(w) -> dict:
    return {"wg": w.working_group.pk}


def _activity(w) -> dict:
    return {"pk": w.extra["planning_activity"].pk}


def _round(w) -> dict:
    return {"pk": w.extra["planning_round"].pk}


def _period(w) -> dict:
    return {"pk": w.extra["planning_period"].pk}


def _report(w) -> dict:
    return {"wg": w.working_group.pk, "period": w.extra["planning_period"].pk}


ROWS: list = [
    # the workplan: anyone signed in opens it and lists only what they may read
    Row("planning:workplan", everyone(200), kwargs=_group, hidden=dict.fromkeys(OUTSIDE, PRIVATE_TITLE)),
    # members and managers propose activities
    Row("planning:activity_new", READERS, kwargs=_group),
    Row("planning:activity", everyone(200, **NOT_IN_SPACE), kwargs=_activity),
    # the lead organisation (UNDP) and the space's managers edit it
    Row("planning:activity_edit", everyone(200, **NOT_IN_SPACE), kwargs=_activity),
    # rounds: opened by managers, followed by the space, scored by member organisations
    Row("planning:round_new", MANAGERS_ONLY, kwargs=_group),
    Row(
        "planning:round",
        everyone(200, **NOT_IN_SPACE),
        kwargs=_round,
        hidden=dict.fromkeys(OUTSIDE, PRIVATE_TITLE),
    ),
    Row("planning:ballot", everyone(200, **NOT_IN_SPACE), kwargs=_round),
    Row("planning:round_close", everyone(405), kwargs=_round),  # POST only
    # the Secretariat's views across groups
    Row("planning:timeline", secretariat_only()),
    Row("planning:periods", secretariat_only()),
    Row("planning:period_new", secretariat_only()),
    Row("planning:period", secretariat_only(), kwargs=_period),
    Row("planning:period_export", secretariat_only(), kwargs=lambda w: {**_period(w), "fmt": "docx"}),
    # a group's reports: read by its members and managers, drafted by its managers
    Row("planning:reports", READERS, kwargs=_group),
    Row("planning:report", READERS, kwargs=_report),
    Row("planning:report_edit", MANAGERS_ONLY, kwargs=_report),
    Row("planning:report_submit", everyone(405), kwargs=_report),  # POST only
]
