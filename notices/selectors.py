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


def showcase_of(user, organization, limit: int = 5) -> list[Notice]:
    """The organisation's own notices addressed to a Working Group, that the user may see: the showcase of a
    Member State's efforts on its page."""
    return list(notices_for(user).filter(owner=organization, working_group__isnull=False)[:limit])
