"""CTED's background jobs: thin wrappers over services (scheduled with Celery beat)."""

from celery import shared_task

from cted import reminders


@shared_task
def send_deadline_reminders() -> int:
    """Remind the State and CTED of the State's deadlines (daily); safe to run twice or concurrently."""
    return reminders.send_deadline_reminders()
