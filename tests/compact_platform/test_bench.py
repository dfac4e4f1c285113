"""`manage.py bench` times every contributed page on its own data set and writes the report; the directory's
data set is made in SQL as the application itself would make it."""

import os
import subprocess
import sys
import uuid

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from core.benchmarking import Scale
from directory import bench
from directory.models import Membership, Organization, OrganizationKind, Profile, User
from directory.people import SEARCH_CONFIG, index_text
from tests.dashboard.test_pages import HOME_QUERIES

DIRECTORY_ROWS = [
    "directory page: search + 2 filters, counts included",
    "directory page: 2 filters, counts included",
    "directory page: everyone, counts included",
    "directory: first page of a search + 2 filters",
    "directory: facet counts of a search + 2 filters",
    "directory: facet counts of a search + 2 filters, uncached",
]


def run_bench(database, report, *options):
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench",
            *options,
            "--database-name",
            database,
            "--output",
            str(report),
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def table_of(report) -> list[list[str]]:
    rows = [line for line in report.read_text().splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.split("|")[1:-1]] for row in rows[1:]]


def test_bench_writes_a_table_of_every_page(tmp_path):
    database = f"test_bench_{uuid.uuid4().hex[:8]}"
    report = tmp_path / "benchmarks.md"
    try:
        # when the bench runs on a small data set of its own
        result = run_bench(
            database, report, "--users", "60", "--organizations", "270", "--notices", "60,30", "--runs", "3",
            "--resources", "40", "--events", "40", "--projects", "40", "--appeal-projects", "30",
            "--flows", "300", "--recommendations", "300", "--import-rows", "200",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "directory: 60 bench users created, 16 organisations added, 60 profiles" in result.stdout

        # then the report has a row per page, with a median, a p95 and a query count
        table = table_of(report)
        notices = [
            "notices list (entity focal point)",
            "notices list (Member State focal point)",
            "visible_to: first page of 50 (entity focal point)",
            "visible_to: capped count (entity focal point)",
            "visible_to: first page of 50 (Member State focal point)",
            "visible_to: capped count (Member State focal point)",
        ]
        # (every app's rows, in INSTALLED_APPS order; the library's and calendar's are tested with them)
        core_apps = [
            (name, data)
            for name, data, *_ in table
            if not name.startswith(
                (
                    "library",
                    "calendar",
                    "discussions",
                    "projects",
                    "appeal",
                    "cted",
                    "countries",
                    "working_groups",
                    "showcase",
                    "newsletters",
                    "search",
                    "API:",
                )
            )
        ]
        assert core_apps == [
            ("health (database, cache, broker)", ""),
            *[(name, "60 people, 270 organisations") for name in DIRECTORY_ROWS],
            *[(name, "30 notices") for name in notices],  # sizes are timed in growing order
            *[(name, "60 notices") for name in notices],
            (
                "statistics (Secretariat)",
                "60 users, 40 resources, 40 events, 40 projects, 300 recommendations, 800 days of visits",
            ),
            ("landing page (anonymous)", ""),
            ("home (focal point)", "60 users"),
        ]
        assert any(name.startswith("library") and "40 resources" in data for name, data, *_ in table)
        # the API's lists, each app's beside its pages
        api_rows = {name.split(",")[0] for name, *_ in table if name.startswith("API: ")}
        assert {"API: people", "API: library resources", "API: events", "API: recommendations"} <= api_rows
        assert any(name.startswith("working_groups: WG 2 home") for name, *_ in table)
        assert any(
            name == "newsletters: compile an annual draft (a year of every app's data)" for name, *_ in table
        )
        assert any(
            name == "cted: chain view: funded, facets included (entity focal point)"
            and data.startswith("300 recommendations")
            for name, data, *_ in table
        )
        assert any(name.startswith("projects: matrix") and data == "40 projects" for name, data, *_ in table)
        assert any(name.startswith("projects: spreadsheet import of 200 rows") for name, *_ in table)
        assert any(name == "countries: its country brief, PDF (entity focal point)" for name, *_ in table)
        assert any(
            name == "appeal: open cycle's dashboard (Secretariat)"
            and data.endswith(" appeal projects, 300 flows")
            for name, data, *_ in table
        )
        assert any(name == "showcase: public Appeal projects (anonymous)" for name, *_ in table)
        assert any(
            name == "search: “security” in every group (Member State focal point)" and "40 resources" in data
            for name, data, *_ in table
        )
        home = next(row for row in table if row[0] == "home (focal point)")
        assert float(home[2]) > 0
        assert float(home[3]) >= float(home[2])
        # at most the count tests/dashboard asserts with every source full: the bench's data set leaves one
        # source empty in some runs (29 of 30 queries on a fresh database; not yet understood, see issue 22)
        assert 0 < int(home[4]) <= HOME_QUERIES
        assert home[5] == "3"
        # the notices list: the same queries at both sizes (constant), a capped count in one query
        by_size = {(name, size): row for name, size, *row in table}
        lists = [by_size[("notices list (entity focal point)", f"{n} notices")] for n in (30, 60)]
        assert lists[0][2] == lists[1][2]
        assert by_size[("visible_to: capped count (entity focal point)", "30 notices")][2] == "1"
        # the directory: the targets beside its rows
        directory = {row[0]: row for row in table[1 : 1 + len(DIRECTORY_ROWS)]}
        assert directory[DIRECTORY_ROWS[0]][6].startswith("≤ 100 ms")
        assert directory[DIRECTORY_ROWS[3]][6].startswith("≤ 50 ms")
        assert "- Data set: 60 users in 270 organisations" in report.read_text()
        assert "Written by `python manage.py bench`" in report.read_text()

        # when the data set grows (the next run keeps what is there and adds to it)
        grown = run_bench(
            database, report, "--users", "120", "--organizations", "280", "--notices", "30", "--runs", "2",
            "--resources", "40", "--events", "40", "--projects", "40", "--appeal-projects", "30",
            "--flows", "300", "--only", "directory",
        )  # fmt: skip
        assert grown.returncode == 0, grown.stderr
        assert "directory: 60 bench users created, 10 organisations added, 60 profiles" in grown.stdout
        # then the directory page makes as many queries for twice the people
        everyone = {row[0]: row for row in table_of(report)}[DIRECTORY_ROWS[2]]
        assert everyone[1] == "120 people, 280 organisations"
        assert everyone[4] == directory[DIRECTORY_ROWS[2]][4]
    finally:
        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        with psycopg.connect(
            **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_directory_data_set_is_complete_searchable_and_grows_without_duplicates(compact):
    lines = []
    bench_people = User.objects.filter(email__endswith=f"@{bench.BENCH_EMAIL_DOMAIN}")
    reference_organizations = Organization.objects.filter(is_active=True).count()

    # when the bench makes its directory data set
    bench.generate(Scale(users=80, organizations=reference_organizations + 12), lines.append)

    # then there are that many people and organisations, the extra ones recognisable as bench data
    assert bench_people.count() == 80
    assert Organization.objects.filter(is_active=True).count() == reference_organizations + 12
    synthetic = bench.bench_organizations()
    assert synthetic.count() == 12
    assert set(synthetic.values_list("kind", flat=True)) == {
        OrganizationKind.REGIONAL_ORGANIZATION,
        OrganizationKind.OTHER,
    }
    assert all(o.description == bench.BENCH_ORGANIZATION_NOTE for o in synthetic)
    # everyone represents an organisation and has a full profile
    current = Count("memberships", filter=Q(memberships__ended_at__isnull=True))
    assert not bench_people.annotate(n=current).filter(n=0).exists()
    assert not bench_people.filter(full_name__startswith="Bench User").exists()
    profiles = Profile.objects.filter(user__in=bench_people)
    assert profiles.count() == 80
    for profile in profiles:
        assert profile.job_title
        assert profile.languages
        assert 1 <= len(profile.expertise_tags) <= 3
        assert len(profile.country) == 3
    assert Profile.expertise_pillars.through.objects.filter(profile__in=profiles).exists()
    # and each search vector is the one the application computes for that person
    people = bench_people.select_related("profile").prefetch_related(
        "memberships__organization", "profile__expertise_pillars"
    )
    with connection.cursor() as cursor:
        for person in people:
            cursor.execute("SELECT to_tsvector(%s::regconfig, %s)::text", [SEARCH_CONFIG, index_text(person)])
            assert str(person.profile.search_vector) == cursor.fetchone()[0], person.full_name

    # when it runs again: nothing changes
    memberships = Membership.objects.filter(user__in=bench_people).count()
    bench.generate(Scale(users=80, organizations=reference_organizations + 12), lines.append)
    assert (
        lines[-1]
        == f"directory: 80 bench users in {reference_organizations + 12:,} organisations already there"
    )
    assert Membership.objects.filter(user__in=bench_people).count() == memberships

    # when the scale grows: the data set grows to it
    bench.generate(Scale(users=100, organizations=reference_organizations + 14), lines.append)
    assert lines[-1].startswith("directory: 20 bench users created, 2 organisations added, 20 profiles")
    assert bench_people.count() == 100
    assert Profile.objects.filter(user__in=bench_people, search_vector__isnull=False).count() == 100

    # and the signed-in focal point of the measurements represents an entity taking part in a Working Group
    user = bench.focal_point()
    assert user.memberships.filter(
        ended_at__isnull=True, role="focal_point", organization__participations__isnull=False
    ).exists()
    assert user.authenticator_set.exists()
