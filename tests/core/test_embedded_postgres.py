"""The embedded PostgreSQL: started by entry points, reused, stopped cleanly, recovered after a crash.

Each scenario runs in its own process, as the entry points do, against a data folder of its own.
"""

import json
import os
import subprocess
import sys
import textwrap

import psutil
import pytest
from django.conf import settings

# A tiny entry point: start the server in the given folder, run SQL, exit (which must stop the server).
PROGRAM = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import psycopg
    from core import embedded_postgres

    server = embedded_postgres.start(Path(sys.argv[1]))
    with psycopg.connect(server.url().replace("postgres://", "postgresql://"), autocommit=True) as conn:
        for statement in sys.argv[2:]:
            cursor = conn.execute(statement)
            if statement.startswith("SELECT"):
                print(cursor.fetchone()[0])
    """
)


def run(pgdata, *statements, env=None):
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, str(pgdata), *statements],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def postgres_running_in(pgdata) -> bool:
    return any(
        p.info["name"] == "postgres" and str(pgdata) in " ".join(p.info["cmdline"] or [])
        for p in psutil.process_iter(attrs=["name", "cmdline"])
    )


@pytest.fixture
def pgdata(tmp_path):
    return tmp_path / "postgres"


def test_first_start_initialises_reuse_keeps_data_and_exit_stops(pgdata):
    # given no data folder: the first start initialises one and creates the project database
    first = run(pgdata, "CREATE TABLE kept (value text)", "INSERT INTO kept VALUES ('still here')")
    assert first.returncode == 0, first.stderr
    assert (pgdata / "PG_VERSION").read_text().strip() == "18"

    # then the server stopped with its last user
    assert not postgres_running_in(pgdata)
    assert not (pgdata / "postmaster.pid").exists()

    # when started again, the same folder and its data are reused
    second = run(pgdata, "SELECT value FROM kept", "SELECT current_database()")
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["still", "here", "compact"]


def test_stale_pid_file_after_a_crash_is_recovered(pgdata):
    assert run(pgdata).returncode == 0
    # given the leftovers of a crash: a postmaster.pid naming a dead process, a dead process in the handles
    dead_pid = 999_999
    assert not psutil.pid_exists(dead_pid)
    (pgdata / "postmaster.pid").write_text(f"{dead_pid}\n{pgdata}\n0\n5432\n{pgdata}\n\n0 0\nready\n")
    (pgdata / ".handle_pids.json").write_text(json.dumps([dead_pid]))

    # when the platform starts again
    result = run(pgdata, "SELECT 40 + 2")

    # then it recovers, serves, and stops again as the only user
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42"]
    assert not postgres_running_in(pgdata)


def test_data_folder_of_another_major_version_is_explained(pgdata):
    # given a folder initialised by another PostgreSQL major version
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("15\n")

    result = run(pgdata)

    # then start-up stops with a message saying what is wrong and what to do, and the folder is untouched
    assert result.returncode != 0
    assert "holds a PostgreSQL 15 data folder, but the embedded server is PostgreSQL 18" in result.stderr
    assert sorted(p.name for p in pgdata.iterdir()) == ["PG_VERSION"]


def entry_point(env: dict) -> subprocess.CompletedProcess:
    """What an entry point does first (prepare the database), then the DATABASE_URL and marker it left."""
    program = (
        "import os; from core import bootstrap; bootstrap.prepare_database(); "
        "print(os.environ['DATABASE_URL']); print(os.environ.get('COMPACT_EMBEDDED_DATABASE', '-'))"
    )
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_external_database_url_never_starts_the_embedded_server(tmp_path):
    # given DATABASE_URL naming a server, and a data folder location of our own
    env = {k: v for k, v in os.environ.items() if k != "COMPACT_EMBEDDED_DATABASE"}
    env.update(DATABASE_URL="postgres://app@db.internal:5432/compact", COMPACT_DATA_DIR=str(tmp_path))

    result = entry_point(env)

    # then the URL is used as given, nothing says "embedded", and no server was created
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgres://app@db.internal:5432/compact", "-"]
    assert list(tmp_path.iterdir()) == []


def test_without_database_url_the_entry_point_uses_the_embedded_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "COMPACT_EMBEDDED_DATABASE"}}
    env["COMPACT_DATA_DIR"] = str(tmp_path)

    result = entry_point(env)

    assert result.returncode == 0, result.stderr
    url, data_dir = result.stdout.split()
    assert url.startswith("postgres://postgres@")
    assert url.endswith("/compact")
    assert data_dir == str(tmp_path / "postgres")
    assert not postgres_running_in(tmp_path / "postgres")
