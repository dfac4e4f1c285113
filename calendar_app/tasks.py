"""The calendar's background jobs: thin wrappers over services (scheduled with Celery beat)."""

from celery import shared_task

from calendar_app import services


@shared_task
def send_reminders() -> int:
    """Email attendees CALENDAR_REMINDER_HOURS before each occurrence; safe to run twice or concurrently."""
    return services.send_reminders()
