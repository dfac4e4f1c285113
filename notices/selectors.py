"""Reads of notices, always on behalf of a user."""

from django.db.models import QuerySet

from notices.models import Notice


def notices_for(user) -> QuerySet[Notice]:
    """The notices the user may read, newest first, with what the list shows fetched in the same query."""
    return (
        Notice.objects.visible_to(user)
        .select_related("owner", "working_group")
        .order_by("-created_at", "-id")
    )
