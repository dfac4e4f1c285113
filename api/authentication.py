"""Who is calling: a personal access token (``Authorization: Bearer cpat_…``) or the browser's session."""

from __future__ import annotations

import pghistory
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api import services


class TokenAuthentication(authentication.BaseAuthentication):
    """A personal access token: the request acts as the token's person, within the token's scopes.

    Checked on every request, so that revoking a token, its expiry or the person's deactivation stop it at
    once: the token must be usable and its person active. A malformed, unknown, revoked or expired token all
    get the same answer (401), so that the answer never tells which tokens exist."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the session may still authenticate the request
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer”, with no spaces in it."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = services.find_usable(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is unknown, revoked or expired."))
        # The writes of this request are attributed to the person (and the token) in the audit trail: the
        # history middleware ran before the view knew who was calling.
        pghistory.context(user=token.user.pk, token=token.pk)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session (with DRF's CSRF check on writes), attributed like a page's request."""
