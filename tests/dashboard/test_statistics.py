"""The Secretariat's statistics: each figure and each trend against known data, the page, its export and
its bad input (the permission matrix covers who may open them: tests/dashboard/matrix.py)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from appeal.models import Priority, Stage
from calendar_app.models import EventStatus, EventType
from core.models import SecurityEvent, SecurityEventKind
from core.months import following, months_between, start_of
from cted.models import Assessment, AssistanceStatus, ImplementationStatus, Recommendation, VisitType
from dashboard import statistics, visits
from dashboard.models import VisitDay
from directory.access import Visibility
from directory.models import Membership, MembershipRole
from library.models import Resource
from projects.models import Project, ProjectStatus
from tests.appeal.conftest import appeal_for, cycle, flow  # noqa: F401 -- the Appeal's open cycle
from tests.calendar_app.conftest import make_event
from tests.conftest import count_queries, organization
from tests.pages import field_error, messages, table
from tests.projects.conftest import make_project

URL = "/statistics/"
EXPORT = "/statistics/export.csv"
STATISTICS_QUERIES = 28


@pytest.fixture(autouse=True)
def fresh_tally(monkeypatch):
    """Each test starts with this process's tally of visits empty (the cache is emptied by conftest)."""
    monkeypatch.setattr(visits, "TALLY", visits.Tally())


def resource(title: str, owner: str = "entity:UNODC", visibility=Visibility.PLATFORM, **fields) -> Resource:
    return Resource.objects.create(
        title=title, owner=organization(owner), visibility=visibility, resource_type="report", **fields
    )


def recommendation(assessment, assistance, implementation) -> Recommendation:
    return Recommendation.objects.create(
        assessment=assessment,
        text="A need",
        assistance_status=assistance,
        implementation_status=implementation,
    )


def assessment(by) -> Assessment:
    return Assessment.objects.create(
        state=organization("state:KEN"), visit_type=VisitType.COMPREHENSIVE, visit_start=date(2025, 3, 3),
        created_by=by,
    )  # fmt: skip


def held(title: str, start, **fields):
    return make_event(
        organization("entity:CTED"), title=title, start=start, event_type=EventType.WG_MEETING, **fields
    )


def test_each_figure_of_today_counts_what_its_model_means(
    secretariat,
    unodc_person,
    ken_person,
    au_person,
    make_user,
    cycle,  # noqa: F811
):
    # given people: the Secretariat's, UNODC's, Kenya's and the African Union's focal points, someone with
    # three roles (counted once), a deactivated person in France, and someone whose role in Germany ended
    several = make_user("several@example.org", organization=organization("entity:UNDP"))
    Membership.objects.create(
        user=several, organization=organization("entity:UNDP"), role=MembershipRole.ALTERNATE
    )
    Membership.objects.create(
        user=several, organization=organization("entity:UNODC"), role=MembershipRole.ALTERNATE
    )
    make_user("gone@example.org", organization=organization("state:FRA"), is_active=False)
    left = make_user("left@example.org", organization=organization("state:DEU"))
    Membership.objects.filter(user=left).update(ended_at=timezone.now())
    # documents, one restricted to its owner (counted: a total names nothing), one in the trash (not)
    resource("Public report")
    resource("Owner-only report", visibility=Visibility.OWNER)
    resource("Thrown away", deleted_at=timezone.now())
    # CTED: one assessment, three recommendations
    kenya = assessment(secretariat)
    recommendation(kenya, AssistanceStatus.REQUESTED, ImplementationStatus.OPEN)
    recommendation(kenya, AssistanceStatus.MATCHED, ImplementationStatus.OPEN)
    recommendation(kenya, AssistanceStatus.PROVIDED, ImplementationStatus.IMPLEMENTED)
    # Working Group meetings: one held this year, one last year, a weekly series of three last year with one
    # occurrence cancelled, a cancelled meeting, one to come, and a conference (not a WG meeting)
    new_year = start_of(timezone.localdate().replace(month=1, day=1))
    held("This year's", new_year + timedelta(hours=1))
    held("Last year's", new_year - timedelta(days=40))
    series_start = new_year - timedelta(days=100)
    held("Weekly", series_start, rrule="FREQ=WEEKLY;COUNT=3", exdates=[series_start + timedelta(days=7)])
    held("Called off", new_year - timedelta(days=20), status=EventStatus.CANCELLED)
    held("Next week's", timezone.now() + timedelta(days=7))
    make_event(organization("entity:CTED"), title="Conference", start=new_year - timedelta(days=5))
    # projects: ongoing, completed, a cancelled owner-only one, and the appeal's (ongoing)
    make_project("Ongoing", status=ProjectStatus.ONGOING)
    make_project("Done", status=ProjectStatus.COMPLETED)
    make_project("Dropped", status=ProjectStatus.CANCELLED, visibility=Visibility.OWNER)
    appealed = appeal_for(cycle, "Borders", "entity:UNODC", unodc_person, [Priority.BORDER_SECURITY],
                          {2021: "1000", 2022: "1000"})  # fmt: skip
    flow(secretariat, cycle, "state:NOR", Stage.PLEDGE, "900", to=appealed)
    flow(secretariat, cycle, "state:NOR", Stage.COMMITMENT, "500", to=appealed)
    # visits: finished days in the database, today's in the cache
    today = visits.utc_today()
    VisitDay.objects.create(date=today - timedelta(days=3), views=10, visitors=4)
    VisitDay.objects.create(date=today - timedelta(days=40), views=100, visitors=50)
    for person in (secretariat.pk, secretariat.pk, ken_person.pk, None):
        visits.TALLY.record(person, day=today, clock=0)
    visits.TALLY.flush()

    # when the Secretariat's figures are read
    now = statistics.figures_now(secretariat)

    # then each is exact
    assert now.focal_points == 5  # the Secretariat's, UNODC's, Kenya's, the AU's, the one with three roles
    assert (now.member_states, now.member_states_total) == (1, 193)  # Kenya; not France, not Germany
    assert (now.regional_with_focal_points, now.regional_total) == (1, 15)
    assert (now.compact_entities, now.compact_members, now.compact_observers) == (45, 39, 6)
    assert now.documents == 2
    assert now.visits == statistics.Visits(views=14, visitors=6, total_views=114, total_visitors=56)
    assert now.assessments == 1
    assert now.recommendations == 3
    assert [(count.label, count.value) for count in now.assistance] == [
        ("Requested", 1), ("Matched", 1), ("Provided", 1)
    ]  # fmt: skip
    assert [(count.label, count.value) for count in now.implementation] == [
        ("Open", 2), ("In progress", 0), ("Implemented", 1), ("Closed", 0)
    ]  # fmt: skip
    assert (now.meetings_this_year, now.meetings_total) == (1, 4)
    assert now.projects == 4
    assert [(count.label, count.value) for count in now.projects_by_status] == [
        ("Pipeline", 0), ("Ongoing", 2), ("Completed", 1), ("Cancelled", 1)
    ]  # fmt: skip
    assert now.appeal_cycle == cycle
    assert (now.appeal.requirements, now.appeal.funding, now.appeal.coverage) == (2000, 500, 25)


def test_each_trend_counts_a_month_exactly(secretariat, make_user):
    # given a month three months ago, and what happened in it, before it and after it
    month = (timezone.localdate().replace(day=1) - timedelta(days=80)).replace(day=1)
    inside = start_of(month) + timedelta(days=2)
    before = start_of(month) - timedelta(days=3)
    after = start_of(following(month)) + timedelta(days=1)

    def person(email: str, started, ended=None, **fields):
        someone = make_user(email, organization=organization("entity:UNODC"), **fields)
        Membership.objects.filter(user=someone).update(started_at=started, ended_at=ended)

    person("there@example.org", before)  # counted
    person("still@example.org", before, ended=after)  # counted: left after the month's end
    person("left@example.org", before, ended=inside)  # not: left during the month
    person("late@example.org", after)  # not: came after it
    person("gone@example.org", before, is_active=False)  # not: deactivated
    Membership.objects.filter(user=secretariat).update(started_at=before)  # counted

    for title, when, gone in (
        ("A", inside, None),
        ("B", inside, None),
        ("C", inside, inside),
        ("D", before, None),
    ):
        Resource.objects.filter(pk=resource(title, deleted_at=gone).pk).update(created_at=when)
    for title, when in (("P1", inside), ("P2", after)):
        Project.objects.filter(pk=make_project(title).pk).update(created_at=when)
    kenya = assessment(secretariat)
    for when in (inside, inside, before):
        Recommendation.objects.filter(
            pk=recommendation(kenya, AssistanceStatus.REQUESTED, ImplementationStatus.OPEN).pk
        ).update(created_at=when)
    held("Held", inside)
    held("Cancelled", inside + timedelta(hours=3), status=EventStatus.CANCELLED)
    held("Next month", after)
    VisitDay.objects.create(date=month + timedelta(days=4), views=7, visitors=3)
    VisitDay.objects.create(date=month + timedelta(days=10), views=5, visitors=2)
    VisitDay.objects.create(date=month - timedelta(days=1), views=50, visitors=20)

    # when the trends of that month are read
    trends = {trend.key: trend for trend in statistics.trends([month])}

    # then each series holds that month's figure exactly
    assert trends["people"].columns[0].values == [3]
    assert trends["documents"].columns[0].values == [2]  # C is in the trash, D is older
    assert [column.values for column in trends["visits"].columns] == [[5], [12]]
    assert trends["meetings"].columns[0].values == [1]
    assert trends["projects"].columns[0].values == [1]
    assert trends["recommendations"].columns[0].values == [2]


def test_months_follow_the_readers_time_zone(secretariat):
    # given a document added at 22:00 UTC on the last day of a month: already the next month in Nairobi
    month = date(2026, 3, 1)
    added = resource("Late in the day")
    Resource.objects.filter(pk=added.pk).update(created_at=start_of(date(2026, 3, 31)) + timedelta(hours=22))
    months = months_between(month, date(2026, 4, 1))

    # then
    assert statistics.trends(months)[1].columns[0].values == [1, 0]
    with timezone.override("Africa/Nairobi"):
        assert statistics.trends(months)[1].columns[0].values == [0, 1]


def test_the_page_shows_the_figures_and_a_table_for_each_chart(secretariat_client, secretariat):
    resource("Report")

    response = secretariat_client.get(URL, {"start": "2025-01", "end": "2025-12"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Platform statistics" in html
    # each chart is drawn from its table (no inline script): the canvas names the table, which has a caption
    for key, caption in (
        ("people", "People with a role"), ("documents", "Documents added"), ("visits", "Visits (a signed-in"),
        ("meetings", "Working Group meetings held"), ("projects", "Projects added"),
        ("recommendations", "CTED recommendations recorded"),
    ):  # fmt: skip
        assert f'data-appeal-chart="{key}-table"' in html
        found = table(response, caption)
        assert found.attrs["id"] == f"{key}-table"
        assert len(found.all("tr")) == 13  # the header, then January to December 2025
        assert all(cell.attrs.get("scope") for cell in found.all("th"))
    assert "<script>" not in html
    assert table(response, "Projects of the matrix by status")
    assert f'href="{EXPORT}?start=2025-01&amp;end=2025-12"' in html


def test_the_export_is_the_trends_as_csv_and_is_logged(secretariat_client, secretariat):
    month = date(2025, 6, 1)
    Resource.objects.filter(pk=resource("June's").pk).update(created_at=start_of(month) + timedelta(days=1))

    response = secretariat_client.get(EXPORT, {"start": "2025-05", "end": "2025-07"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="platform-statistics-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Month", "Focal points", "New documents", "Visits", "Page views", "Working Group meetings held",
         "New projects", "New CTED recommendations"],
        ["2025-05", "0", "0", "0", "0", "0", "0", "0"],
        ["2025-06", "0", "1", "0", "0", "0", "0", "0"],
        ["2025-07", "0", "0", "0", "0", "0", "0", "0"],
    ]  # fmt: skip
    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert (event.user, event.detail["what"], event.detail["count"]) == (secretariat, "statistics", 3)


def test_the_default_months_are_the_last_two_years(secretariat_client):
    response = secretariat_client.get(URL)

    this_month = timezone.localdate().replace(day=1)
    assert [month for month, _cells in response.context["trends"][0].rows][-1] == this_month
    assert len(response.context["trends"][0].months) == 24


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"start": "abc"}, "Some months were not understood."),
        ({"start": "0001-01"}, "Some months were not understood."),
        ({"end": "9999-12"}, "Some months were not understood."),
        ({"start": "2025-13"}, "Some months were not understood."),
        ({"start": "2026-05", "end": "2025-01"}, "The first month comes after the last one."),
        ({"start": "1950-01", "end": "2025-01"}, "Ask for at most 120 months at once."),
    ],
)
def test_bad_months_give_a_message_and_the_default_months(secretariat_client, query, problem):
    response = secretariat_client.get(URL, query)

    assert response.status_code == 200
    assert messages(response) == [f"{problem} The last 24 months are shown."]
    assert len(response.context["trends"][0].months) == 24
    # and the export of bad months goes back to the page, which says why
    export = secretariat_client.get(EXPORT, query)
    assert export.status_code == 302
    assert export["Location"].startswith(URL + "?")


def test_a_field_error_is_tied_to_its_field(secretariat_client):
    response = secretariat_client.get(URL, {"start": "1800-01"})

    assert "Give a date from" in field_error(response, "start")


def test_only_the_secretariat_opens_the_statistics(client, focal_point):
    client.force_login(focal_point)

    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_page_takes_a_constant_number_of_queries(secretariat_client, secretariat, make_user):
    empty = count_queries(secretariat_client, URL)

    # given much more of everything
    for number in range(5):
        make_user(f"p{number}@example.org", organization=organization("state:KEN"))
        resource(f"Report {number}")
        make_project(f"Project {number}")
        held(f"Meeting {number}", timezone.now() - timedelta(days=number * 40 + 1))
    recommendation(assessment(secretariat), AssistanceStatus.REQUESTED, ImplementationStatus.OPEN)
    VisitDay.objects.create(date=visits.utc_today() - timedelta(days=2), views=3, visitors=1)

    # then the page takes as many queries, whatever the data or the months asked
    assert count_queries(secretariat_client, URL) == empty
    assert count_queries(secretariat_client, f"{URL}?start=2017-01&end=2026-12") == empty
    # the user, the audience context (3), the figures now (12, of which two look for the Appeal's current
    # cycle: none here), the trends (8), the session's renewed inactivity deadline (3, in a savepoint)
    assert empty == STATISTICS_QUERIES
