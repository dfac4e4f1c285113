"""Background jobs: how they are enqueued, and the domain-free ones.

Jobs are enqueued only once the surrounding transaction has committed, so a worker never picks up a job
about a row it cannot see yet, and a rolled-back write never leaves a job behind. Without REDIS_URL the
job then runs in-process (Celery's eager mode); with it, it is sent to Redis for a worker.

A job that cannot be handed over — Redis unreachable, or an in-process job that fails (say, the mail
server is down) — never fails the request that enqueued it and is never dropped: it is kept as a
``core.PendingJob`` and sent again by ``send_pending_jobs`` (scheduled every minute with Celery beat;
``python manage.py send_pending_jobs`` without it).
"""

import logging

from celery import current_app, shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from core.models import PendingJob

logger = logging.getLogger(__name__)

#: Publishing gives up quickly when the broker is down: the job waits in the outbox, not the visitor.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: hand_over(task.name, list(args), kwargs))


def publish(name: str, args: list, kwargs: dict) -> Exception | None:
    """Send one job to the broker (or run it in-process); the error if that failed."""
    try:
        current_app.tasks[name].apply_async(args=args, kwargs=kwargs, retry_policy=PUBLISH_RETRY)
    except Exception as exc:  # noqa: BLE001 -- whatever went wrong, the caller keeps the job
        logger.warning("Job %s not handed over: %s", name, exc)
        return exc
    return None


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def hand_over(name: str, args: list, kwargs: dict) -> None:
    error = publish(name, args, kwargs)
    if error is not None:
        PendingJob.objects.create(task=name, args=args, kwargs=kwargs, error=describe(error))


@shared_task
def send_pending_jobs(limit: int = 500) -> int:
    """Hand the kept jobs over again, oldest first; returns how many went. Safe to run concurrently: each
    job is taken under a row lock that other runs skip."""
    sent = 0
    for pk in PendingJob.objects.order_by("created_at", "id").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            job = PendingJob.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:
                continue
            error = publish(job.task, job.args, job.kwargs)
            if error is None:
                job.delete()
                sent += 1
            else:
                job.attempts += 1
                job.error = describe(error)
                job.save(update_fields=["attempts", "error", "updated_at"])
    return sent


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, recipients: list[str], html: str = "") -> int:
    """Send one email through Django's email backend; retried if the mail server is unreachable."""
    message = EmailMultiAlternatives(subject, body, None, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
