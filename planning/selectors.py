"""Reads of planning and reporting, always on behalf of a user (or of a Working Group's space)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.freshness import Stale, stale
from directory.access import viewer
from directory.models import MEMBER_ROLES, Organization, Participation, WorkingGroup
from directory.selectors import registry_names
from planning.models import (
    OPEN_STATUSES,
    PLAN_VISIBILITIES,
    Activity,
    Ballot,
    PrioritisationRound,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from planning.rules import reporting_group_ids


def activities_for(user) -> QuerySet[Activity]:
    """The activities the user may read, with what a list row shows fetched in the same query."""
    return Activity.objects.visible_to(user).select_related("lead_organization", "pillar", "working_group")


def by_priority(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Prioritised first (1 is the highest), then by start."""
    return activities.order_by(F("priority").asc(nulls_last=True), "start", "pk")


def workplan(user, working_group: WorkingGroup, *, status: str = "") -> list[Activity]:
    """The group's activities the user may read, in priority order, contributors prefetched (2 queries)."""
    activities = activities_for(user).filter(working_group=working_group)
    if status:
        activities = activities.filter(status=status)
    return list(
        by_priority(activities).prefetch_related(
            Prefetch("contributing_organizations", queryset=Organization.objects.order_by("acronym", "name"))
        )
    )


def open_activities(user, working_group: WorkingGroup, limit: int = 5) -> list[Activity]:
    """For the WG home: the group's open workplan items (proposed, planned, ongoing) the user may read,
    highest priority first (one query)."""
    activities = activities_for(user).filter(working_group=working_group, status__in=OPEN_STATUSES)
    return list(by_priority(activities)[:limit])


def current_round(working_group: WorkingGroup) -> PrioritisationRound | None:
    """For the WG home: the group's round not closed yet (scheduled, open or ended), if any."""
    return PrioritisationRound.objects.filter(working_group=working_group, closed_at__isnull=True).first()


def rounds_of(working_group: WorkingGroup, limit: int = 10) -> list[PrioritisationRound]:
    return list(
        PrioritisationRound.objects.filter(working_group=working_group).order_by("-opens_at", "-pk")[:limit]
    )


@dataclass
class Result:
    activity: Activity
    mean: float | None
    votes: int
    rank: int


def results(round_: PrioritisationRound) -> list[Result]:
    """The round's activities by mean score (highest first), ties broken by the number of organisations
    that scored them (more first), then by start date and id; activities nobody scored come last."""
    tallies = {
        row["scores__activity"]: row
        for row in round_.ballots.filter(scores__isnull=False)
        .order_by()
        .values("scores__activity")
        .annotate(mean=Avg("scores__score"), votes=Count("scores"))
    }
    activities = list(round_.activities.select_related("lead_organization").order_by("start", "pk"))

    def key(activity):
        tally = tallies.get(activity.pk)
        if tally is None:
            return (1, 0.0, 0, activity.start, activity.pk)
        return (0, -float(tally["mean"]), -tally["votes"], activity.start, activity.pk)

    ordered = sorted(activities, key=key)
    return [
        Result(
            activity=activity,
            mean=round(float(tallies[activity.pk]["mean"]), 2) if activity.pk in tallies else None,
            votes=tallies[activity.pk]["votes"] if activity.pk in tallies else 0,
            rank=position,
        )
        for position, activity in enumerate(ordered, start=1)
    ]


def ballots_of(round_: PrioritisationRound) -> list[Ballot]:
    return list(round_.ballots.select_related("organization").order_by("organization__name"))


def ballot_of(round_: PrioritisationRound, organization_ids) -> Ballot | None:
    return (
        round_.ballots.filter(organization_id__in=organization_ids)
        .select_related("organization", "submitted_by")
        .prefetch_related("scores")
        .first()
    )


# --- the cross-WG timeline -------------------------------------------------------------------------


@dataclass
class TimelineRow:
    activity: Activity
    #: One flag per quarter of the year: does the activity run in it?
    quarters: list[bool]
    visible: bool


@dataclass
class TimelineGroup:
    working_group: WorkingGroup
    rows: list[TimelineRow] = field(default_factory=list)


def quarter_bounds(year: int) -> list[tuple[date, date]]:
    return [
        (date(year, 1, 1), date(year, 3, 31)),
        (date(year, 4, 1), date(year, 6, 30)),
        (date(year, 7, 1), date(year, 9, 30)),
        (date(year, 10, 1), date(year, 12, 31)),
    ]


def timeline(user, *, year: int, pillar_id: int | None = None) -> list[TimelineGroup]:
    """Every Working Group's activities running in ``year``, side by side (the Secretariat's view).

    Activities are planning data the Secretariat coordinates: all of them are listed (their visibilities
    are limited to the plan's, see PLAN_VISIBILITIES), but only those the user may read link to their page.
    Three queries whatever the number of groups and activities."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    activities = Activity.objects.filter(visibility__in=PLAN_VISIBILITIES, start__lte=last, end__gte=first)
    if pillar_id:
        activities = activities.filter(pillar_id=pillar_id)
    activities = list(
        activities.select_related("lead_organization", "pillar").order_by(
            "working_group__number", F("priority").asc(nulls_last=True), "start", "pk"
        )
    )
    visible = set(
        Activity.objects.visible_to(user)
        .filter(pk__in=[a.pk for a in activities])
        .values_list("pk", flat=True)
    )
    groups = {
        group.pk: TimelineGroup(group)
        for group in WorkingGroup.objects.filter(is_active=True).order_by("number")
    }
    quarters = quarter_bounds(year)
    for activity in activities:
        group = groups.get(activity.working_group_id)
        if group is None:
            continue
        group.rows.append(
            TimelineRow(
                activity=activity,
                quarters=[activity.start <= q_end and activity.end >= q_start for q_start, q_end in quarters],
                visible=activity.pk in visible,
            )
        )
    return list(groups.values())


def timeline_years() -> list[int]:
    this_year = timezone.localdate().year
    bounds = Activity.objects.order_by().values_list("start__year", flat=True).distinct()
    return sorted({this_year, *bounds}, reverse=True)[:15]


# --- reports ---------------------------------------------------------------------------------------


def periods() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.order_by("-start", "-pk")


def reports_of_group(working_group: WorkingGroup) -> list[tuple[ReportingPeriod, ProgressReport | None]]:
    """Every period with the group's report for it (or None), newest first (2 queries)."""
    reports = {
        report.period_id: report for report in ProgressReport.objects.filter(working_group=working_group)
    }
    return [(period, reports.get(period.pk)) for period in periods()]


def report_of(working_group: WorkingGroup, period: ReportingPeriod) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(working_group=working_group, period=period)
        .select_related("drafted_by", "submitted_by")
        .first()
    )


@dataclass
class PeriodEntry:
    working_group: WorkingGroup
    report: ProgressReport | None


def side_by_side(period: ReportingPeriod) -> list[PeriodEntry]:
    """Every active Working Group with its report for the period, or None (2 queries)."""
    reports = {
        report.working_group_id: report
        for report in ProgressReport.objects.filter(period=period).select_related("submitted_by")
    }
    return [
        PeriodEntry(group, reports.get(group.pk))
        for group in WorkingGroup.objects.filter(is_active=True).order_by("number")
    ]


def reports_submitted_between(first, last) -> QuerySet[ProgressReport]:
    """The progress reports submitted in [first, last), with their group and period — the fact only: a
    report's text is for the group's members and managers, so a reader for everyone (the newsletter) may
    say that a group reported, never what."""
    return (
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, submitted_at__gte=first, submitted_at__lt=last
        )
        .select_related("working_group", "period")
        .order_by("working_group__number", "submitted_at")
    )


# --- what waits for a person (the home) ------------------------------------------------------------


def rounds_awaiting_ballot(user) -> list[PrioritisationRound]:
    """The open rounds of groups where one of the user's organisations is a member (it votes: observers and
    guests do not) and has not submitted its ballot, closing first first (one query)."""
    who = viewer(user)
    if who is None or not who.member_group_ids:
        return []
    now = timezone.now()
    voted = Ballot.objects.filter(round_id=OuterRef(OuterRef("pk"))).values("organization_id")
    unvoted = (
        Participation.objects.current()
        .filter(
            working_group_id=OuterRef("working_group_id"),
            organization_id__in=who.organization_ids,
            role__in=MEMBER_ROLES,
        )
        .exclude(organization_id__in=voted)
    )
    return list(
        PrioritisationRound.objects.filter(
            Exists(unvoted),
            working_group_id__in=who.member_group_ids,
            closed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .select_related("working_group")
        .order_by("closes_at", "pk")
    )


#: A progress report waits for its group's chairs from this many days before the period's due date...
REPORT_NOTICE_DAYS = 60
#: ...until it is submitted, or this many days after the due date (an older period is history).
REPORT_OVERDUE_DAYS = 365


@dataclass(frozen=True)
class DueReport:
    working_group_id: int
    working_group: str
    period: ReportingPeriod

    @property
    def url(self) -> str:
        return reverse("planning:report", kwargs={"wg": self.working_group_id, "period": self.period.pk})


def reports_due(user) -> list[DueReport]:
    """The progress reports the user's groups owe (``planning.rules.reporting_group_ids``) and have not
    submitted, for the periods due within REPORT_NOTICE_DAYS or overdue by at most REPORT_OVERDUE_DAYS,
    earliest due first (two queries; the groups' names come from the registry's cached names)."""
    groups = reporting_group_ids(user)
    if not groups:
        return []
    today = timezone.localdate()
    periods = list(
        ReportingPeriod.objects.filter(
            due__lte=today + timezone.timedelta(days=REPORT_NOTICE_DAYS),
            due__gte=today - timezone.timedelta(days=REPORT_OVERDUE_DAYS),
        ).order_by("due", "pk")
    )
    if not periods:
        return []
    submitted = set(
        ProgressReport.objects.filter(
            period__in=periods, working_group_id__in=groups, status=ReportStatus.SUBMITTED
        ).values_list("working_group_id", "period_id")
    )
    names = registry_names("working_group")
    return [
        DueReport(group, names.get(str(group), ""), period)
        for period in periods
        for group in sorted(groups)
        if (group, period.pk) not in submitted
    ]


def stale_activities_of(user) -> Stale:
    """The open workplan activities (proposed, planned, ongoing) the user's organisations own or lead, not
    updated for ``FRESHNESS_DAYS["activities"]``: those the user may edit (``planning.rules.
    can_edit_activity``), oldest first (one query)."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return Stale("activities", 0)
    ours = Q(owner_id__in=who.organization_ids) | Q(lead_organization_id__in=who.organization_ids)
    return stale(
        "activities",
        Activity.objects.visible_to(user)
        .filter(ours, status__in=OPEN_STATUSES)
        .only("pk", "title", "updated_at"),
        label=lambda activity: activity.title,
        url=lambda activity: reverse("planning:activity_edit", args=[activity.pk]),
    )
