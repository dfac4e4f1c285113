"""Background jobs of requests for support: thin wrappers over their modules (scheduled with Celery beat)."""

from celery import shared_task

from support import reminders


@shared_task
def send_support_reminders() -> int:
    """Remind the addressees of requests still without an offer (daily); safe to run twice or concurrently."""
    return reminders.send_support_reminders()
