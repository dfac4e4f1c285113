"""Background jobs are enqueued after commit: in-process without REDIS_URL, to Redis with it."""

import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import transaction

from core.tasks import enqueue, send_email

from .test_health import redis_url  # noqa: F401 -- the shared Redis fixture


def test_in_process_job_runs_only_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue(send_email, subject="Welcome", body="Hello", recipients=["fp@example.org"])
        # inside the transaction nothing has been sent yet
        assert mail.outbox == []

    assert [m.subject for m in mail.outbox] == ["Welcome"]
    assert mail.outbox[0].to == ["fp@example.org"]


def test_rolled_back_write_leaves_no_job(db, django_capture_on_commit_callbacks):
    def failing_write():
        with transaction.atomic():
            enqueue(send_email, subject="Never", body="", recipients=["fp@example.org"])
            raise RuntimeError("the write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_write()

    assert mail.outbox == []


@pytest.mark.redis
def test_with_redis_url_the_job_goes_to_the_broker(redis_url):  # noqa: F811
    # given a process configured with REDIS_URL (a Redis database of its own, emptied)
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    program = (
        "from django.db import transaction\n"
        "from django.core import mail\n"
        "from core.tasks import enqueue, send_email\n"
        "with transaction.atomic():\n"
        "    enqueue(send_email, subject='Queued', body='', recipients=['fp@example.org'])\n"
        "    print('inside', client_len())\n"
        "print('after', client_len())\n"
    )
    prelude = f"import redis\nclient_len = lambda: redis.Redis.from_url({redis_url!r}).llen('celery')\n"
    try:
        # when a job is enqueued inside a transaction
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", prelude + program],
            cwd=settings.BASE_DIR,
            env={**os.environ, "REDIS_URL": redis_url, "DEBUG": "true"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        # then it reaches the queue only after the commit, and waits there for a worker
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[-4:] == ["inside", "0", "after", "1"]
        assert client.llen("celery") == 1
    finally:
        client.flushdb()
