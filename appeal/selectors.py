"""Reads of the Appeal, always on behalf of a user: every read starts from a model's ``visible_to(user)``, and
every figure is computed in SQL from the rows the reader may see.

**Coverage, as OCHA's Financial Tracking Service defines it.** *Requirements* are what the appeal projects
ask for (US dollars). A flow is a pledge (a non-binding announcement), a commitment (a binding one) or a paid
contribution (money transferred); *funding* is commitments plus paid contributions — pledges are shown apart
and never count as funding; *coverage* is funding ÷ requirements, in per cent.

The ledger records each stage as its own entries (a commitment, then the payments against it), so a dollar is
counted once, at the furthest stage it reached: for each donor and earmark within a cycle, with the net dollar
amounts of its entries (corrections included) —

    paid       = net paid
    committed  = greatest(net committed − net paid, 0)                 committed, not yet paid
    pledged    = greatest(net pledged − greatest(net committed, net paid), 0)   pledged, not yet committed
    funding    = committed + paid  (= greatest(net committed, net paid))

and the figures of a cycle, an appeal project, an entity, a priority or a donor are the sums of those of
their donor-and-earmark groups. A flow earmarked to an appeal project counts for it, for its lead entity
and for each of its priorities (a project under several priorities counts in each: the priority rows do not
add up to the cycle); one earmarked to a priority counts for that priority; one earmarked to a pillar, or
unearmarked, counts only for the cycle and its donor. Requirements follow the same attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Count, DecimalField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy

from appeal.models import (
    AppealCycle,
    AppealProject,
    CycleStatus,
    Earmark,
    Flow,
    FlowTotal,
    Priority,
    Requirement,
    Stage,
)
from directory.access import viewer
from directory.models import Organization, OrganizationKind, Pillar
from projects.models import Project
from projects.selectors import beneficiaries, has_partner_entities, projects_for

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=18, decimal_places=2)


def cycles_for(user) -> QuerySet[AppealCycle]:
    return AppealCycle.objects.visible_to(user).order_by("-first_year", "-pk")


def appeal_projects_found(user) -> QuerySet[AppealProject]:
    """The appeal projects the user may see, for the search: with their cycle, project and lead entity and
    whether they are joint — their figures come page by page (``project_figures``), never summed for every
    project found."""
    return (
        AppealProject.objects.visible_to(user)
        .select_related("cycle", "project__owner")
        .annotate(joint=has_partner_entities("project_id"))
    )


def appeal_projects_for(user, cycle: AppealCycle | None = None) -> QuerySet[AppealProject]:
    """The appeal projects the user may see (of one cycle), with their project and lead entity, whether they
    are joint (the project has partner entities) and their total requirement."""
    found = AppealProject.objects.visible_to(user)
    if cycle is not None:
        found = found.filter(cycle=cycle)
    return found.select_related("cycle", "project__owner").annotate(
        joint=has_partner_entities("project_id"),
        requirement_usd=Coalesce(
            Sum("requirements__amount_usd"),
            Value(ZERO),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        ),
    )


def requirements_for(user, appeal_project: AppealProject) -> QuerySet[Requirement]:
    return Requirement.objects.visible_to(user).filter(appeal_project=appeal_project).order_by("year")


def flows_for(user, cycle: AppealCycle | None = None) -> QuerySet[Flow]:
    """The ledger entries the user may read, newest first, with their donor, earmark and correction in the
    same query."""
    found = Flow.objects.visible_to(user)
    if cycle is not None:
        found = found.filter(cycle=cycle)
    return found.select_related("donor", "appeal_project__project", "pillar", "corrects").order_by(
        "-date", "-pk"
    )


def flow_totals_for(user, cycle: AppealCycle) -> QuerySet[FlowTotal]:
    """The running totals of the cycle's ledger the user may read (pledges as they may see them)."""
    return FlowTotal.objects.visible_to(user).filter(cycle=cycle)


def projects_to_appeal_for(user, cycle: AppealCycle) -> QuerySet:
    """The projects of the matrix the user may add to the cycle (``appeal.rules.can_appeal_for``): those their
    organisations lead, not in the cycle yet, by title."""
    who = viewer(user)
    found = projects_for(user)
    if who is None or not who.organization_ids:
        return found.none()
    in_cycle = AppealProject.objects.filter(cycle=cycle).values("project_id")
    return found.filter(owner_id__in=who.organization_ids).exclude(pk__in=in_cycle).order_by("title", "pk")


# --- Coverage -----------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One row of a coverage table, in US dollars."""

    key: str
    label: str = ""
    requirements: Decimal | None = None
    pledged: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def funding(self) -> Decimal:
        return self.committed + self.paid

    @property
    def coverage(self) -> Decimal | None:
        """Funding ÷ requirements in per cent, to one decimal (half up); None without requirements."""
        if not self.requirements:
            return None
        return (self.funding * 100 / self.requirements).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def unfunded(self) -> Decimal | None:
        """What is still to find: requirements − funding (never below zero); None without requirements."""
        if self.requirements is None:
            return None
        return max(self.requirements - self.funding, ZERO)


#: How many priorities "top unfunded priorities" lists.
TOP_UNFUNDED = 5
#: How many donors the dashboard lists (the largest; the download has them all).
TOP_DONORS = 20


@dataclass
class Coverage:
    """A cycle's coverage as the reader may see it: the cycle's figures, then by lead entity (organisation
    id), priority (its code), pillar (its id) and donor (organisation id: by funding, most first), the others
    by label. Appeal projects have their figures in the search (``project_figures``): a cycle holds
    thousands."""

    cycle: Figures
    by_entity: list[Figures] = field(default_factory=list)
    by_priority: list[Figures] = field(default_factory=list)
    by_pillar: list[Figures] = field(default_factory=list)
    by_donor: list[Figures] = field(default_factory=list)

    @property
    def top_donors(self) -> list[Figures]:
        """The largest donors (``by_donor`` is by funding, most first)."""
        return self.by_donor[:TOP_DONORS]

    @property
    def top_unfunded_priorities(self) -> list[Figures]:
        """The priorities with the most still to find, most first."""
        short = [row for row in self.by_priority if row.unfunded]
        return sorted(short, key=lambda row: (-row.unfunded, row.label.lower()))[:TOP_UNFUNDED]


def _stage_sums() -> dict[str, Coalesce]:
    """The net dollars of each stage, as annotations (n_pledged, n_committed, n_paid)."""
    return {
        name: Coalesce(Sum("amount_usd", filter=Q(stage=stage)), Value(ZERO), output_field=_MONEY)
        for name, stage in (
            ("n_pledged", Stage.PLEDGE),
            ("n_committed", Stage.COMMITMENT),
            ("n_paid", Stage.PAID),
        )
    }


# The SQL below is made of constants only: the inner queries are the ORM's SQL with their own parameters, and
# the dimensions are keys of these dictionaries — nothing comes from a request.

#: Each donor-and-earmark group's figures, computed once from its net stage sums (see the module's
#: docstring); then an appeal project's (``p``), the sums of its groups; then those joined to the project's
#: lead entity, priorities and matrix project (``pa``) — one row per appeal project rather than one per entry.
#: The groups are read from the ledger alone, in the order of its index on their columns
#: (appeal_flow_cycle_groups_idx): at 200,000 flows, a third of the time of joining every entry first.
_FLOW_GROUPS = """
WITH g0 AS ({groups}),
g AS (SELECT g_cycle, g_donor, g_project, g_pillar, g_priority,
             x_pledged AS pledged, x_committed AS committed, x_paid AS paid FROM g0),
p AS (SELECT g_project, sum(pledged) AS pledged, sum(committed) AS committed, sum(paid) AS paid
      FROM g WHERE g_project IS NOT NULL GROUP BY g_project),
pa AS (SELECT p.*, x.id AS g_mproject, x.owner_id AS g_entity, a.priorities AS g_priorities FROM p
       JOIN {appeal_projects} a ON a.id = p.g_project JOIN {projects} x ON x.id = a.project_id)
"""

#: The sums of the figures of rows ``g`` that hold them.
_SUMS = "coalesce(sum(g.pledged), 0), coalesce(sum(g.committed), 0), coalesce(sum(g.paid), 0)"

_PILLAR_LINKS = Project.pillars.through._meta.db_table

#: Each dimension's figures: (dimension, key, pledged, committed, paid). A flow to an appeal project counts
#: for each of the project's priorities and each of its matrix project's pillars.
_FLOW_DIMENSIONS = {
    "all": "SELECT 'all', NULL, {sums} FROM g",
    "cycle": "SELECT 'cycle', g.g_cycle::text, {sums} FROM g GROUP BY g.g_cycle",
    "donor": "SELECT 'donor', g.g_donor::text, {sums} FROM g GROUP BY g.g_donor",
    "project": "SELECT 'project', g.g_project::text, {sums} FROM p g GROUP BY g.g_project",
    "entity": "SELECT 'entity', g.g_entity::text, {sums} FROM pa g GROUP BY g.g_entity",
    "priority": "SELECT 'priority', g.k, {sums} FROM ("
    "SELECT g_priority AS k, pledged, committed, paid FROM g WHERE g_priority <> '' "
    "UNION ALL SELECT unnest(g_priorities), pledged, committed, paid FROM pa) g GROUP BY g.k",
    "pillar": "SELECT 'pillar', g.k::text, {sums} FROM ("
    "SELECT g_pillar AS k, pledged, committed, paid FROM g WHERE g_pillar IS NOT NULL "
    "UNION ALL SELECT l.pillar_id, pa.pledged, pa.committed, pa.paid FROM pa "
    "JOIN {links} l ON l.project_id = pa.g_mproject) g GROUP BY g.k",
}

#: Each appeal project's requirements, then its cycle, matrix project, lead entity and priorities joined to
#: that one row (as for the flows: never to each requirement).
_REQUIREMENTS = """
WITH r0 AS ({requirements}),
r AS (SELECT r0.r_project, r0.amount, a.cycle_id AS r_cycle, a.project_id AS r_mproject,
             x.owner_id AS r_entity, a.priorities AS r_priorities FROM r0
      JOIN {appeal_projects} a ON a.id = r0.r_project JOIN {projects} x ON x.id = a.project_id)
"""

#: Each dimension's requirements over the appeal projects' totals ``r``: (dimension, key, amount). Donors have
#: none.
_REQUIREMENT_DIMENSIONS = {
    "all": "SELECT 'all', NULL, coalesce(sum(r.amount), 0) FROM r",
    "cycle": "SELECT 'cycle', r.r_cycle::text, sum(r.amount) FROM r GROUP BY r.r_cycle",
    "project": "SELECT 'project', r.r_project::text, sum(r.amount) FROM r GROUP BY r.r_project",
    "entity": "SELECT 'entity', r.r_entity::text, sum(r.amount) FROM r GROUP BY r.r_entity",
    "priority": "SELECT 'priority', p.k, sum(p.amount) FROM "
    "(SELECT r.amount, unnest(r.r_priorities) AS k FROM r) p GROUP BY p.k",
    "pillar": "SELECT 'pillar', l.pillar_id::text, sum(r.amount) FROM r "
    "JOIN {links} l ON l.project_id = r.r_mproject GROUP BY l.pillar_id",
}


def _sql(queryset: QuerySet) -> tuple[str, tuple] | None:
    """The queryset's SQL and parameters, or None when it can hold no row (e.g. ``none()``)."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


def figures(
    groups: QuerySet, requirements: QuerySet[Requirement] | None, dimensions: tuple[str, ...]
) -> dict[tuple[str, str | None], Figures]:
    """The figures of ``groups`` — the ledger's running totals (``FlowTotal``) or, for a list filtered by
    what they do not hold (dates, stages), the entries themselves (``Flow``) — and the requirements of
    ``requirements``, along ``dimensions`` (keys of ``_FLOW_DIMENSIONS``), keyed by (dimension, key): one
    aggregate query for the flows and one for the requirements, whatever the size of the ledger. The callers
    pass querysets that start from ``visible_to(user)``: every figure is made of rows the reader may see."""
    keys = {
        "g_cycle": F("cycle_id"),
        "g_donor": F("donor_id"),
        "g_project": F("appeal_project_id"),
        "g_pillar": F("pillar_id"),
        "g_priority": F("priority"),
    }
    if groups.model is FlowTotal:  # one row per group, its figures kept; pledges as the reader may see them
        groups = groups.order_by().values(
            **keys, x_pledged=F("seen_uncommitted"), x_committed=F("unpaid"), x_paid=F("paid")
        )
    else:  # each group's figures from its entries' net stage sums, as FlowTotal keeps them
        groups = (
            groups.order_by()
            .values(**keys)
            .annotate(**_stage_sums())
            .annotate(
                x_pledged=Greatest(F("n_pledged") - Greatest(F("n_committed"), F("n_paid")), Value(ZERO)),
                x_committed=Greatest(F("n_committed") - F("n_paid"), Value(ZERO)),
                x_paid=F("n_paid"),
            )
        )
    rows: dict[tuple[str, str | None], Figures] = {}
    with connection.cursor() as cursor:
        if (query := _sql(groups)) is not None:
            parts = " UNION ALL ".join(_FLOW_DIMENSIONS[name] for name in dimensions)
            sql = _FLOW_GROUPS.format(
                groups=query[0], appeal_projects=AppealProject._meta.db_table, projects=Project._meta.db_table
            )
            cursor.execute(sql + parts.replace("{sums}", _SUMS).replace("{links}", _PILLAR_LINKS), query[1])
            for dimension, key, pledged, committed, paid in cursor.fetchall():
                rows[dimension, key] = Figures(key or "", pledged=pledged, committed=committed, paid=paid)
        if requirements is None:
            return rows
        totals = (
            requirements.order_by()
            .values(r_project=F("appeal_project_id"))
            .annotate(amount=Sum("amount_usd"))
        )
        if (query := _sql(totals)) is not None:
            parts = " UNION ALL ".join(
                _REQUIREMENT_DIMENSIONS[name] for name in dimensions if name in _REQUIREMENT_DIMENSIONS
            )
            sql = _REQUIREMENTS.format(
                requirements=query[0],
                appeal_projects=AppealProject._meta.db_table,
                projects=Project._meta.db_table,
            )
            cursor.execute(sql + parts.replace("{links}", _PILLAR_LINKS), query[1])
            for dimension, key, amount in cursor.fetchall():
                rows.setdefault((dimension, key), Figures(key or "")).requirements = amount
    return rows


#: The dimensions of a cycle's dashboard, as ``Coverage`` names them.
DASHBOARD = ("entity", "priority", "pillar", "donor")


def coverage(user, cycle: AppealCycle) -> Coverage:
    """The cycle's requirements, pledges, commitments, payments, funding and coverage, in total and by lead
    entity, priority, pillar and donor — from what the user may see, in four queries whatever the size of the
    ledger (two aggregates, then the names of the organisations and pillars)."""
    rows = figures(
        flow_totals_for(user, cycle),
        Requirement.objects.visible_to(user).filter(appeal_project__cycle=cycle),
        ("all", *DASHBOARD),
    )
    result = Coverage(cycle=rows.get(("all", None)) or Figures(""))
    result.cycle.label = cycle.name
    by = {name: [row for (kind, _key), row in rows.items() if kind == name] for name in DASHBOARD}
    organisations = {row.key for row in by["donor"] + by["entity"]}
    names = {
        str(pk): name
        for pk, name in Organization.objects.filter(pk__in=organisations).values_list("pk", "name")
    }
    pillars = {
        str(pillar.pk): str(pillar)
        for pillar in Pillar.objects.filter(pk__in=[row.key for row in by["pillar"]])
    }
    labels = {
        "entity": names,
        "donor": names,
        "priority": {str(value): str(label) for value, label in Priority.choices},
        "pillar": pillars,
    }
    for dimension, found in by.items():
        for row in found:
            row.label = labels[dimension].get(row.key, row.key)
        found.sort(key=lambda row: row.label.lower())
        setattr(result, f"by_{dimension}", found)
    result.by_pillar.sort(key=lambda row: int(row.key))  # pillars in the Strategy's order
    result.by_donor.sort(key=lambda row: -row.funding)  # the largest donors first (stable: by name next)
    return result


def project_figures(user, appeal_projects) -> None:
    """Set ``figures`` on each of ``appeal_projects`` (a page of the search): its requirements, pledges,
    commitments, payments and coverage from what the user may see, in two queries; and ``where``, whom its
    project is for as people read it (``projects.selectors.beneficiaries``)."""
    ids = [appealed.pk for appealed in appeal_projects]
    rows = figures(
        FlowTotal.objects.visible_to(user).filter(appeal_project__in=ids),
        Requirement.objects.visible_to(user).filter(appeal_project__in=ids),
        ("project",),
    )
    for appealed in appeal_projects:
        appealed.figures = rows.get(("project", str(appealed.pk))) or Figures(str(appealed.pk))
        appealed.where = beneficiaries(appealed.project)


def donor_cycles(user, donor: Organization) -> list[Figures]:
    """A donor's pledges, commitments, payments and funding in each cycle, from the entries the user may
    see, newest cycle first (two queries)."""
    rows = figures(FlowTotal.objects.visible_to(user).filter(donor=donor), None, ("cycle",))
    result = []
    for cycle in cycles_for(user).filter(pk__in=[int(key) for _kind, key in rows]):
        row = rows["cycle", str(cycle.pk)]
        row.label, row.cycle = cycle.name, cycle
        result.append(row)
    return result


class PledgeStatus(models.TextChoices):
    NOT_COMMITTED = "not_committed", gettext_lazy("Not yet committed")
    PARTLY = "partly", gettext_lazy("Partly committed")
    COMMITTED = "committed", gettext_lazy("Committed in full")
    PAID = "paid", gettext_lazy("Paid in full")


@dataclass
class Pledge:
    """What became of a donor's pledges to one earmark of one cycle (net, in US dollars)."""

    cycle: AppealCycle
    earmark: str
    pledged: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def funding(self) -> Decimal:
        return max(self.committed, self.paid)

    @property
    def status(self) -> PledgeStatus:
        if self.paid >= self.pledged:
            return PledgeStatus.PAID
        if self.funding >= self.pledged:
            return PledgeStatus.COMMITTED
        return PledgeStatus.PARTLY if self.funding > 0 else PledgeStatus.NOT_COMMITTED


def pledges_of(user, donor: Organization) -> list[Pledge]:
    """The status of each of the donor's pledges (by cycle and earmark) — pledges are seen by the donor's own
    people and the Secretariat only (``FlowTotal.objects.visible_to``), so anyone else gets none. Three
    queries."""
    groups = (
        FlowTotal.objects.visible_to(user)
        .filter(donor=donor, seen_pledged__gt=0)
        .values(
            "cycle", "earmark", "appeal_project", "pillar", "priority", "seen_pledged", "committed", "paid"
        )
    )
    rows = list(groups)
    cycles = {cycle.pk: cycle for cycle in cycles_for(user).filter(pk__in={row["cycle"] for row in rows})}
    projects = dict(
        AppealProject.objects.filter(pk__in={row["appeal_project"] for row in rows}).values_list(
            "pk", "project__title"
        )
    )
    pillars = (
        {pillar.pk: str(pillar) for pillar in Pillar.objects.all()} if any(r["pillar"] for r in rows) else {}
    )
    result = []
    for row in rows:
        # the donor's people see the title of an appeal project they gave to, published or not
        earmark = {
            Earmark.PROJECT: projects.get(row["appeal_project"], ""),
            Earmark.PILLAR: pillars.get(row["pillar"], ""),
            Earmark.PRIORITY: str(Priority(row["priority"]).label) if row["priority"] else "",
            Earmark.UNEARMARKED: str(Earmark.UNEARMARKED.label),
        }[row["earmark"]]
        result.append(
            Pledge(cycles[row["cycle"]], earmark, row["seen_pledged"], row["committed"], row["paid"])
        )
    result.sort(key=lambda pledge: (-pledge.cycle.first_year, pledge.earmark.lower()))
    return result


def trends(user) -> list[Figures]:
    """Each cycle's requirements, funding and coverage, oldest first (three queries whatever the size)."""
    rows = figures(FlowTotal.objects.visible_to(user), Requirement.objects.visible_to(user), ("cycle",))
    result = []
    for cycle in cycles_for(user).order_by("first_year", "pk"):
        row = rows.get(("cycle", str(cycle.pk))) or Figures(str(cycle.pk))
        row.label = cycle.name
        result.append(row)
    return result


def totals(groups: QuerySet) -> Figures:
    """The figures of a set of flows or running totals the reader may see (a filtered list): one query."""
    return figures(groups, None, ("all",)).get(("all", None)) or Figures("")


def organization_section(user, organization: Organization) -> dict:
    """An organisation page's part in the Appeal: whether it gives (a link to its donor page), how many
    appeal projects it leads and, for a Member State, how many are for it (their requirements and funding are
    one click away, on the Appeal's list filtered on the country) — from what the reader may see, in one
    query."""
    visible = AppealProject.objects.visible_to(user).order_by()
    led = visible.filter(project__owner=OuterRef("pk")).values("project__owner").annotate(count=Count("pk"))
    country = organization.iso3 if organization.kind == OrganizationKind.MEMBER_STATE else ""
    # the matrix's own index of a project's countries (projects.indexing), as the Appeal's country filter
    for_country = visible.filter(project__facet_keys__contains=[f"country:{country}"]).values(
        count=Func(F("pk"), function="COUNT")
    )
    found = (
        Organization.objects.filter(pk=organization.pk)
        .values(
            donor=Exists(Flow.objects.visible_to(user).filter(donor=OuterRef("pk"))),
            leads=Coalesce(Subquery(led.values("count")), 0),
            for_country=Subquery(for_country) if country else Value(0),
        )
        .first()
    )
    return {**(found or {"donor": False, "leads": 0, "for_country": 0}), "country": country}


def overall(user) -> Figures:
    """The requirements, funding and coverage of every appeal project the user may see, all cycles together
    (two queries). For an anonymous visitor: the public appeal projects only, their requirements and the
    commitments and payments earmarked to them (``appeal.access``) — a figure never adds a restricted one."""
    rows = figures(FlowTotal.objects.visible_to(user), Requirement.objects.visible_to(user), ("project",))
    result = Figures("", requirements=ZERO)
    for (_kind, _key), row in rows.items():
        result.requirements += row.requirements or ZERO
        result.pledged += row.pledged
        result.committed += row.committed
        result.paid += row.paid
    return result


def current_cycle(user) -> AppealCycle | None:
    """The cycle the Appeal is in: the latest open one, else the latest one (None before the first)."""
    cycles = cycles_for(user)
    return cycles.filter(status=CycleStatus.OPEN).first() or cycles.first()


def cycle_figures(user, cycle: AppealCycle) -> Figures:
    """The cycle's requirements, funding and coverage from what the user may see (two queries): the total
    of its dashboard (``coverage``) without the breakdowns, named for the cycle."""
    (result,) = (found.figures for found in with_cycle_figures(user, [cycle]))
    result.label = cycle.name
    return result


def with_cycle_figures(user, cycles: list[AppealCycle]) -> list[AppealCycle]:
    """Set ``figures`` on each of ``cycles`` (a page of a list): its requirements, pledges, commitments,
    payments and coverage from what the user may see — each cycle's dashboard total, for a whole page in two
    queries (``cycle_figures`` is one cycle's)."""
    ids = [cycle.pk for cycle in cycles]
    rows = figures(
        FlowTotal.objects.visible_to(user).filter(cycle__in=ids),
        Requirement.objects.visible_to(user).filter(appeal_project__cycle__in=ids),
        ("cycle",),
    )
    for cycle in cycles:
        cycle.figures = rows.get(("cycle", str(cycle.pk))) or Figures(str(cycle.pk), requirements=ZERO)
    return cycles


def with_appeal_figures(user, appeal_projects: list[AppealProject]) -> list[AppealProject]:
    """A page of appeal projects as the search and an appeal project's page show them: their figures and
    beneficiaries (``project_figures``), and ``project_readable``, whether the reader may open the project's
    own page in the matrix (linked only then). Three queries for any page."""
    project_figures(user, appeal_projects)
    readable = set(
        projects_for(user)
        .filter(pk__in=[appealed.project_id for appealed in appeal_projects])
        .values_list("pk", flat=True)
    )
    for appealed in appeal_projects:
        appealed.project_readable = appealed.project_id in readable
    return appeal_projects
