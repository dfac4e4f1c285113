"""A job that cannot be handed over is kept and sent later: never a failed request, never a lost job."""

import os
import socket
import subprocess
import sys

from django.conf import settings
from django.core import mail
from django.db import connection

from core.models import PendingJob
from core.tasks import enqueue, send_email, send_pending_jobs


def test_a_failing_in_process_job_is_kept_then_sent(db, settings, django_capture_on_commit_callbacks):
    # given a mail server that refuses connections (SMTP on a closed local port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 1

    # when a write enqueues an email
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(send_email, subject="Your invitation", body="Hello", recipients=["fp@example.org"])

    # then the write succeeded and the job waits, with the reason
    job = PendingJob.objects.get()
    assert job.task == "core.tasks.send_email"
    assert job.kwargs["recipients"] == ["fp@example.org"]
    assert "ConnectionRefusedError" in job.error

    # a retry while the server is still down keeps it, counting the attempt
    assert send_pending_jobs() == 0
    assert PendingJob.objects.get().attempts == 2

    # once mail works again, the kept job goes, once
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending_jobs() == 1
    assert [m.subject for m in mail.outbox] == ["Your invitation"]
    assert not PendingJob.objects.exists()
    assert send_pending_jobs() == 0


def test_a_broker_outage_keeps_the_job_and_the_request_succeeds(transactional_db):
    # given a process configured with a Redis nobody listens on, using this test database
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'].replace('/', '%2F')}:{db['PORT'] or 5432}/{db['NAME']}"
    program = (
        "from django.db import transaction\n"
        "from core.tasks import enqueue, send_email\n"
        "with transaction.atomic():\n"
        "    enqueue(send_email, subject='Queued', body='', recipients=['fp@example.org'])\n"
        "print('committed')\n"
    )
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "DEBUG": "true",
        "DATABASE_URL": url,
    }

    # when a write enqueues a job
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", program],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    # then the write went through and the job is kept for when Redis is back
    assert result.returncode == 0, result.stderr
    assert "committed" in result.stdout
    job = PendingJob.objects.get()
    assert job.task == "core.tasks.send_email"
    assert job.kwargs["subject"] == "Queued"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
