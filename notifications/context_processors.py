"""The unread count for the navigation's bell, read only if a template shows it, from the cache."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import cached_unread_count


def unread(request):
    user = getattr(request, "user", None)
    return {"notifications_unread": SimpleLazyObject(lambda: cached_unread_count(user))}
