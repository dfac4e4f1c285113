"""Reads of notifications and preferences, always on behalf of one person: nobody reads another person's
notifications (not the Secretariat either)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from directory.access import viewer
from directory.models import WorkingGroup
from notifications.models import Frequency, Notification, Preference


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def notifications_for(user) -> QuerySet[Notification]:
    """The person's notifications, newest first, with what the list shows fetched in the same query."""
    if viewer(user) is None:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient_id=user.pk)
        .select_related("working_group")
        .order_by("-created_at", "-id")
    )


UNREAD_KEY = "notifications:unread:{}"


def cached_unread_count(user) -> int:
    """The navigation bell's count: from the cache (every page shows it; a page must not pay a query for
    it), forgotten whenever the person's notifications change (``forget_unread``)."""
    if user is None or not user.is_authenticated:
        return 0
    return cache.get_or_set(UNREAD_KEY.format(user.pk), lambda: unread_count(user), 300)


def forget_unread(user_ids) -> None:
    keys = [UNREAD_KEY.format(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)


def unread_count(user) -> int:
    """How many of the person's notifications are unread (an index-only count); 0 for anonymous visitors."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def frequency_for(user, working_group) -> Frequency:
    """The person's email frequency for a Working Group space (or, with None, outside the Working Groups);
    immediate unless they chose otherwise."""
    value = (
        Preference.objects.filter(user_id=_pk(user), working_group_id=_pk(working_group))
        .values_list("frequency", flat=True)
        .first()
    )
    return Frequency(value) if value else Frequency.IMMEDIATE


def frequencies_for(user_ids, working_group) -> dict[int, Frequency]:
    """Each person's frequency for one space, in one query (those without a choice are left out)."""
    rows = Preference.objects.filter(user_id__in=list(user_ids), working_group_id=_pk(working_group))
    return {user_id: Frequency(value) for user_id, value in rows.values_list("user_id", "frequency")}


def preference_spaces(user) -> list[WorkingGroup]:
    """The Working Group spaces the person takes part in (through their organisations), by number."""
    who = viewer(user)
    if who is None or not who.working_group_ids:
        return []
    return list(WorkingGroup.objects.filter(pk__in=who.working_group_ids).order_by("number"))


def preferences_of(user) -> dict[int | None, Frequency]:
    """The person's chosen frequencies, by Working Group id (None: outside the Working Groups)."""
    rows = Preference.objects.filter(user_id=user.pk).values_list("working_group_id", "frequency")
    return {group_id: Frequency(value) for group_id, value in rows}
