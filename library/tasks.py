"""Background jobs of the library: thin wrappers over its services."""

from celery import shared_task

from library import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def extract_version_text(version_id: int) -> str | None:
    """Extract and index one uploaded version's text (enqueued when the upload commits; acknowledged
    late, so a worker that dies mid-way leaves it to be delivered again; retried if no reader process
    could be started)."""
    return services.extract_text(version_id)


@shared_task
def resume_extractions() -> int:
    """Re-send the extractions still pending after ten minutes (beat runs this every five)."""
    return services.resume_extractions()
