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

from django.db import connection
from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from appeal.access import appeal_project_rule
from appeal.models import AppealCycle, AppealProject, Flow, Priority, Requirement, Stage
from directory.models import Organization
from projects.models import Project
from projects.selectors import has_partner_entities

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=18, decimal_places=2)


def cycles_for(user) -> QuerySet[AppealCycle]:
    return AppealCycle.objects.visible_to(user).order_by("-first_year", "-pk")


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
    """The ledger entries the user may read, with their donor, earmark and correction in the same query."""
    found = Flow.objects.visible_to(user)
    if cycle is not None:
        found = found.filter(cycle=cycle)
    return found.select_related("donor", "appeal_project__project", "pillar", "corrects").order_by(
        "date", "pk"
    )


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


@dataclass
class Coverage:
    """A cycle's coverage as the reader may see it: the cycle's figures, then by appeal project (key: its id),
    lead entity (organisation id), priority (its code) and donor (organisation id), each list by label."""

    cycle: Figures
    by_project: list[Figures] = field(default_factory=list)
    by_entity: list[Figures] = field(default_factory=list)
    by_priority: list[Figures] = field(default_factory=list)
    by_donor: list[Figures] = field(default_factory=list)


def _stage_sum(stage: str) -> Coalesce:
    return Coalesce(Sum("amount_usd", filter=Q(stage=stage)), Value(ZERO), output_field=_MONEY)


#: The sums of the figures of a set of rows ``g`` that hold them.
_SUMS = "coalesce(sum(g.f_pledged), 0), coalesce(sum(g.f_committed), 0), coalesce(sum(g.f_paid), 0)"

# Constants only: the inner queries are the ORM's SQL with their own parameters, nothing comes from a request.
# Each donor-and-earmark group's figures are computed once (g: see the module's docstring); an appeal
# project's are the sums of its groups (p), and its lead entity and priorities are joined to those — one row
# per appeal project, not one per entry: at 200,000 flows, with the index on the groups' columns
# (appeal_flow_cycle_groups_idx), a third of the time of joining every entry first.
_FLOW_FIGURES = """
WITH g0 AS ({groups}),
g AS (SELECT g0.g_donor, g0.g_project, g0.g_priority,
             greatest(g0.pledged - greatest(g0.committed, g0.paid), 0) AS f_pledged,
             greatest(g0.committed - g0.paid, 0) AS f_committed, g0.paid AS f_paid FROM g0),
p AS (SELECT g.g_project, sum(g.f_pledged) AS f_pledged, sum(g.f_committed) AS f_committed,
             sum(g.f_paid) AS f_paid FROM g WHERE g.g_project IS NOT NULL GROUP BY g.g_project),
pa AS (SELECT p.*, x.owner_id AS g_entity, a.priorities FROM p
       JOIN {appeal_projects} a ON a.id = p.g_project JOIN {projects} x ON x.id = a.project_id),
gp AS (SELECT g.g_priority AS pr, g.f_pledged, g.f_committed, g.f_paid FROM g WHERE g.g_priority <> ''
       UNION ALL SELECT unnest(pa.priorities), pa.f_pledged, pa.f_committed, pa.f_paid FROM pa)
SELECT 'cycle', NULL, {sums} FROM g
UNION ALL SELECT 'donor', g.g_donor::text, {sums} FROM g GROUP BY g.g_donor
UNION ALL SELECT 'project', g.g_project::text, {sums} FROM p g GROUP BY g.g_project
UNION ALL SELECT 'entity', g.g_entity::text, {sums} FROM pa g GROUP BY g.g_entity
UNION ALL SELECT 'priority', g.pr, {sums} FROM gp g GROUP BY g.pr
"""

_REQUIREMENTS = """
WITH r AS ({requirements})
SELECT 'cycle', NULL, coalesce(sum(r.amount), 0) FROM r
UNION ALL SELECT 'project', r.r_project::text, sum(r.amount) FROM r GROUP BY r.r_project
UNION ALL SELECT 'entity', r.r_entity::text, sum(r.amount) FROM r GROUP BY r.r_entity
UNION ALL SELECT 'priority', p.pr, sum(p.amount) FROM (SELECT r.amount, unnest(r.r_priorities) AS pr FROM r) p
    GROUP BY p.pr
"""


def coverage(user, cycle: AppealCycle) -> Coverage:
    """The cycle's requirements, pledges, commitments, payments, funding and coverage, in total and by appeal
    project, lead entity, priority and donor — from what the user may see, in four queries whatever the size
    of the ledger (two aggregates, then the names of the projects and organisations shown)."""
    groups = (
        Flow.objects.visible_to(user)
        .filter(cycle=cycle)
        .order_by()
        .values(
            g_donor=F("donor_id"),
            g_project=F("appeal_project_id"),
            g_pillar=F("pillar_id"),
            g_priority=F("priority"),
        )
        .annotate(
            pledged=_stage_sum(Stage.PLEDGE),
            committed=_stage_sum(Stage.COMMITMENT),
            paid=_stage_sum(Stage.PAID),
        )
    )
    requirements = (
        Requirement.objects.visible_to(user)
        .filter(appeal_project__cycle=cycle)
        .order_by()
        .values(
            r_project=F("appeal_project_id"),
            r_entity=F("appeal_project__project__owner_id"),
            r_priorities=F("appeal_project__priorities"),
        )
        .annotate(amount=Sum("amount_usd"))
    )
    rows: dict[tuple[str, str | None], Figures] = {}
    if appeal_project_rule(user) is None:  # anonymous: no rows to sum (and no SQL for an empty queryset)
        return _labelled(user, cycle, rows)
    with connection.cursor() as cursor:
        sql, params = groups.query.sql_with_params()
        tables = {"appeal_projects": AppealProject._meta.db_table, "projects": Project._meta.db_table}
        cursor.execute(_FLOW_FIGURES.format(groups=sql, sums=_SUMS, **tables), params)
        for dimension, key, pledged, committed, paid in cursor.fetchall():
            rows[dimension, key] = Figures(key or "", pledged=pledged, committed=committed, paid=paid)
        sql, params = requirements.query.sql_with_params()
        cursor.execute(_REQUIREMENTS.format(requirements=sql), params)
        for dimension, key, amount in cursor.fetchall():
            rows.setdefault((dimension, key), Figures(key or "")).requirements = amount
    return _labelled(user, cycle, rows)


def _labelled(user, cycle: AppealCycle, rows: dict) -> Coverage:
    def of(dimension: str) -> list[Figures]:
        return [row for (kind, _key), row in rows.items() if kind == dimension]

    result = Coverage(cycle=rows.get(("cycle", None)) or Figures(""))
    result.cycle.label = cycle.name
    organisations = {row.key for row in of("donor") + of("entity")}
    names = dict(Organization.objects.filter(pk__in=organisations).values_list("pk", "name"))
    titles = dict(
        AppealProject.objects.visible_to(user)
        .filter(pk__in=[row.key for row in of("project")])
        .values_list("pk", "project__title")
    )
    labels = {
        "project": {str(pk): title for pk, title in titles.items()},
        "entity": {str(pk): name for pk, name in names.items()},
        "donor": {str(pk): name for pk, name in names.items()},
        "priority": {str(value): str(label) for value, label in Priority.choices},
    }
    for dimension in labels:
        found = of(dimension)
        for row in found:
            row.label = labels[dimension].get(row.key, row.key)
        found.sort(key=lambda row: row.label.lower())
        setattr(result, f"by_{dimension}", found)
    return result
