"""Session lifetime and mandatory MFA, applied to every request."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.profiles import LANGUAGE_SESSION_KEY, ZONE_SESSION_KEY, preferences_of, zone_named
from directory.signals import MFA_CHECKED, SESSION_STARTED


class SessionLifetimeMiddleware:
    """Ends a session older than SESSION_ABSOLUTE_SECONDS, however active it is.

    The inactivity timeout is Django's own (SESSION_COOKIE_AGE, renewed on every request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            now = timezone.now().timestamp()
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, _("Your session has reached its maximum length. Please sign in again.")
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)


class PersonPreferencesMiddleware:
    """Every page shows times in the signed-in person's zone (their profile's; UTC without one), with the
    zone's name beside them (compact_platform/formats), and its words in the language they chose (their
    profile's, on any browser they sign in from; without one, the browser's, as LocaleMiddleware found
    it). Both are read once per session; saving one's own profile or choosing a language updates them
    (directory.views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        name, language = request.session.get(ZONE_SESSION_KEY), request.session.get(LANGUAGE_SESSION_KEY)
        if name is None or language is None:
            zone, language = preferences_of(request.user)
            name = zone.key
            request.session[ZONE_SESSION_KEY], request.session[LANGUAGE_SESSION_KEY] = name, language
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        with timezone.override(zone_named(name)):
            return self.get_response(request)


class RequireMFAMiddleware:
    """Signed-in users without a second factor may only enrol one (or sign out).

    The check is remembered in the session once it passes, and forgotten when an authenticator is added
    or removed (directory.signals), so it costs one query per session, not per request.
    """

    ALLOWED_PREFIXES = (
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
        "/static/",
        "/health/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED
            and request.user.is_authenticated
            and not request.session.get(MFA_CHECKED)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if not is_mfa_enabled(request.user):
                messages.info(
                    request, _("Set up two-factor authentication to continue: it protects everyone's data.")
                )
                return redirect("mfa_activate_totp")
            request.session[MFA_CHECKED] = True
        return self.get_response(request)
