"""The planning URLs in the permission matrix (see tests/permission_matrix.py).

The world's Working Group is WG 2: CTED (wg_chair) chairs it and UNODC (focal_a) is a vice-chair, so both
manage its space; UNDP (org_admin) and UNOCT (the Secretariat) are members; Kenya (focal_b) and the outsider
take no part. The world holds an activity of WG 2 for its members only, led by UNDP (its title must not
reach focal_b or the outsider), an open prioritisation round, and a reporting period with WG 2's draft.

The POST rows: members propose activities (in their own organisation's name: UNDP's here) and score rounds
(for their own organisation); the lead organisation and the space's managers edit an activity; the
managers open and close rounds and draft and submit reports; the Secretariat opens reporting periods. A
new round is opened in WG 5, whose managers are the same roles (UNOCT chairs it, CTED and UNODC co-chair,
UNDP is a member): WG 2 already has a round that is not closed, and only one may be open at a time.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from directory.access import Visibility
from directory.models import WorkingGroup
from planning.forms import ActivityForm
from planning.models import (
    Activity,
    ActivityStatus,
    Ballot,
    PrioritisationRound,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from tests import permission_matrix as pm

PRIVATE_TITLE = "Members-only activity of WG 2"
OUTSIDE = ["outsider", "focal_b"]
NOT_IN_SPACE = dict.fromkeys(OUTSIDE, 404)
MANAGERS_ONLY = pm.everyone(403, focal_a=200, wg_chair=200, secretariat=200)
READERS = pm.everyone(200, outsider=403, focal_b=403)
NEW_TITLE = "Activity proposed through the permission matrix"
NEW_ROUND = "Round opened through the permission matrix"


def _activity(group: WorkingGroup, title: str, **fields) -> Activity:
    undp = pm.org("entity:UNDP")
    fields.setdefault("visibility", Visibility.WORKING_GROUP)
    return Activity.objects.create(
        working_group=group, title=title, lead_organization=undp, owner=undp, start=date(2026, 1, 1),
        end=date(2026, 6, 30), **fields,
    )  # fmt: skip


def _period(name: str, year: int) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        name=name, start=date(year, 1, 1), end=date(year, 12, 31), due=date(year + 1, 1, 31)
    )


def build(world) -> None:
    """Create the objects the rows request and keep them in ``world.extra``."""
    group = world.working_group
    private = _activity(group, PRIVATE_TITLE, visibility=Visibility.WORKING_GROUP_MEMBERS)
    other = _activity(group, "Open activity of WG 2", status=ActivityStatus.PROPOSED)
    now = timezone.now()
    round_ = PrioritisationRound.objects.create(
        working_group=group, title="Open round of WG 2", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )  # fmt: skip
    round_.activities.set([private, other])
    period = _period("2026", 2026)
    ProgressReport.objects.create(working_group=group, period=period, achievements="Draft of WG 2")
    world.extra.update(planning_activity=private, planning_round=round_, planning_period=period)
    # for the POST rows: a report to submit (in a period of its own), WG 5's activities for a new round
    to_submit = _period("2027", 2027)
    ProgressReport.objects.create(working_group=group, period=to_submit, achievements="Ready to submit")
    wg5 = WorkingGroup.objects.get(number=5)
    world.extra.update(
        period_to_submit=to_submit,
        wg5=wg5,
        wg5_activities=[_activity(wg5, f"WG 5 activity {n}", status=ActivityStatus.PROPOSED) for n in (1, 2)],
    )


def _group(w) -> dict:
    return {"wg": w.working_group.pk}


def _activity_pk(w) -> dict:
    return {"pk": w.extra["planning_activity"].pk}


def _round(w) -> dict:
    return {"pk": w.extra["planning_round"].pk}


def _period_pk(w) -> dict:
    return {"pk": w.extra["planning_period"].pk}


def _report(w) -> dict:
    return {"wg": w.working_group.pk, "period": w.extra["planning_period"].pk}


ROWS: list = [
    # the workplan: anyone signed in opens it and lists only what they may read
    pm.Row(
        "planning:workplan", pm.everyone(200), kwargs=_group, hidden=dict.fromkeys(OUTSIDE, PRIVATE_TITLE)
    ),
    # members and managers propose activities
    pm.Row("planning:activity_new", READERS, kwargs=_group),
    pm.Row("planning:activity", pm.everyone(200, **NOT_IN_SPACE), kwargs=_activity_pk),
    # the lead organisation (UNDP) and the space's managers edit it
    pm.Row("planning:activity_edit", pm.everyone(200, **NOT_IN_SPACE), kwargs=_activity_pk),
    # rounds: opened by managers, followed by the space, scored by member organisations
    pm.Row("planning:round_new", MANAGERS_ONLY, kwargs=_group),
    pm.Row(
        "planning:round",
        pm.everyone(200, **NOT_IN_SPACE),
        kwargs=_round,
        hidden=dict.fromkeys(OUTSIDE, PRIVATE_TITLE),
    ),
    pm.Row("planning:ballot", pm.everyone(200, **NOT_IN_SPACE), kwargs=_round),
    pm.Row("planning:round_close", pm.everyone(405), kwargs=_round),  # POST only
    # the Secretariat's views across groups
    pm.Row("planning:timeline", pm.secretariat_only()),
    pm.Row("planning:periods", pm.secretariat_only()),
    pm.Row("planning:period_new", pm.secretariat_only()),
    pm.Row("planning:period", pm.secretariat_only(), kwargs=_period_pk),
    pm.Row(
        "planning:period_export", pm.secretariat_only(), kwargs=lambda w: {**_period_pk(w), "fmt": "docx"}
    ),
    # a group's reports: read by its members and managers, drafted by its managers
    pm.Row("planning:reports", READERS, kwargs=_group),
    pm.Row("planning:report", READERS, kwargs=_report),
    pm.Row("planning:report_edit", MANAGERS_ONLY, kwargs=_report),
    pm.Row("planning:report_submit", pm.everyone(405), kwargs=_report),  # POST only
    # the API: the same readers, a 401 instead of the sign-in page
    pm.Row(
        "api:planning-activity-list",
        pm.everyone(200, anonymous=401),
        hidden=dict.fromkeys(OUTSIDE, PRIVATE_TITLE),
    ),
    pm.Row(
        "api:planning-activity-detail", pm.everyone(200, anonymous=401, **NOT_IN_SPACE), kwargs=_activity_pk
    ),
]

#: Those who run the space (WG 2's, and WG 5's: the same roles).
MANAGERS = pm.everyone(403, focal_a=pm.DONE, wg_chair=pm.DONE, secretariat=pm.DONE)


def _activity_body(w) -> dict:
    """The activity's edit form as its lead organisation (UNDP) sees it, with a new title."""
    activity = Activity.objects.get(pk=w.extra["planning_activity"].pk)
    form = ActivityForm(
        instance=activity, user=w.users["org_admin"], working_group=w.working_group, may_manage=False
    )
    return pm.form_body(form, title=pm.EDITED)


POST_ROWS = [
    # proposed in UNDP's name: other members may not choose it as the owner; outsiders may not propose
    pm.PostRow(
        "planning:activity_new",
        pm.everyone(pm.REFUSED, org_admin=pm.DONE, outsider=403, focal_b=403),
        kwargs=_group,
        data=lambda w: {
            "title": NEW_TITLE,
            "lead_organization": pm.org("entity:UNDP").pk,
            "start": "2026-03-01",
            "end": "2026-04-30",
            "status": ActivityStatus.PROPOSED,
            "owner": pm.org("entity:UNDP").pk,
            "visibility": Visibility.WORKING_GROUP,
        },
        done=lambda w: Activity.objects.filter(title=NEW_TITLE).exists(),
    ),
    # the lead organisation (UNDP) and the managers edit; every reader of it is one of them
    pm.PostRow(
        "planning:activity_edit",
        pm.everyone(pm.DONE, **NOT_IN_SPACE),
        kwargs=_activity_pk,
        data=_activity_body,
        done=pm.edited(Activity, lambda w: w.extra["planning_activity"].pk),
    ),
    pm.PostRow(
        "planning:round_new",
        MANAGERS,
        kwargs=lambda w: {"wg": w.extra["wg5"].pk},
        data=lambda w: {
            "title": NEW_ROUND,
            "opens_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
            "activities": [activity.pk for activity in w.extra["wg5_activities"]],
        },
        done=lambda w: PrioritisationRound.objects.filter(title=NEW_ROUND).exists(),
    ),
    # UNDP's scores: only UNDP's people vote for UNDP; the space's outsiders do not see the round
    pm.PostRow(
        "planning:ballot",
        pm.everyone(pm.REFUSED, org_admin=pm.DONE, **NOT_IN_SPACE),
        kwargs=_round,
        data=lambda w: {
            "organization": pm.org("entity:UNDP").pk,
            f"score_{w.extra['planning_activity'].pk}": "5",
        },
        done=lambda w: Ballot.objects.filter(
            round=w.extra["planning_round"], organization__reference_key="entity:UNDP"
        ).exists(),
    ),
    pm.PostRow(
        "planning:round_close",
        pm.everyone(403, focal_a=pm.DONE, wg_chair=pm.DONE, secretariat=pm.DONE, **NOT_IN_SPACE),
        kwargs=_round,
        done=lambda w: PrioritisationRound.objects.filter(
            pk=w.extra["planning_round"].pk, closed_at__isnull=False
        ).exists(),
    ),
    pm.PostRow(
        "planning:period_new",
        pm.secretariat_only(pm.DONE),
        data=lambda w: {"name": "2031", "start": "2031-01-01", "end": "2031-12-31", "due": "2032-01-31"},
        done=lambda w: ReportingPeriod.objects.filter(name="2031").exists(),
    ),
    pm.PostRow(
        "planning:report_edit",
        MANAGERS,
        kwargs=_report,
        data=lambda w: {"achievements": pm.EDITED, "challenges": "", "next_steps": ""},
        done=lambda w: ProgressReport.objects.filter(
            period=w.extra["planning_period"], achievements=pm.EDITED
        ).exists(),
    ),
    pm.PostRow(
        "planning:report_submit",
        MANAGERS,
        kwargs=lambda w: {"wg": w.working_group.pk, "period": w.extra["period_to_submit"].pk},
        done=lambda w: ProgressReport.objects.filter(
            period=w.extra["period_to_submit"], status=ReportStatus.SUBMITTED
        ).exists(),
    ),
]
