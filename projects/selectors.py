"""Reads of projects, always on behalf of a user: every read starts from ``Project.objects.visible_to`` —
lists, facet counts, the matrix and a project page alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, When
from django.urls import reverse
from django.utils.translation import gettext as _

from core.facets import Sidebar, facet_values, label_facets, sidebar
from core.freshness import Stale, stale
from core.months import per_month
from core.search import headline
from directory.access import EVERYONE_SIGNED_IN, audience_signature, viewer
from directory.models import Organization, Pillar
from directory.selectors import registry_names
from library.selectors import resources_for
from projects.filters import FACET_PREFIXES, ProjectFilter
from projects.indexing import COUNTS, PLACES
from projects.map import CountryFigures, by_country
from projects.models import OverlapVerdict, Project, ProjectOverlap, ProjectStatus, ThematicArea
from projects.reference import GLOBAL, Region


def projects_for(user) -> QuerySet[Project]:
    """The projects the user may read, with what a list row shows fetched in the same query."""
    return Project.objects.visible_to(user).select_related("owner")


def stale_of(user) -> Stale:
    """The ongoing projects of the user's organisations not updated for ``FRESHNESS_DAYS["projects"]``: those
    the user may change (projects.rules: the lead entity's people), oldest first (one query). Pipeline,
    completed and cancelled projects are not expected to move."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return Stale("projects", 0)
    return stale(
        "projects",
        Project.objects.visible_to(user)
        .filter(owner_id__in=who.organization_ids, status=ProjectStatus.ONGOING)
        .only("pk", "title", "updated_at"),
        label=lambda project: project.title,
        url=lambda project: reverse("projects:edit", args=[project.pk]),
    )


def map_figures(projects: QuerySet[Project], query) -> list[CountryFigures]:
    """Each beneficiary country's figures of ``projects`` (read from ``projects_for``, then filtered), with
    links carrying ``query``: the map and its table (``projects.map``)."""
    return by_country(projects, query)


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
        "theme": theme_names(),
        **{name: _choice_labels(name) for name in ("region", "status")},
    }
    return label_facets(found, labels)


def facet_sidebar(user, data: dict) -> Sidebar:
    """The list's filters rendered with their counts (``facets``), cached with them for the same reader."""
    return sidebar(COUNTS, audience_signature(user), data, lambda: facets(user, data))


def _choice_labels(name: str) -> dict[str, str]:
    """A choice filter's values and their labels, as its form offers them."""
    return {str(key): str(label) for key, label in ProjectFilter.base_filters[name].extra["choices"]}


def beneficiaries(project: Project) -> list[str]:
    """Whom the project is for, as people read it: "Global", its regions, then its countries by name (the
    registry's cached names: a list of projects asks for each without a query)."""
    names = [str(GLOBAL)] if project.is_global else []
    names += [str(Region(code).label) for code in project.regions]
    countries = registry_names("country")
    return names + sorted(countries.get(code, code) for code in project.countries)


def related_resources(user, project: Project) -> list:
    """The project's related library resources that the reader may see (others are not mentioned)."""
    return list(resources_for(user).filter(pk__in=project.resources.values("pk")).order_by("title"))


#: A project's relations as its page and the exports show them, in one query per relation.
PROJECT_RELATIONS = (
    Prefetch("partners", queryset=Organization.objects.order_by("name")),
    Prefetch("pillars", queryset=Pillar.objects.order_by("number")),
    "working_groups",
    "themes",
    Prefetch("donors", queryset=Organization.objects.order_by("name")),
)


# --- The matrix ------------------------------------------------------------------------------------------


@dataclass
class Cell:
    count: int = 0
    usd: Decimal = Decimal(0)
    #: The filtered list behind the figure ("" for none: the column of projects without a pillar or theme).
    link: str = ""


@dataclass
class Column:
    label: str
    #: The full name, where the label is short ("Pillar I").
    title: str = ""


@dataclass
class GridRow:
    label: str
    cells: list[Cell] = field(default_factory=list)
    total: Cell = field(default_factory=Cell)


@dataclass
class Grid:
    """Rows × columns of the matrix: the number of projects and their budgets in US dollars in each cell (a
    project under several columns counts in each of them; the row's total counts it once)."""

    columns: list[Column]
    rows: list[GridRow]


def entity_pillar_grid(user) -> Grid:
    """Lead entities × pillars (and "no pillar") of the projects the user may read, in four queries."""
    visible = Project.objects.visible_to(user).order_by()
    cells = visible.values("owner_id", "pillars").annotate(
        count=Count("pk", distinct=True), usd=Sum("budget_usd")
    )
    totals = visible.values("owner_id").annotate(count=Count("pk"), usd=Sum("budget_usd"))
    pillars = list(Pillar.objects.order_by("number"))
    names = registry_names("organization")
    found = {(cell["owner_id"], cell["pillars"]): cell for cell in cells}
    base = reverse("projects:list")
    rows = []
    for total in totals:
        lead = total["owner_id"]
        row = GridRow(
            names.get(str(lead), str(lead)),
            total=Cell(total["count"], total["usd"] or Decimal(0), f"{base}?lead={lead}"),
        )
        for pillar in [*pillars, None]:
            cell = found.get((lead, pillar.pk if pillar else None))
            link = f"{base}?lead={lead}&pillar={pillar.pk}" if pillar else ""
            row.cells.append(Cell(cell["count"], cell["usd"] or Decimal(0), link) if cell else Cell())
        rows.append(row)
    rows.sort(key=lambda row: row.label.lower())
    columns = [Column(_("Pillar %(code)s") % {"code": pillar.code}, pillar.name) for pillar in pillars]
    return Grid(columns=[*columns, Column(_("No pillar"))], rows=rows)


# --- Overlaps ---------------------------------------------------------------------------------------------

#: What an overlap row shows of its two projects, read in the pair's own query.
OVERLAP_RELATED = ("first__owner", "second__owner", "decided_by")
#: What it does not need of them: the long texts and the index columns.
OVERLAP_DEFERRED = tuple(
    f"{side}__{name}"
    for side in ("first", "second")
    for name in ("description", "expected_results", "search_vector", "facet_keys")
)


def _pairs(user) -> QuerySet[ProjectOverlap]:
    return ProjectOverlap.objects.visible_to(user).select_related(*OVERLAP_RELATED).defer(*OVERLAP_DEFERRED)


@dataclass
class OverlapRow:
    overlap: ProjectOverlap
    #: What the two projects share, as people read it ("Gender — Kenya", "Gender — Global").
    shared: list[str]
    #: On a project's page: the other project of the pair.
    other: Project | None = None


def overlaps_of(user, project: Project) -> list[OverlapRow]:
    """The pairs of this project whose other project the reader may read, open ones first (one query)."""
    pairs = (
        _pairs(user)
        .filter(Q(first=project) | Q(second=project))
        .order_by(Case(When(verdict=OverlapVerdict.POSSIBLE, then=0), default=1), "-pk")
    )
    rows = describe_overlaps(pairs)
    for row in rows:
        row.other = row.overlap.second if row.overlap.first_id == project.pk else row.overlap.first
    return rows


def overlap_report(user) -> QuerySet[ProjectOverlap]:
    """Every pair the reader may read both projects of, the latest found first (ids grow as pairs are
    found: the primary key's index gives the order, and a page reads only its own rows)."""
    return _pairs(user).order_by("-pk")


def describe_overlaps(pairs) -> list[OverlapRow]:
    """Each pair with what its projects share, named from their overlap keys (no query per pair)."""
    themes = theme_names()
    countries = registry_names("country")
    rows = []
    for pair in pairs:
        shared = sorted(set(pair.first.overlap_keys) & set(pair.second.overlap_keys))
        named = []
        for key in shared:
            theme, place = key.split(":", 1)
            where = str(GLOBAL) if place == "*" else countries.get(place, place)
            named.append(f"{themes.get(theme, theme)} — {where}")
        rows.append(OverlapRow(overlap=pair, shared=named))
    return rows


def theme_names() -> dict[str, str]:
    return {str(pk): name for pk, name in ThematicArea.objects.values_list("pk", "name")}


# --- Country × theme ---------------------------------------------------------------------------------------

# Each visible project once per beneficiary place ("*" for global) and theme (NULL: no theme), then once per
# place for the row totals (a project with two themes counts once in its place's total, budget included).
COUNTRY_THEME_CELLS = """
WITH placed AS (
    SELECT p.id, p.budget_usd, place
    FROM ({visible}) p
    CROSS JOIN LATERAL (SELECT DISTINCT unnest({places})) places(place)
)
SELECT place, x.thematicarea_id, false, count(*), sum(placed.budget_usd)
FROM placed LEFT JOIN projects_project_themes x ON x.project_id = placed.id
GROUP BY place, x.thematicarea_id
UNION ALL
SELECT place, NULL, true, count(*), sum(budget_usd) FROM placed GROUP BY place
"""


def country_theme_grid(user) -> Grid:
    """Beneficiary countries ("Global" first) × themes (and "no theme") of the projects the user may read,
    in three queries."""
    readable = Project.objects.visible_to(user).order_by()
    readable = readable.values("id", "budget_usd", "countries", "is_global")
    visible, params = readable.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(COUNTRY_THEME_CELLS.format(visible=visible, places=PLACES), params)
        found = cursor.fetchall()
    themes = list(ThematicArea.objects.order_by("name"))
    countries = registry_names("country")
    base = reverse("projects:list")
    cells: dict[tuple[str, int | None], Cell] = {}
    totals: dict[str, Cell] = {}
    for place, theme, is_total, count, usd in found:
        where = f"{base}?region=global" if place == "*" else f"{base}?country={place}"
        if is_total:
            totals[place] = Cell(count, usd or Decimal(0), where)
        else:
            cells[place, theme] = Cell(count, usd or Decimal(0), f"{where}&theme={theme}" if theme else "")
    rows = []
    for place, total in sorted(
        totals.items(), key=lambda item: (item[0] != "*", countries.get(item[0], item[0]).lower())
    ):
        label = str(GLOBAL) if place == "*" else countries.get(place, place)
        rows.append(
            GridRow(label, [cells.get((place, t.pk if t else None), Cell()) for t in [*themes, None]], total)
        )
    return Grid(columns=[*(Column(theme.name) for theme in themes), Column(_("No theme"))], rows=rows)


# --- Projects on other pages: an organisation's, a Working Group's ------------------------------------------


@dataclass
class Summary:
    """A few of the latest projects of a page's subject and how many there are, with the list behind them."""

    projects: list[Project]
    count: int
    more: bool
    link: str


def summary(user, facet: str, value: object, *, limit: int = 5) -> Summary:
    """The latest ``limit`` projects the user may read with one facet value ("lead", "country",
    "working_group"…), their capped count and the filtered list's query string (two queries)."""
    key = f"{FACET_PREFIXES[facet]}:{value}"
    found = projects_for(user).filter(facet_keys__contains=[key])
    count, more = found.count_capped()
    return Summary(list(found.order_by("-start", "-pk")[:limit]), count, more, f"?{facet}={value}")


def organization_section(user, organization: Organization) -> dict:
    """An organisation page's projects: those an entity leads, or those for a Member State — the projects
    whose beneficiary countries name it (global and regional projects are for no one country), with the
    projects' map filtered on it."""
    if organization.iso3:
        heading, facet, value = _("Projects for this country"), "country", organization.iso3
    else:
        heading, facet, value = _("Projects it leads"), "lead", organization.pk
    found = summary(user, facet, value)
    on_map = f"{reverse('projects:map')}{found.link}" if facet == "country" else ""
    return {"heading": heading, "summary": found, "map": on_map}


def has_partner_entities(project_ref: str) -> Exists:
    """True where the project an outer query names by ``project_ref`` has partner entities (a joint project,
    for the Appeal) — a condition on the projects' partner links that other apps annotate their rows with."""
    return Exists(Project.partners.through.objects.filter(project_id=OuterRef(project_ref)))


def themes_offered(current=None) -> QuerySet[ThematicArea]:
    """The thematic areas offered for new work (and ``current``, a record's own, even if no longer
    offered)."""
    wanted = Q(is_active=True) if current is None else Q(is_active=True) | Q(pk=current.pk)
    return ThematicArea.objects.filter(wanted)


def added_between(first, last) -> QuerySet[Project]:
    """The projects every signed-in person may read (platform-wide or public) added to the matrix in
    [first, last), oldest first: for the newsletter, which goes to everyone."""
    return (
        Project.objects.filter(visibility__in=EVERYONE_SIGNED_IN, created_at__gte=first, created_at__lt=last)
        .select_related("owner")
        .defer("description", "expected_results", "owner__description")
        .order_by("created_at", "pk")
    )


def status_counts() -> dict[str, int]:
    """How many projects of the matrix are in each status (every status, zero included), whatever their
    audience: aggregates that name no project, for the Secretariat's statistics. One query."""
    found = dict(Project.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in ProjectStatus.values}


def projects_added(months: list) -> list[int]:
    """For each month (first days, in order), how many projects were added to the matrix then, whatever
    their audience or status today. One query."""
    return per_month(Project.objects.all(), "created_at", months)


def projects_matching(user, query: SearchQuery) -> QuerySet[Project]:
    """The projects the user may read that match ``query`` (an English web-style query:
    ``core.search.english_query``, as the list's search), best match first; ``snippet`` highlights the
    description."""
    return (
        projects_for(user)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query), snippet=headline("description", query))
        .order_by("-rank", "-start", "-pk")
    )


def with_related_resources(user, projects: list[Project]) -> list[Project]:
    """Set ``readable_resources`` on each of ``projects`` (a page of a list): its related library resources
    that the reader may see, by title — ``related_resources`` for a whole page in one query."""
    links = (
        Project.resources.through.objects.filter(
            project_id__in=[project.pk for project in projects],
            resource_id__in=resources_for(user).values("pk"),
        )
        .select_related("resource")
        .only("project_id", "resource__id", "resource__title")
        .order_by("resource__title", "resource_id")
    )
    found: dict[int, list] = {}
    for link in links:
        found.setdefault(link.project_id, []).append(link.resource)
    for project in projects:
        project.readable_resources = found.get(project.pk, [])
    return projects
