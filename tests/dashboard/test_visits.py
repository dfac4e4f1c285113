"""Visits counted without a database write per request and without keeping who visited
(dashboard.visits), and their daily roll-up into VisitDay (dashboard.services.roll_up_visits)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import services, visits
from dashboard.models import VisitDay
from tests.conftest import signed_in
from tests.core.test_health import _use_redis, redis_url, unused_tcp_port  # noqa: F401 -- shared fixtures

DAY = date(2026, 3, 10)
VISITS_MIDDLEWARE = "dashboard.visits.VisitMiddleware"


@pytest.fixture(autouse=True)
def fresh_tally(monkeypatch, settings):
    """A new process's tally for each test, flushing at every page unless a test says otherwise."""
    monkeypatch.setattr(visits, "TALLY", visits.Tally())
    settings.VISITS_FLUSH_SECONDS = 0


def counted(day: date) -> tuple[int, int]:
    return visits.counted_on([day]).get(day, (0, 0))


def test_a_page_view_is_counted_without_a_query_of_its_own(focal_point, settings):
    # when the same page is opened with the counting, and by a platform without it
    with_counting = signed_in(focal_point)
    with_counting.get("/home/")  # the session's first request does its one-off work
    with CaptureQueriesContext(connection) as counting:
        assert with_counting.get("/home/").status_code == 200
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != VISITS_MIDDLEWARE]
    plain = signed_in(focal_point)
    plain.get("/home/")
    with CaptureQueriesContext(connection) as without:
        assert plain.get("/home/").status_code == 200

    # then the counting added no query, and no write anywhere
    assert len(counting) == len(without)
    assert not [query for query in counting.captured_queries if "visitday" in query["sql"].lower()]
    # and the two views (and one visitor) are in the cache
    assert counted(visits.utc_today()) == (2, 1)
    assert not VisitDay.objects.exists()


@pytest.mark.parametrize(
    ("what", "path", "headers"),
    [
        ("a redirect", "/", {}),
        ("the health check", "/health/", {}),
        ("a static file", "/static/js/platform.js", {}),
        ("an htmx fragment", "/home/", {"HTTP_HX_REQUEST": "true"}),
        ("a download", "/statistics/export.csv", {}),
        ("a page that does not exist", "/no-such-page/", {}),
    ],
)
def test_only_pages_shown_are_counted(secretariat_client, what, path, headers):
    secretariat_client.get(path, **headers)

    assert counted(visits.utc_today()) == (0, 0), what


def test_a_post_is_not_a_page_view(client, focal_point):
    client.force_login(focal_point)
    client.post("/accounts/logout/")

    assert counted(visits.utc_today()) == (0, 0)


def test_visitors_are_distinct_signed_in_people_across_processes(focal_point, ken_person):
    # given two processes, each with its own tally: a focal point opens pages in both, Kenya's in one,
    # and visitors who are not signed in open two
    first, second = visits.Tally(), visits.Tally()
    for person in (focal_point.pk, focal_point.pk, None):
        first.record(person, day=DAY, clock=0)
    for person in (focal_point.pk, ken_person.pk, None):
        second.record(person, day=DAY, clock=0)

    # then six views, and two people
    assert counted(DAY) == (6, 2)


def test_a_process_adds_its_tally_to_the_cache_at_most_every_flush_interval(settings, focal_point):
    settings.VISITS_FLUSH_SECONDS = 30
    tally = visits.Tally()

    tally.record(focal_point.pk, day=DAY, clock=100.0)  # the first page flushes at once
    tally.record(None, day=DAY, clock=110.0)
    tally.record(focal_point.pk, day=DAY, clock=129.0)
    assert counted(DAY) == (1, 1)

    tally.record(None, day=DAY, clock=130.0)
    assert counted(DAY) == (4, 1)


def test_the_cache_holds_no_person_only_a_salted_hash_of_the_day(focal_point):
    other_day = DAY + timedelta(days=1)
    tally = visits.Tally()
    tally.record(focal_point.pk, day=DAY, clock=0)
    tally.record(focal_point.pk, day=other_day, clock=0)

    seen = sorted(key for key in cache._cache if ":visits:seen:" in key)
    assert len(seen) == 2
    plain = hashlib.sha256(str(focal_point.pk).encode()).hexdigest()[:32]
    digests = {key.rsplit(":", 1)[1] for key in seen}
    assert plain not in digests
    assert len(digests) == 2  # the salt changes with the day: the two days' hashes cannot be linked
    assert focal_point.email not in str(list(cache._cache))


def test_the_roll_up_moves_finished_days_exactly_and_only_once(focal_point, ken_person):
    # given yesterday's and today's counts in the cache
    today = DAY
    yesterday = today - timedelta(days=1)
    tally = visits.Tally()
    for person in (focal_point.pk, ken_person.pk, focal_point.pk, None):
        tally.record(person, day=yesterday, clock=0)
    visits.Tally().record(focal_point.pk, day=today, clock=0)

    # when the roll-up runs twice
    services.roll_up_visits(today=today)
    services.roll_up_visits(today=today)

    # then yesterday is moved once, exactly; today is not finished
    assert list(VisitDay.objects.values_list("date", "views", "visitors")) == [(yesterday, 4, 2)]

    # and a late flush into yesterday is picked up by the next run, still without adding anything twice
    tally.record(None, day=yesterday, clock=0)
    services.roll_up_visits(today=today)
    services.roll_up_visits(today=today)
    assert list(VisitDay.objects.values_list("date", "views", "visitors")) == [(yesterday, 5, 2)]

    # and a cache emptied since (Redis restarted) never erases or lowers a day already moved
    cache.clear()
    visits.Tally().record(None, day=yesterday, clock=0)
    services.roll_up_visits(today=today)
    assert list(VisitDay.objects.values_list("date", "views", "visitors")) == [(yesterday, 5, 2)]


def test_the_figures_add_what_the_cache_holds_to_the_finished_days(focal_point):
    from dashboard.selectors import visit_figures

    today = DAY
    VisitDay.objects.create(date=today - timedelta(days=1), views=5, visitors=2)
    VisitDay.objects.create(date=today - timedelta(days=2), views=8, visitors=3)
    tally = visits.Tally()
    for day in (today - timedelta(days=1), today - timedelta(days=1), today - timedelta(days=2), today):
        tally.record(None, day=day, clock=0)  # yesterday's figure in the cache is below the database's

    figures = visit_figures(today)

    # yesterday and the day before: the database's (the cache has less); today: the cache's
    assert (figures.views, figures.visitors, figures.total_views) == (14, 5, 14)


def test_a_process_rolls_up_at_its_first_page_of_a_new_day(focal_point, django_capture_on_commit_callbacks):
    # given a process that counted pages yesterday (the local-memory cache: no beat, no worker)
    today = visits.utc_today()
    yesterday = today - timedelta(days=1)
    tally = visits.Tally()
    tally.record(focal_point.pk, day=yesterday, clock=0)
    tally.record(None, day=yesterday, clock=0)

    # when its first page of today is counted (the job runs in-process, as without Redis)
    with django_capture_on_commit_callbacks(execute=True):
        tally.record(None, day=today, clock=0)

    # then yesterday is in the database, today is not (it is not finished)
    assert list(VisitDay.objects.values_list("date", "views", "visitors")) == [(yesterday, 2, 1)]


def test_the_scheduled_task_rolls_up(focal_point, settings):
    from dashboard.tasks import roll_up_visits

    yesterday = visits.utc_today() - timedelta(days=1)
    visits.Tally().record(focal_point.pk, day=yesterday, clock=0)

    assert roll_up_visits() == 1
    assert VisitDay.objects.get(date=yesterday).visitors == 1
    assert settings.CELERY_BEAT_SCHEDULE["roll-up-visits"]["task"] == roll_up_visits.name


@pytest.mark.redis
def test_pages_are_counted_on_redis_by_every_process(client, db, settings, redis_url, focal_point):  # noqa: F811
    # given the cache on a real Redis, shared by two processes
    _use_redis(settings, redis_url)
    cache.clear()
    first, second = visits.Tally(), visits.Tally()
    first.record(focal_point.pk, day=DAY, clock=0)
    second.record(focal_point.pk, day=DAY, clock=0)
    second.record(None, day=DAY, clock=0)

    # then the counters are shared, the person counted once, and the roll-up reads them
    assert counted(DAY) == (3, 1)
    services.roll_up_visits(today=DAY + timedelta(days=1))
    assert VisitDay.objects.get(date=DAY).views == 3
    cache.clear()


def test_pages_work_while_redis_is_down(client, settings, focal_point, unused_tcp_port):  # noqa: F811
    # given the cache on a Redis that is not there
    _use_redis(settings, f"redis://127.0.0.1:{unused_tcp_port}/0")
    client.force_login(focal_point)

    # then a page is shown (the counting is lost, never the page), and a roll-up writes nothing
    assert client.get("/home/").status_code == 200
    assert services.roll_up_visits() == []
