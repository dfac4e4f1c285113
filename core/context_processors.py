"""Template context shared by every page."""

from django.conf import settings


def platform(request):
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL}
