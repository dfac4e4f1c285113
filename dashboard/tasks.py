"""Background jobs of the dashboard: thin wrappers over its services (scheduled with Celery beat)."""

from celery import shared_task

from dashboard import services


@shared_task
def roll_up_visits() -> int:
    """Move finished days' visit counters from the cache into the database; safe to run twice or
    concurrently (each run sets the same figures)."""
    return len(services.roll_up_visits())
