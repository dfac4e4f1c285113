"""The Secretariat's statistics: the platform's figures now, and their trends month by month.

Only **aggregates that name nothing** — totals, and totals by status — read through each app's selectors
(``directory.selectors.network_figures``, ``library.selectors.document_total``, ``cted.selectors``…). The
Secretariat administers the platform; it does not read content restricted to others by its role (rule 5 of
the design), so no figure here lists, links or names a document, a project, a State's assessment or a
person. The Appeal's coverage is read as the reader may see it (``appeal.selectors``): the Secretariat keeps
the Appeal's ledger and sees all of it.

Each figure follows its model's own meaning: people with a current role in an active organisation (as the
landing page counts focal points), documents not in the trash, meetings held (confirmed Working Group
meetings that started; a cancelled event or occurrence is not held), projects by their status. A constant
number of queries, whatever the data or the number of months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeal import selectors as appeal
from calendar_app.selectors import wg_meetings_held, wg_meetings_held_by_month
from core.months import following, start_of
from cted import selectors as cted
from cted.models import AssistanceStatus, ImplementationStatus
from dashboard.selectors import Visits, visit_figures, visits_by_month
from directory.selectors import network_figures, organization_figures, people_with_a_role_at
from library.selectors import document_total, documents_added
from projects.models import ProjectStatus
from projects.selectors import projects_added, status_counts


@dataclass(frozen=True)
class Count:
    label: str
    value: int


@dataclass(frozen=True)
class Now:
    """The platform's figures today."""

    focal_points: int
    member_states: int
    member_states_total: int
    regional_with_focal_points: int
    regional_total: int
    compact_members: int
    compact_observers: int
    documents: int
    visits: Visits
    assessments: int
    recommendations: int
    assistance: list[Count]
    implementation: list[Count]
    meetings_this_year: int
    meetings_total: int
    projects: int
    projects_by_status: list[Count]
    appeal_cycle: appeal.AppealCycle | None
    appeal: appeal.Figures | None

    @property
    def compact_entities(self) -> int:
        return self.compact_members + self.compact_observers


def _counts(found: dict[str, int], choices) -> list[Count]:
    return [Count(str(label), found[value]) for value, label in choices.choices]


def figures_now(user) -> Now:
    """The figures for the Secretariat's page: twelve queries and one cache call."""
    network = network_figures()
    organizations = organization_figures()
    recommendations = cted.recommendation_counts()
    projects = status_counts()
    today = timezone.localdate()
    meetings = wg_meetings_held(timezone.now(), start_of(today.replace(month=1, day=1)))
    cycle = appeal.current_cycle(user)
    return Now(
        focal_points=network["focal_points"],
        member_states=network["member_states"],
        member_states_total=organizations["member_states"],
        regional_with_focal_points=organizations["regional_with_focal_points"],
        regional_total=organizations["regional_organizations"],
        compact_members=organizations["compact_members"],
        compact_observers=organizations["compact_observers"],
        documents=document_total(),
        visits=visit_figures(),
        assessments=cted.assessment_total(),
        recommendations=sum(recommendations["implementation"].values()),
        assistance=_counts(recommendations["assistance"], AssistanceStatus),
        implementation=_counts(recommendations["implementation"], ImplementationStatus),
        meetings_this_year=meetings["since"],
        meetings_total=meetings["total"],
        projects=sum(projects.values()),
        projects_by_status=_counts(projects, ProjectStatus),
        appeal_cycle=cycle,
        appeal=appeal.cycle_figures(user, cycle) if cycle is not None else None,
    )


@dataclass(frozen=True)
class Column:
    """One column of a trend's table. ``series`` names it for the chart (its colour); a column without one
    is in the table only."""

    title: str
    values: list[int]
    series: str = ""


@dataclass(frozen=True)
class Trend:
    """One chart and its table: a value per month."""

    key: str
    title: str
    caption: str
    months: list[date]
    columns: list[Column]

    @property
    def rows(self) -> list[tuple[date, list[tuple[Column, int]]]]:
        return [
            (month, [(column, column.values[index]) for column in self.columns])
            for index, month in enumerate(self.months)
        ]


def _month_ends(months: list[date], now: datetime) -> list[datetime]:
    """The end of each month in the reader's time zone; now for the month under way (and months to come)."""
    return [min(start_of(following(month)), now) for month in months]


def trends(months: list[date]) -> list[Trend]:
    """The monthly series of ``months`` (first days, in order): eight queries and one cache call."""
    now = timezone.now()
    views, visitors = visits_by_month(months)

    def trend(key, title, caption, values, *more) -> Trend:
        return Trend(key, str(title), str(caption), months, [Column(str(title), values, key), *more])

    return [
        trend(
            "people",
            _("Focal points"),
            _("People with a role in an active organisation at the end of each month"),
            people_with_a_role_at(_month_ends(months, now)),
        ),
        trend(
            "documents",
            _("New documents"),
            _("Documents added to the library each month (not in the trash)"),
            documents_added(months),
        ),
        trend(
            "visits",
            _("Visits"),
            _("Visits (a signed-in person on one day) and page views each month"),
            visitors,
            Column(str(_("Page views")), views),
        ),
        trend(
            "meetings",
            _("Working Group meetings held"),
            _("Working Group meetings held each month (not cancelled)"),
            wg_meetings_held_by_month(months, now),
        ),
        trend(
            "projects",
            _("New projects"),
            _("Projects added to the matrix each month"),
            projects_added(months),
        ),
        trend(
            "recommendations",
            _("New CTED recommendations"),
            _("CTED recommendations recorded each month"),
            cted.recommendations_added(months),
        ),
    ]


def table(series: list[Trend]) -> tuple[list[str], list[list[object]]]:
    """Every trend's columns side by side, a row per month: the header and rows of the CSV export."""
    columns = [column for trend in series for column in trend.columns]
    months = series[0].months if series else []
    header = [str(_("Month"))] + [column.title for column in columns]
    rows = [
        [month.strftime("%Y-%m")] + [column.values[index] for column in columns]
        for index, month in enumerate(months)
    ]
    return header, rows
