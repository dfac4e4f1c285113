"""The notifications' background jobs: thin wrappers over services. Each is idempotent: a notification's
email is claimed before it is sent, so a retry, a redelivered job or an overlapping run sends it once."""

from celery import shared_task

from notifications import services


@shared_task
def send_notification_email(notification_id: int) -> int:
    """Email one notification to a person who chose "immediately" (enqueued by ``notify``)."""
    return services.send_notification_email(notification_id)


@shared_task
def send_digests(frequency: str) -> int:
    """The daily or weekly digests (beat runs each once per period); returns how many emails went."""
    return services.send_digests(frequency)


@shared_task
def send_overdue() -> int:
    """The immediate emails whose job was lost (beat runs this every 15 minutes)."""
    return services.send_overdue()
