"""/health/ reports database, cache and broker, with the status load balancers act on."""

import os

import pytest
import redis

HEALTH = "/health/"


def test_all_up_in_process_mode(client, db):
    # given the default set-up: embedded database, local cache, jobs in-process
    # when a load balancer polls the endpoint anonymously
    response = client.get(HEALTH)

    # then everything is reported up, as JSON, and never cached
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["database"]["embedded"] is (
        "DATABASE_URL" not in os.environ or bool(os.environ.get("COMPACT_EMBEDDED_DATABASE"))
    )
    assert body["checks"]["cache"] == {
        "ok": True,
        "backend": "LocMemCache",
        "ms": body["checks"]["cache"]["ms"],
    }
    assert body["checks"]["broker"]["mode"] == "in-process"
    assert "no-cache" in response["Cache-Control"]


def test_only_get(client, db):
    assert client.post(HEALTH).status_code == 405


def _use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.mark.redis
def test_redis_up(client, db, settings, redis_url):
    # given the cache and the broker on a Redis that answers
    _use_redis(settings, redis_url)

    response = client.get(HEALTH)

    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["cache"]["ok"] is True
    assert checks["cache"]["backend"] == "TolerantRedisCache"
    assert checks["broker"] == {"ok": True, "mode": "redis", "ms": checks["broker"]["ms"]}


def test_redis_down_is_degraded_not_down(client, db, settings, unused_tcp_port):
    # given the cache and the broker on a Redis that is not there (nothing listens on the port)
    _use_redis(settings, f"redis://127.0.0.1:{unused_tcp_port}/0")

    # when the endpoint is polled
    response = client.get(HEALTH)

    # then pages can still be served (200), the report says what is missing, and reveals no detail
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"] == "ConnectionError"
    assert str(unused_tcp_port) not in response.content.decode()


def test_database_down_is_503(client, db, monkeypatch):
    # given a database that refuses connections (as the health check sees it)
    from django.db.utils import OperationalError

    class RefusingConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("core.health.connection", RefusingConnection())

    response = client.get(HEALTH)

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": response.json()["checks"]["database"]["ms"],
    }


@pytest.fixture
def unused_tcp_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    """A real Redis: TEST_REDIS_URL, which .ci/run sets after making sure Redis answers.

    Outside CI, without it, the test is skipped — but CI sets COMPACT_REQUIRE_REDIS, which turns the
    skip into a failure so that a missing Redis can never hide a broken test there.
    """
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("COMPACT_REQUIRE_REDIS"):
            pytest.fail("TEST_REDIS_URL is not set, but COMPACT_REQUIRE_REDIS says Redis is required")
        pytest.skip("TEST_REDIS_URL is not set (make test sets it when a Redis answers on 127.0.0.1:6379)")
    redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    return url


def test_pages_work_while_redis_is_down(client, db, settings, unused_tcp_port, make_user):
    # given the cache (rate limits, directory counts) on a Redis that is not there
    _use_redis(settings, f"redis://127.0.0.1:{unused_tcp_port}/0")
    make_user("someone@example.org")

    # then the sign-in page and a failed sign-in answer normally: an outage costs a miss, not a page
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"login": "someone@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct" in response.content.decode()
