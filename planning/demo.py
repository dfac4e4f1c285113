"""planning's part of ``seed_demo``: a workplan for each of the 8 Working Groups, a closed prioritisation
round with ballots and an open one in WG 2, and a reporting period (the current year) with WG 2's report
submitted and WG 6's in draft. Rows are found by their natural keys, so a rerun updates them."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from core.demo import DemoRun
from directory.access import Visibility
from directory.models import LEADERSHIP_ROLES, MEMBER_ROLES, Organization, Participation, WorkingGroup
from planning import figures, services
from planning.models import (
    Activity,
    ActivityStatus,
    PrioritisationRound,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)

S = ActivityStatus
#: Per group: (title, status, first month, last month) — months of the current year (negative: last year).
WORKPLANS = {
    1: [
        ("Regional PCVE action plans: peer review", S.ONGOING, 1, 9),
        ("Youth engagement toolkit", S.PLANNED, 4, 12),
        ("Online hate speech and radicalisation: expert meeting", S.PROPOSED, 7, 9),
    ],
    2: [
        ("Advance passenger information roll-out support", S.ONGOING, 1, 12),
        ("Joint border-management training curriculum", S.PROPOSED, 4, 10),
        ("Maritime security capacity mapping", S.PROPOSED, 5, 11),
        ("Biometrics good-practice compendium update", S.PROPOSED, 3, 8),
        ("Law enforcement information-sharing workshop (Sahel)", S.PROPOSED, 6, 7),
        ("Small arms and terrorism nexus study", S.COMPLETED, -3, 3),
    ],
    3: [
        ("Protection of critical infrastructure: guide for Member States", S.ONGOING, 2, 11),
        ("Unmanned aircraft systems threat briefing", S.PLANNED, 6, 8),
        ("Chemical and biological preparedness exercise", S.PROPOSED, 9, 12),
    ],
    4: [
        ("Battlefield evidence admissibility handbook", S.ONGOING, 1, 10),
        ("Prosecution, rehabilitation and reintegration strategies", S.PLANNED, 5, 12),
        ("Judicial cooperation network meeting", S.COMPLETED, 2, 3),
    ],
    5: [
        ("Multi-Year Appeal: mid-term review", S.ONGOING, 3, 9),
        ("Results framework indicators refresh", S.PLANNED, 6, 12),
        ("Donor briefing on joint programmes", S.COMPLETED, 1, 2),
    ],
    6: [
        ("National counter-terrorism strategies: drafting support", S.ONGOING, 1, 12),
        ("Regional strategies exchange (Central Asia)", S.PLANNED, 5, 6),
        ("Coordination with UN country teams: guidance note", S.PROPOSED, 8, 11),
    ],
    7: [
        ("Victims of terrorism: model legislative provisions", S.ONGOING, 2, 12),
        ("Human rights due diligence training", S.PLANNED, 4, 6),
        ("Civil society consultation on counter-terrorism measures", S.PROPOSED, 9, 10),
    ],
    8: [
        ("Gender-sensitive counter-terrorism responses: guidance", S.ONGOING, 1, 8),
        ("Gender analysis training for focal points", S.PLANNED, 6, 9),
        ("Women's participation in PCVE: mapping", S.COMPLETED, 1, 4),
    ],
}

#: WG 2's rounds: (title, covers titles, ballots {org reference key: [scores in covered order]}).
CLOSED_ROUND = "WG 2: priorities for the first half of the year"
CLOSED_COVERS = [
    "Joint border-management training curriculum",
    "Maritime security capacity mapping",
    "Biometrics good-practice compendium update",
]
CLOSED_BALLOTS = {
    "entity:CTED": ("wg_chair", [5, 3, 4]),
    "entity:UNODC": ("entity_focal_point", [4, 2, 5]),
    "entity:UNDP": ("organization_admin", [5, 3, 3]),
    "entity:UNOCT": ("secretariat", [4, 4, None]),
}
OPEN_ROUND = "WG 2: activities proposed for the Sahel"
OPEN_COVERS = ["Law enforcement information-sharing workshop (Sahel)", "Maritime security capacity mapping"]


def _month_start(year: int, month: int) -> date:
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def _month_end(year: int, month: int) -> date:
    first = _month_start(year, month)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _lead_and_contributors(group: WorkingGroup) -> tuple[list[Organization], list[Organization]]:
    participations = list(
        Participation.objects.filter(working_group=group, role__in=MEMBER_ROLES, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    leads = [p.organization for p in participations if p.role in LEADERSHIP_ROLES]
    members = [p.organization for p in participations if p.role not in LEADERSHIP_ROLES]
    return (leads + members) or [Organization.objects.get(reference_key="entity:UNOCT")], members


def seed_workplans(run: DemoRun, year: int) -> dict[str, Activity]:
    created = {}
    for number, items in WORKPLANS.items():
        group = WorkingGroup.objects.get(number=number)
        leads, members = _lead_and_contributors(group)
        for index, (title, status, first, last) in enumerate(items):
            lead = leads[index % len(leads)]
            activity, _ = Activity.objects.update_or_create(
                working_group=group,
                title=title,
                defaults={
                    "description": f"{title}. Demo activity of the {group.short_name} workplan.",
                    "lead_organization": lead,
                    "owner": lead,
                    "author": run.users.get("wg_chair") if number == 2 else None,
                    "visibility": Visibility.WORKING_GROUP,
                    "pillar": group.pillars.order_by("number").first(),
                    "start": _month_start(year, first),
                    "end": _month_end(year, last),
                    "status": status,
                },
            )
            activity.contributing_organizations.set([m for m in members[index : index + 2] if m != lead])
            created[title] = activity
    return created


def seed_rounds(run: DemoRun, activities: dict[str, Activity]) -> None:
    group = WorkingGroup.objects.get(number=2)
    now = timezone.now()
    chair = run.users.get("wg_chair")
    closed, _ = PrioritisationRound.objects.update_or_create(
        working_group=group,
        title=CLOSED_ROUND,
        defaults={
            "opened_by": chair,
            "opens_at": now - timedelta(days=60),
            "closes_at": now - timedelta(days=45),
            "instructions": "Score each proposed activity from 1 to 5.",
        },
    )
    covered = [activities[title] for title in CLOSED_COVERS]
    closed.activities.set(covered)
    for org_key, (role, scores) in CLOSED_BALLOTS.items():
        organization = Organization.objects.get(reference_key=org_key)
        ballot, _ = closed.ballots.get_or_create(
            organization=organization,
            defaults={"submitted_by": run.users.get(role), "submitted_at": now - timedelta(days=50)},
        )
        for activity, score in zip(covered, scores, strict=True):
            if score is not None:
                ballot.scores.update_or_create(activity=activity, defaults={"score": score})
    if closed.closed_at is None:
        closed.closed_at, closed.closed_by = now - timedelta(days=44), chair
        closed.save(update_fields=["closed_at", "closed_by"])
    services.record_priorities(closed)
    open_round = PrioritisationRound.objects.filter(working_group=group, title=OPEN_ROUND).first()
    if open_round is None:
        # At most one round of a group is not closed: another pending round would be in the way.
        PrioritisationRound.objects.filter(working_group=group, closed_at__isnull=True).update(closed_at=now)
        open_round = PrioritisationRound(working_group=group, title=OPEN_ROUND)
    open_round.opened_by = chair
    open_round.opens_at = now - timedelta(days=3)
    open_round.closes_at = now + timedelta(days=11)
    open_round.closed_at = None
    open_round.instructions = "Which of these should the group take up first?"
    open_round.save()
    open_round.activities.set([activities[title] for title in OPEN_COVERS])


def seed_reports(run: DemoRun, year: int) -> None:
    period, _ = ReportingPeriod.objects.update_or_create(
        name=str(year),
        defaults={"start": date(year, 1, 1), "end": date(year, 12, 31), "due": date(year + 1, 1, 31)},
    )
    chair = run.users.get("wg_chair")
    wg2 = WorkingGroup.objects.get(number=2)
    report, _ = ProgressReport.objects.get_or_create(
        working_group=wg2,
        period=period,
        defaults={
            "achievements": "Advance passenger information systems are being rolled out with three Member "
            "States; the small arms and terrorism nexus study was completed and shared with the members.",
            "challenges": "Funding for the joint training curriculum is not secured yet.",
            "next_steps": "Launch the joint training curriculum and the maritime capacity mapping.",
            "drafted_by": chair,
        },
    )
    if not report.is_submitted:
        report.figures = figures.compute(wg2, period.start, period.end)
        report.status, report.submitted_by, report.submitted_at = (
            ReportStatus.SUBMITTED,
            chair,
            timezone.now(),
        )
        report.save()
    ProgressReport.objects.get_or_create(
        working_group=WorkingGroup.objects.get(number=6),
        period=period,
        defaults={
            "achievements": "Drafting support to national strategies continued (draft in progress).",
            "drafted_by": run.users.get("secretariat"),
        },
    )


def seed(run: DemoRun) -> None:
    year = timezone.localdate().year
    activities = seed_workplans(run, year)
    seed_rounds(run, activities)
    seed_reports(run, year)
    run.write(
        f"planning: {len(activities)} workplan activities in 8 Working Groups, "
        f"2 prioritisation rounds in WG 2, reporting period {year} (WG 2 submitted, WG 6 in draft)"
    )
