"""`manage.py bench` times every contributed page on its own data set and writes the report."""

import os
import subprocess
import sys
import uuid

import psycopg
from django.conf import settings
from django.db import connection

from tests.dashboard.test_pages import HOME_QUERIES


def test_bench_writes_a_table_of_every_page(tmp_path):
    database = f"test_bench_{uuid.uuid4().hex[:8]}"
    report = tmp_path / "benchmarks.md"
    try:
        # when the bench runs on a small data set of its own
        result = subprocess.run(
            [sys.executable, "manage.py", "bench", "--users", "40", "--notices", "60,30", "--runs", "3",
             "--database-name", database, "--output", str(report)],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DEBUG": "true"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "directory: 40 bench users created" in result.stdout

        # then the report has a row per page, with a median, a p95 and a query count
        rows = [
            line for line in report.read_text().splitlines() if line.startswith("| ") and "---" not in line
        ]
        table = [[cell.strip() for cell in row.split("|")[1:-1]] for row in rows[1:]]
        notices = [
            "notices list (entity focal point)",
            "notices list (Member State focal point)",
            "visible_to: first page of 50 (entity focal point)",
            "visible_to: capped count (entity focal point)",
            "visible_to: first page of 50 (Member State focal point)",
            "visible_to: capped count (Member State focal point)",
        ]
        assert [(name, data) for name, data, *_ in table] == [
            ("health (database, cache, broker)", ""),
            *[(name, "30 notices") for name in notices],  # sizes are timed in growing order
            *[(name, "60 notices") for name in notices],
            ("landing page (anonymous)", ""),
            ("home (focal point)", "40 users"),
        ]
        home = table[-1]
        assert float(home[2]) > 0
        assert float(home[3]) >= float(home[2])
        assert home[4] == str(HOME_QUERIES)
        assert home[5] == "3"
        # the notices list: the same queries at both sizes (constant), a capped count in one query
        assert table[1][4] == table[7][4]
        assert table[4][4] == "1"
        assert "Written by `python manage.py bench`" in report.read_text()
    finally:
        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        with psycopg.connect(
            **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
