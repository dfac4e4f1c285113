"""Reads of projects, always on behalf of a user: every read starts from ``Project.objects.visible_to`` —
lists, facet counts, the matrix and a project page alike."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from core.facets import facet_values, label_facets
from directory.access import audience_signature
from directory.models import Organization, Pillar
from directory.selectors import registry_names
from library.selectors import resources_for
from projects.filters import FACET_PREFIXES, ProjectFilter
from projects.indexing import COUNTS
from projects.models import Project, ThematicArea
from projects.reference import GLOBAL, Region


def projects_for(user) -> QuerySet[Project]:
    """The projects the user may read, with what a list row shows fetched in the same query."""
    return Project.objects.visible_to(user).select_related("owner")


def ordered(projects: QuerySet[Project], data: dict) -> QuerySet[Project]:
    """Best match first for a search, otherwise the latest start first."""
    if (data.get("q") or "").strip() and "rank" in projects.query.annotations:
        return projects.order_by("-rank", "-start", "-pk")
    return projects.order_by("-start", "-pk")


def facets(user, data: dict) -> list[dict]:
    """Each facet's values, named, with their counts given every other filter."""
    found = facet_values(
        ProjectFilter, projects_for(user), data, prefixes=FACET_PREFIXES, counts=COUNTS,
        audience=audience_signature(user),
    )  # fmt: skip
    organizations = registry_names("organization")
    labels = {
        "lead": organizations,
        "donor": organizations,
        "pillar": registry_names("pillar"),
        "working_group": registry_names("working_group"),
        "country": registry_names("country"),
        "theme": {str(pk): name for pk, name in ThematicArea.objects.values_list("pk", "name")},
        **{name: _choice_labels(name) for name in ("region", "status")},
    }
    return label_facets(found, labels)


def _choice_labels(name: str) -> dict[str, str]:
    """A choice filter's values and their labels, as its form offers them."""
    return {str(key): str(label) for key, label in ProjectFilter.base_filters[name].extra["choices"]}


def beneficiaries(project: Project) -> list[str]:
    """Whom the project is for, as people read it: "Global", its regions, then its countries by name."""
    names = [str(GLOBAL)] if project.is_global else []
    names += [str(Region(code).label) for code in project.regions]
    countries = Organization.objects.filter(iso3__in=project.countries).order_by("name")
    return names + list(countries.values_list("name", flat=True))


def related_resources(user, project: Project) -> list:
    """The project's related library resources that the reader may see (others are not mentioned)."""
    return list(resources_for(user).filter(pk__in=project.resources.values("pk")).order_by("title"))


#: What a project's page reads about it, in one query per relation.
PROJECT_PAGE_PREFETCH = (
    Prefetch("partners", queryset=Organization.objects.order_by("name")),
    Prefetch("pillars", queryset=Pillar.objects.order_by("number")),
    "working_groups",
    "themes",
    Prefetch("donors", queryset=Organization.objects.order_by("name")),
)


@dataclass
class Cell:
    count: int = 0
    usd: Decimal = Decimal(0)
    link: str = ""


@dataclass
class GridRow:
    organization: Organization
    cells: list[Cell] = field(default_factory=list)
    total: Cell = field(default_factory=Cell)


@dataclass
class Grid:
    """Lead entities × pillars: the number of projects and their budgets in US dollars in each cell (a
    project with several pillars counts in each of them; the row's total counts it once)."""

    pillars: list[Pillar]
    rows: list[GridRow]


def entity_pillar_grid(user) -> Grid:
    """The matrix of the projects the user may read, by lead entity and pillar, in three queries."""
    visible = Project.objects.visible_to(user)
    cells = (
        visible.order_by()
        .values("owner_id", "pillars")
        .annotate(count=Count("pk", distinct=True), usd=Sum("budget_usd"))
    )
    totals = visible.order_by().values("owner_id").annotate(count=Count("pk"), usd=Sum("budget_usd"))
    pillars = list(Pillar.objects.order_by("number"))
    by_lead: dict[int, dict] = defaultdict(dict)
    for cell in cells:
        by_lead[cell["owner_id"]][cell["pillars"]] = cell
    organizations = Organization.objects.in_bulk([total["owner_id"] for total in totals])
    rows = []
    for total in totals:
        lead = total["owner_id"]
        row = GridRow(
            organization=organizations[lead],
            total=Cell(total["count"], total["usd"] or Decimal(0), f"?lead={lead}"),
        )
        for pillar in [*pillars, None]:
            found = by_lead[lead].get(pillar.pk if pillar else None)
            link = f"?lead={lead}&pillar={pillar.pk}" if pillar else ""
            row.cells.append(Cell(found["count"], found["usd"] or Decimal(0), link) if found else Cell())
        rows.append(row)
    rows.sort(key=lambda row: str(row.organization.display_name).lower())
    return Grid(pillars=pillars, rows=rows)
