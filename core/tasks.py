"""Background jobs: how they are enqueued, and the domain-free ones.

Jobs are enqueued only once the surrounding transaction has committed, so a worker never picks up a job
about a row it cannot see yet, and a rolled-back write never leaves a job behind. Without REDIS_URL the
job then runs in-process (Celery's eager mode); with it, it is sent to Redis for a worker.
"""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction


def enqueue(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, recipients: list[str], html: str = "") -> int:
    """Send one email through Django's email backend; retried if the mail server is unreachable."""
    message = EmailMultiAlternatives(subject, body, None, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
