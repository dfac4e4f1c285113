"""The navigation's view of the signed-in user: the same cached audience context the lists use."""

from django.utils.functional import SimpleLazyObject

from directory.access import viewer


def navigation(request):
    return {"viewer": SimpleLazyObject(lambda: viewer(request.user))}
