"""Scheduled and background jobs of the directory: thin wrappers over its services."""

from celery import shared_task

from directory import lifecycle


@shared_task
def request_reconfirmations() -> int:
    """Ask the focal points due for it to reconfirm their details (beat runs this every six hours; the
    service asks each person once per cycle however often it runs)."""
    return lifecycle.request_reconfirmations()
