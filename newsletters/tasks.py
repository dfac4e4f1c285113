"""The newsletters' background jobs: thin wrappers over services. Sending is idempotent: each person is
claimed before their message is handed to the backend, so a retried or redelivered job sends nobody a
second copy."""

from smtplib import SMTPException

from celery import shared_task

from newsletters import services


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=5)
def send_batch(newsletter_id: int) -> int:
    """One batch of an issue (``NEWSLETTER_BATCH_SIZE`` people), then the next batch is enqueued."""
    return services.send_batch(newsletter_id)


@shared_task
def resume_sending() -> int:
    """Issues still sending get a batch again (beat, every 15 minutes): a lost job is resumed."""
    return services.resume_sending()
