"""projects' part of ``seed_demo``: a portfolio of a few hundred invented projects over the Compact's
entities, by pillar, theme and country, in several currencies — some of them in the same country, on the
same theme, at the same time, as real portfolios are. Drawn from a fixed seed: every run gives the same
projects, updated in place (matched on lead entity and code)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.demo import DemoRun
from directory.access import Visibility
from directory.models import Membership, Organization, OrganizationKind, Pillar, WorkingGroup
from projects import indexing, services
from projects.models import OverlapVerdict, Project, ProjectOverlap, ProjectStatus, ThematicArea
from projects.reference import Region

#: Theme → (words for titles, pillars, Working Group numbers, SDG targets).
THEME_PROFILES = {
    "Preventing and countering violent extremism": ("PCVE", (1,), (1,), ("16.1", "16.a")),
    "Border management and law enforcement": ("border security", (2,), (2,), ("16.4",)),
    "Emerging threats and new technologies": ("online threats", (2, 3), (3,), ("16.10",)),
    "Critical infrastructure protection": ("critical infrastructure", (2,), (3,), ("9.1",)),
    "Criminal justice and the rule of law": ("criminal justice", (3, 4), (4,), ("16.3",)),
    "Countering the financing of terrorism": ("counter-financing", (2,), (4,), ("16.4",)),
    "National and regional counter-terrorism strategies": ("national strategy", (3,), (6,), ("16.a",)),
    "Human rights": ("human rights compliance", (4,), (7,), ("16.10", "16.b")),
    "Victims of terrorism": ("victims' support", (4,), (7,), ("16.1",)),
    "Gender": ("gender-sensitive approaches", (1, 4), (8,), ("5.2", "5.5")),
    "Prosecution, rehabilitation and reintegration": (
        "prosecution and reintegration",
        (1, 3),
        (4,),
        ("16.3",),
    ),
    "Chemical, biological, radiological and nuclear terrorism": ("CBRN preparedness", (2,), (3,), ("3.d",)),
    "Aviation and maritime security": ("aviation and maritime security", (2,), (2,), ("16.4",)),
}
FORMATS = [
    "Strengthening {words} in {place}",
    "{Words} capacity building for {place}",
    "Technical assistance on {words}: {place}",
    "{Words} programme, {place}",
    "Regional dialogue on {words} ({place})",
]
#: Where budgets are given in another currency: (code, US dollars for one unit); most are in dollars.
RATES = [("USD", None)] * 7 + [("EUR", Decimal("1.0850"))] * 2 + [("GBP", Decimal("1.2700"))]
DONORS = ["USA", "DEU", "GBR", "JPN", "CAN", "NOR", "NLD", "QAT", "SAU", "CHE", "ESP", "AUS", "KOR", "CHN"]
PROJECTS_PER_ENTITY = (3, 9)


@dataclass
class Registry:
    """What the demo projects are drawn from."""

    entities: list[Organization]
    states: list[Organization]
    donors: list[Organization]
    themes: dict[str, ThematicArea]
    pillars: dict[int, Pillar]
    groups: dict[int, WorkingGroup]
    focal_points: dict[int, int]

    @classmethod
    def read(cls) -> Registry:
        active = Organization.objects.filter(is_active=True)
        entities = list(active.filter(kind=OrganizationKind.COMPACT_ENTITY).order_by("acronym"))
        states = list(
            Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE).exclude(iso3="").order_by("iso3")
        )
        focal_points: dict[int, int] = {}
        members = Membership.objects.filter(ended_at__isnull=True, organization__in=entities)
        for organization_id, user_id in members.order_by("pk").values_list("organization_id", "user_id"):
            focal_points.setdefault(organization_id, user_id)
        return cls(
            entities=entities,
            states=states,
            donors=[state for state in states if state.iso3 in DONORS],
            # The installation's starting themes (migration 0002), made again where a test flushed them.
            themes={name: ThematicArea.objects.get_or_create(name=name)[0] for name in THEME_PROFILES},
            pillars={pillar.number: pillar for pillar in Pillar.objects.all()},
            groups={group.number: group for group in WorkingGroup.objects.all()},
            focal_points=focal_points,
        )


def _status(rng: random.Random, start: date, end: date, today: date) -> str:
    if rng.random() < 0.05:
        return ProjectStatus.CANCELLED
    if start > today:
        return ProjectStatus.PIPELINE
    return ProjectStatus.COMPLETED if end < today else ProjectStatus.ONGOING


def _draw(rng: random.Random, registry: Registry, entity: Organization, today: date) -> tuple[dict, dict]:
    """One project of ``entity``: its fields, and its links (many-to-many) by field name."""
    theme = rng.choice(sorted(registry.themes))
    words, pillar_numbers, group_numbers, targets = THEME_PROFILES[theme]
    is_global = rng.random() < 0.1
    chosen = [] if is_global else rng.sample(registry.states, rng.randint(1, 3))
    countries = sorted({state.iso3 for state in chosen})
    place = _("global") if is_global else ", ".join(sorted(state.name for state in chosen))
    start = date(rng.randint(2019, today.year + 1), rng.randint(1, 12), 1)
    end = start + timedelta(days=rng.randint(1, 4) * 365 - 1)
    currency, rate = rng.choice(RATES)
    budget = Decimal(rng.randrange(50, 15_000)) * 1000
    visibility = rng.choices([Visibility.PLATFORM, Visibility.COMPACT, Visibility.OWNER], weights=[75, 20, 5])
    title = rng.choice(FORMATS).format(words=words, Words=words[0].upper() + words[1:], place=place)
    fields = {
        "title": title[:300],
        "visibility": visibility[0],
        "status": _status(rng, start, end, today),
        "start": start,
        "end": end,
        "countries": countries,
        "is_global": is_global,
        "regions": [rng.choice(Region.values)] if rng.random() < 0.2 and not is_global else [],
        "sdg_targets": list(targets),
        "budget": budget,
        "currency": currency,
        "usd_rate": rate,
        "rate_date": start if rate else None,
        "description": (
            f"{entity.display_name} works with national authorities on {words}: assessments, training of "
            "practitioners and advice on legislation and institutional arrangements."
        ),
        "expected_results": f"Practitioners trained and national plans adopted on {words}.",
        "focal_point_id": registry.focal_points.get(entity.pk),
    }
    others = [other for other in rng.sample(registry.entities, 2) if other != entity]
    links = {
        "themes": [registry.themes[theme]],
        "pillars": [registry.pillars[number] for number in pillar_numbers],
        "working_groups": [registry.groups[number] for number in group_numbers if number in registry.groups],
        "donors": rng.sample(registry.donors, min(len(registry.donors), rng.randint(1, 2))),
        "partners": others[: rng.randint(0, 2)],
    }
    return fields, links


def seed(run: DemoRun) -> None:
    rng = random.Random(2026)  # noqa: S311 -- the same demo every run, not a secret
    today = timezone.localdate()
    registry = Registry.read()
    ids = []
    for entity in registry.entities:
        for number in range(1, rng.randint(*PROJECTS_PER_ENTITY) + 1):
            fields, links = _draw(rng, registry, entity, today)
            fields["budget_usd"] = services.budget_in_usd(Project(**fields))
            project, _created = Project.objects.update_or_create(
                owner=entity,
                code=f"{entity.acronym or entity.pk}-{number:02d}",
                defaults={**fields, "author": run.users.get("secretariat")},
            )
            for name, objects in links.items():
                getattr(project, name).set(objects)
            ids.append(project.pk)
    public = _make_public(ids)
    ids += _overlapping_pair(run, registry, today)
    indexing.refresh(ids)
    _settle_one_overlap(run)
    run.write(
        f"projects: {len(ids)} demo projects of {len(registry.entities)} Compact entities, {public} public"
    )


#: Every n-th project seen by everyone on the platform is made public (the public pages' map and list).
PUBLIC_EVERY = 8


def _make_public(ids: list[int]) -> int:
    """Some of the platform-wide projects shown on the public pages as well; how many."""
    platform = list(
        Project.objects.filter(pk__in=ids, visibility=Visibility.PLATFORM)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Project.objects.filter(pk__in=platform[::PUBLIC_EVERY]).update(visibility=Visibility.PUBLIC)


def _overlapping_pair(run: DemoRun, registry: Registry, today: date) -> list[int]:
    """A UNODC and a CTED project on criminal justice in Kenya at the same time: a possible overlap that the
    demo's UNODC focal point and CTED chair find on their project pages."""
    theme = registry.themes["Criminal justice and the rule of law"]
    start = date(today.year, 1, 1)
    ids = []
    for acronym, title in (
        ("UNODC", "Criminal justice responses to terrorism in Kenya"),
        ("CTED", "Follow-up of the assessment visit to Kenya: criminal justice"),
    ):
        entity = next((e for e in registry.entities if e.acronym == acronym), None)
        if entity is None:
            continue
        project, _created = Project.objects.update_or_create(
            owner=entity, code=f"{acronym}-90",
            defaults={
                "title": title, "visibility": Visibility.PLATFORM, "status": ProjectStatus.ONGOING,
                "start": start, "end": start + timedelta(days=3 * 365), "countries": ["KEN"],
                "budget": Decimal(1_200_000), "budget_usd": Decimal(1_200_000), "sdg_targets": ["16.3"],
                "author": run.users.get("secretariat"),
                "focal_point_id": registry.focal_points.get(entity.pk),
            },
        )  # fmt: skip
        project.themes.set([theme])
        project.pillars.set([registry.pillars[number] for number in (3, 4) if number in registry.pillars])
        ids.append(project.pk)
    return ids


def _settle_one_overlap(run: DemoRun) -> None:
    """The first other pair of a UNODC project, marked coordinated by the demo's UNODC focal point."""
    person = run.users.get("entity_focal_point")
    pair = (
        ProjectOverlap.objects.filter(Q(first__owner__acronym="UNODC") | Q(second__owner__acronym="UNODC"))
        .exclude(first__code="UNODC-90")
        .exclude(second__code="UNODC-90")
        .select_related("first", "second")
        .order_by("pk")
        .first()
    )
    if person is None or pair is None or pair.verdict != OverlapVerdict.POSSIBLE:
        return
    note = _("Both teams plan their activities together: one joint steering committee, shared trainers.")
    services.mark_overlap(pair, verdict=OverlapVerdict.COORDINATED, note=note, by=person)
