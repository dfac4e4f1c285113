"""Strict readers for settings from the environment.

django-environ parses the URLs; these wrappers refuse what it would silently accept (``DEBUG=maybe`` read as
false, a MySQL URL for a PostgreSQL-only project) and phrase every problem as one line naming the variable,
which ``core.bootstrap`` prints instead of a traceback.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def boolean(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (or 1/0, yes/no, on/off), not {raw!r}")


def integer(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def listing(name: str, default: tuple[str, ...] = ()) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database(name: str = "DATABASE_URL") -> dict:
    raw = text(name)
    if not raw:
        raise ImproperlyConfigured(
            f"{name} is not set; start the platform through manage.py (which starts the embedded "
            f"PostgreSQL) or set {name}=postgres://user:password@host:5432/name"
        )
    scheme = urlsplit(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must be a PostgreSQL URL (postgres://...), not a {scheme or 'scheme-less'} URL"
        )
    try:
        config = environ.Env.db_url_config(raw)
    except (ValueError, KeyError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({exc})") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database (postgres://host/NAME)")
    # A Unix-socket folder is given percent-encoded in the host part (postgres://user@%2Frun%2Fpg/name).
    config["HOST"] = unquote(config.get("HOST") or "")
    return config


def redis_url(name: str = "REDIS_URL") -> str:
    raw = text(name)
    if raw and urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must be a redis://, rediss:// or unix:// URL, not {raw!r}")
    return raw


def email(name: str = "EMAIL_URL", default: str = "consolemail://") -> dict:
    raw = text(name) or default
    try:
        return environ.Env.email_url_config(raw)
    except (ValueError, KeyError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(
            f"{name} must be an email URL such as smtp+tls://user:password@host:587 or consolemail:// ({exc})"
        ) from None
