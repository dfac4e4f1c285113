"""Settings come from the environment; production refuses to start half-configured."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "compact.example.org",
    "SECURE_SSL_REDIRECT": "true",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with exactly the given settings variables on top of the database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "REDIS_URL", "EMAIL_URL"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    # given production-like environment values
    # when Django's deployment checklist runs, failing on any warning
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    # then it reports nothing
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_on_transport_security():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, s.DEBUG)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-8:] == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "DENY",
        "same-origin",
        "False",
    ]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list the host names"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DATABASE_URL": "mysql://root@localhost/compact"}, "DATABASE_URL must be a PostgreSQL URL"),
        (
            {"DATABASE_URL": "postgres://localhost:notaport/compact"},
            "DATABASE_URL is not a valid database URL",
        ),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL must be a redis://"),
        ({"EMAIL_URL": "pigeon://coop"}, "EMAIL_URL must be an email URL"),
        ({"SECURE_HSTS_SECONDS": "3600"}, "SECURE_HSTS_SECONDS must be at least 31536000"),
        ({"DATABASE_POOL_SIZE": "many"}, "DATABASE_POOL_SIZE must be a whole number"),
    ],
)
def test_bad_environment_stops_startup_with_one_line(environment, message):
    # given production values with one variable missing or wrong
    # when the platform starts
    result = manage("check", **{**PRODUCTION, **environment})

    # then it stops with a one-line explanation naming the variable, not a traceback
    assert result.returncode == 2
    assert result.stderr.startswith("compact: configuration error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_development_mode_needs_no_secrets():
    result = manage(
        "shell", "-c", "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)", DEBUG="1"
    )
    assert result.returncode == 0, result.stderr
    assert "True ['localhost', '127.0.0.1', '[::1]']" in result.stdout


def test_redis_url_moves_cache_and_jobs_to_redis():
    # Read the settings module's logic directly: with REDIS_URL, cache and broker use it and jobs leave
    # the process; without it (the suite's own settings), jobs run in-process.
    assert django_settings.CELERY_TASK_ALWAYS_EAGER is True
    assert django_settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, "
        "s.CELERY_TASK_ALWAYS_EAGER)",
        REDIS_URL="redis://127.0.0.1:6379/3",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "core.cache.TolerantRedisCache",
        "redis://127.0.0.1:6379/3",
        "False",
    ]
