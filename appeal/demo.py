"""appeal's part of ``seed_demo``: two cycles of the Multi-Year Appeal over the demo's projects — 2023–2024,
closed, and the current two years, open — with yearly requirements and a ledger of pledges, commitments and
payments by Member States (in dollars and euros, a reversal among them). Drawn from a fixed seed, written
through the services (rules and checks included); a cycle already there is left as it is (its ledger is
append-only)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from appeal import services
from appeal.models import AppealCycle, Earmark, Flow, Priority, Stage
from core.demo import DemoRun
from directory.access import Visibility
from directory.models import Membership, Organization, OrganizationKind
from projects.models import Project, ProjectStatus

#: The demo portfolio's themes (projects.demo) → the Appeal's priorities.
PRIORITIES = {
    "Preventing and countering violent extremism": Priority.PCVE,
    "Countering the financing of terrorism": Priority.CFT,
    "Emerging threats and new technologies": Priority.NEW_TECHNOLOGIES,
    "Criminal justice and the rule of law": Priority.CRIMINAL_JUSTICE,
    "Prosecution, rehabilitation and reintegration": Priority.CRIMINAL_JUSTICE,
    "Border management and law enforcement": Priority.BORDER_SECURITY,
    "Aviation and maritime security": Priority.BORDER_SECURITY,
    "Victims of terrorism": Priority.VICTIMS,
    "Human rights": Priority.GENDER_HUMAN_RIGHTS,
    "Gender": Priority.GENDER_HUMAN_RIGHTS,
}
DONORS = ["USA", "DEU", "GBR", "JPN", "CAN", "NOR", "NLD", "QAT", "SAU", "CHE"]
PROJECTS_PER_CYCLE = 30
EURO = Decimal("1.0850")


def seed(run: DemoRun) -> None:
    secretariat = run.users.get("secretariat")
    if secretariat is None:
        return
    rng = random.Random(2026)  # noqa: S311 -- the same demo every run, not a secret
    this_year = timezone.localdate().year
    donors = list(
        Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE, iso3__in=DONORS).order_by("iso3")
    )
    for first, closed in ((this_year - 3, True), (this_year - 1, False)):
        name = f"{first}–{first + 1}"
        if AppealCycle.objects.filter(name=name).exists():
            continue
        cycle = services.open_cycle(name=name, first_year=first, last_year=first + 1, by=secretariat)
        appealed = _appeal_projects(rng, cycle, first)
        _flows(rng, cycle, appealed, donors, secretariat)
        _show_one_publicly(cycle, appealed, donors[0], secretariat)
        if closed:
            services.close_cycle(cycle, by=secretariat)
        run.write(f"appeal: the {name} cycle, {len(appealed)} appeal projects")


def _show_one_publicly(cycle: AppealCycle, appealed: list, donor, by) -> None:
    """A published appeal project of a public project — one with funding earmarked to it, if any, else given a
    commitment — shown on the public pages by its lead: the public Appeal search and the landing page's
    coverage have something to show."""
    candidates = [
        appeal_project
        for appeal_project in appealed
        if appeal_project.is_published and appeal_project.project.visibility == Visibility.PUBLIC
    ]
    if not candidates:
        return
    funded = set(
        Flow.objects.filter(
            appeal_project__in=candidates, stage__in=(Stage.COMMITMENT, Stage.PAID)
        ).values_list("appeal_project_id", flat=True)
    )
    candidates.sort(key=lambda appeal_project: appeal_project.pk not in funded)
    chosen = candidates[0]
    if chosen.pk not in funded:
        services.record_flow(
            cycle=cycle, donor=donor, stage=Stage.COMMITMENT, date=date(cycle.first_year, 5, 1),
            amount=Decimal(300_000), currency="USD", earmark=Earmark.PROJECT, appeal_project=chosen, by=by,
        )  # fmt: skip
    services.change_appeal_project(chosen, by=_lead_person(chosen.project), is_public=True)


def _lead_person(project: Project):
    membership = (
        Membership.objects.filter(organization_id=project.owner_id, ended_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _appeal_projects(rng: random.Random, cycle: AppealCycle, first: int) -> list:
    """Platform-wide projects of the demo that run in the cycle's years, appealed for by their leads, with a
    requirement for each year; most published."""
    candidates = list(
        Project.objects.filter(
            visibility__in=(Visibility.PLATFORM, Visibility.PUBLIC),
            start__year__lte=first + 1,
            end__year__gte=first,
        )
        .exclude(status=ProjectStatus.CANCELLED)
        .exclude(budget_usd__isnull=True)
        .prefetch_related("themes")
        .order_by("pk")
    )
    appealed = []
    for project in rng.sample(candidates, min(PROJECTS_PER_CYCLE, len(candidates))):
        person = _lead_person(project)
        priorities = sorted({PRIORITIES[t.name] for t in project.themes.all() if t.name in PRIORITIES})
        if person is None or not priorities:
            continue
        appeal_project = services.add_appeal_project(
            cycle=cycle, project=project, priorities=priorities, by=person, is_published=rng.random() < 0.9
        )
        yearly = (project.budget_usd * Decimal(rng.choice(["0.2", "0.3", "0.4"]))).quantize(Decimal(1000))
        services.set_requirements(
            appeal_project, amounts={first: yearly, first + 1: yearly + Decimal(50_000)}, by=person
        )
        appealed.append(appeal_project)
    return appealed


def _flows(rng: random.Random, cycle: AppealCycle, appealed: list, donors: list, by) -> None:
    """For about two projects in three: a donor's commitment (in dollars or euros), most of it paid; a few
    pledges not yet committed; one unearmarked contribution, committed and paid; one commitment recorded by
    mistake and reversed."""
    first = cycle.first_year
    for appeal_project in appealed:
        if rng.random() > 0.65:
            continue
        donor = rng.choice(donors)
        currency, rate = rng.choice([("USD", None), ("USD", None), ("EUR", EURO)])
        amount = Decimal(rng.randrange(100, 900)) * 1000
        earmark = {"earmark": Earmark.PROJECT, "appeal_project": appeal_project}
        money = {"currency": currency, "usd_rate": rate}
        services.record_flow(
            cycle=cycle, donor=donor, stage=Stage.COMMITMENT, date=date(first, rng.randint(1, 6), 1),
            amount=amount, **money, **earmark, by=by,
        )  # fmt: skip
        if rng.random() < 0.8:
            services.record_flow(
                cycle=cycle, donor=donor, stage=Stage.PAID, date=date(first, rng.randint(7, 12), 1),
                amount=(amount * Decimal(rng.choice(["0.5", "0.75", "1"]))).quantize(Decimal(1)),
                **money, **earmark, by=by,
            )  # fmt: skip
        if rng.random() < 0.2:
            services.record_flow(
                cycle=cycle, donor=rng.choice(donors), stage=Stage.PLEDGE, date=date(first + 1, 2, 1),
                amount=Decimal(rng.randrange(50, 300)) * 1000, currency="USD", **earmark, by=by,
            )  # fmt: skip
    if appealed:
        unearmarked = {"cycle": cycle, "donor": donors[0], "amount": Decimal(2_000_000), "currency": "USD"}
        services.record_flow(stage=Stage.COMMITMENT, date=date(first, 2, 1), **unearmarked, by=by)
        services.record_flow(stage=Stage.PAID, date=date(first, 3, 15), **unearmarked, by=by)
        twice = services.record_flow(
            cycle=cycle, donor=donors[1], stage=Stage.COMMITMENT, date=date(first, 4, 1),
            amount=Decimal(250_000), currency="USD", earmark=Earmark.PROJECT, appeal_project=appealed[0],
            by=by,
        )  # fmt: skip
        services.correct_flow(
            twice,
            amount=Decimal(-250_000),
            reason=_("Recorded by mistake: the donor's letter was a draft."),
            by=by,
        )
