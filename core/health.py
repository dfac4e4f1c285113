"""Explicit health checks for /health/: database, cache and broker.

Each check talks to the service it names over the configured connection, with short time-outs, and never
does anything that would trigger a DNS look-up or a broker discovery (the machines this runs on may have no
internet). A check returns a small dict; it never raises.
"""

from __future__ import annotations

import time
import uuid

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 -- a health check reports any failure, it never raises
        # Only the kind of failure: the endpoint is public, and messages can name internal hosts.
        result = {"ok": False, "error": exc.__class__.__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def database() -> dict:
    def check():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "embedded": bool(settings.EMBEDDED_DATABASE)}

    return _timed(check)


def cache_check() -> dict:
    def check():
        key = f"health:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        return {"ok": ok, "backend": backend} if ok else {"ok": False, "backend": backend, "error": "no echo"}

    return _timed(check)


def broker() -> dict:
    def check():
        url = settings.CELERY_BROKER_URL
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return {"ok": True, "mode": "in-process"}
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            client.ping()
        finally:
            client.close()
        return {"ok": True, "mode": "redis"}

    return _timed(check)


def report() -> tuple[dict, bool]:
    """All checks, and whether the platform can serve pages (only the database is indispensable)."""
    checks = {"database": database(), "cache": cache_check(), "broker": broker()}
    serving = checks["database"]["ok"]
    status = "ok" if all(c["ok"] for c in checks.values()) else ("degraded" if serving else "down")
    return {"status": status, "checks": checks}, serving
