"""What a token's scopes allow: the module of the view, for reading or for writing.

This is the only API-specific rule. Which objects a caller reads or changes is decided, as on the pages, by
the app's selectors (``visible_to``) and its rules and services — the scope can only narrow that."""

from django.utils.translation import gettext as _
from rest_framework import permissions

from api.models import AccessToken
from api.scopes import READ, WRITE, allows, scope


class TokenScope(permissions.BasePermission):
    """Signed in, and — when called with a token — the token holds the view's module for the method."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if not isinstance(token, AccessToken):
            return True  # the browser's session: the person themself
        write = request.method not in permissions.SAFE_METHODS
        if allows(token.scopes, view.module, write=write):
            return True
        needed = scope(view.module, WRITE if write else READ)
        self.message = _("This token does not have the scope %(scope)s.") % {"scope": needed}
        return False
