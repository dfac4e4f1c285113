"""The machinery of ``python manage.py bench``: a scale data set, and pages and queries timed on it.

Each app contributes a ``bench.py`` module with either or both of:

- ``generate(scale: Scale, write)``: make (or keep, if already there) its part of the data set;
- ``measurements(scale: Scale, write)``: an iterable of ``Page`` and ``Query`` to time. A generator may
  resize its data between the items it yields (e.g. time a list at 100,000 rows, then at 1,000,000).

Pages go through Django's test client: URL resolving, every middleware, the view, the queries and the
template rendering — everything but the socket. Queries time one database call as the page makes it
(e.g. a list's first page, its capped count). Query counts come from a separate, untimed run, since
capturing queries slows them down.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.benchmarking import Page, Query, Scale


@dataclass(frozen=True)
class Timing:
    page: Page | Query
    median_ms: float
    p95_ms: float
    queries: int
    runs: int


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(item: Page | Query, runs: int) -> Timing:
    runs = min(runs, item.max_runs or runs)
    return time_page(item, runs) if isinstance(item, Page) else time_query(item, runs)


def time_query(query: Query, runs: int) -> Timing:
    # The warm-up fills caches and the reader's audience context, as within a page.
    return _measure(query, query.run, runs)


def time_page(page: Page, runs: int) -> Timing:
    client = Client()
    if page.user is not None:
        client.force_login(page.user())

    def request():
        response = client.get(page.url, secure=True)
        if response.status_code != page.expected_status:
            raise RuntimeError(
                f"{page.name}: {page.url} answered {response.status_code}, not {page.expected_status}"
            )

    # A session's first request does one-off work (recording the session, the MFA check): the warm-up.
    return _measure(page, request, runs)


def _measure(item: Page | Query, call: Callable[[], object], runs: int) -> Timing:
    """Warm up once, count the queries of a steady-state call, then time ``runs`` calls."""
    call()
    # The query log is a bounded deque: emptied first so that a full one (after generating data) still
    # counts; the count is read at once, since later requests clear the log.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    query_count = len(queries)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(
        page=item,
        median_ms=statistics.median(samples),
        p95_ms=percentile(samples, 0.95),
        queries=query_count,
        runs=runs,
    )


def target(timing: Timing) -> str:
    if timing.page.target_ms is None:
        return ""
    verdict = "met" if timing.median_ms <= timing.page.target_ms else "MISSED"
    return f"≤ {timing.page.target_ms:g} ms: {verdict}"


def machine() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {server_version.split()[0]}"
    )


def table_rows(report: str) -> list[str]:
    """The table rows of a report (without its header row and rule)."""
    rows = [line for line in report.splitlines() if line.startswith("| ") and "---" not in line]
    return rows[1:]


def row_name(row: str) -> str:
    return row.split("|")[1].strip()


def markdown(
    timings: list[Timing], *, scale: Scale, when: str, where: str, only: str = "", previous: str = ""
) -> str:
    """The report. With ``only`` (a part of the pages' names), the previous report's rows of the other
    pages are kept in their places, so timing one app does not drop the others' rows."""
    measured = [
        f"| {t.page.name} | {t.page.data} | {t.median_ms:.1f} | {t.p95_ms:.1f} | {t.queries} | {t.runs} "
        f"| {target(t)} |"
        for t in timings
    ]
    rows = measured
    if only and previous:
        kept = table_rows(previous)
        first = next((i for i, row in enumerate(kept) if only in row_name(row)), len(kept))
        others = [row for row in kept if only not in row_name(row)]
        at = sum(1 for row in kept[:first] if only not in row_name(row))
        rows = others[:at] + measured + others[at:]
    lines = [
        "# Benchmarks",
        "",
        "Written by `python manage.py bench` — do not edit by hand; rerun the command.",
        "",
        f"- Measured: {when}",
        f"- Machine: {where}",
        f"- Data set: {scale.users:,} users in {scale.organizations:,} organisations (the reference data's "
        "and synthetic ones); notices "
        f"(the reference `visible_to` list) at {', '.join(f'{n:,}' for n in scale.notices)} rows; "
        f"{scale.resources:,} library resources; {scale.events:,} calendar events",
        *(
            [f"- Only the pages named with “{only}” were measured then; the other rows are from earlier runs"]
            if only and previous
            else []
        ),
        "- Method: Django's test client through the full stack (middleware, view, queries, templates), "
        "signed in where the page needs it, after a warm-up request; the query count is from a second, "
        "steady-state request. Times are wall-clock "
        "and vary with the machine's load: compare them, do not assert on them.",
        "",
        "| page or query | data | median ms | p95 ms | queries | runs | target (median) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    lines += rows
    return "\n".join(lines) + "\n"
