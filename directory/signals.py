"""Security events from sign-in, sign-out, lockouts and MFA changes, into the append-only security log."""

from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.utils import timezone

from core import audit
from core.models import SecurityEventKind

SESSION_STARTED = "auth_started_at"
MFA_CHECKED = "mfa_enrolled"


@receiver(auth_signals.user_logged_in)
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Start of the absolute session lifetime (directory.middleware.SessionLifetimeMiddleware).
        request.session[SESSION_STARTED] = timezone.now().timestamp()
        request.session.pop(MFA_CHECKED, None)
    audit.record(SecurityEventKind.SIGN_IN, request=request, user=user)
    if user.is_superuser:
        audit.record(SecurityEventKind.SUPERUSER, request=request, user=user)


@receiver(auth_signals.user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(SecurityEventKind.SIGN_OUT, request=request, user=user)


@receiver(auth_signals.user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("username") or credentials.get("login") or ""
    audit.record(SecurityEventKind.SIGN_IN_FAILED, request=request, user=None, login=str(login))


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(SecurityEventKind.LOCKOUT, request=request, user=None, login=str(username or ""))


def _mfa_changed(change: str):
    def handler(sender, request, user, authenticator, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session.pop(MFA_CHECKED, None)
        audit.record(
            SecurityEventKind.MFA_CHANGED,
            request=request,
            user=user,
            change=change,
            authenticator=authenticator.type,
        )

    return handler


# Kept in module-level names: signals hold their receivers weakly.
mfa_added = _mfa_changed("added")
mfa_removed = _mfa_changed("removed")
mfa_reset = _mfa_changed("reset")
mfa_signals.authenticator_added.connect(mfa_added)
mfa_signals.authenticator_removed.connect(mfa_removed)
mfa_signals.authenticator_reset.connect(mfa_reset)


@receiver(mfa_signals.authentication_failed)
def mfa_code_refused(sender, request, user, **kwargs):
    audit.record(SecurityEventKind.SIGN_IN_FAILED, request=request, user=user, login=user.email, stage="mfa")
