"""Helpers for the brute-force protection (django-axes)."""

from axes.models import AccessAttempt

#: What axes can record of an attempted login: a longer one is cut to its column's width rather than
#: failing the sign-in page (no account has such an address; the attempt still counts against the name).
RECORDED_LENGTH = AccessAttempt._meta.get_field("username").max_length


def attempted_login(request, credentials) -> str:
    """The account a sign-in attempt is about: the email, lower-cased, from allauth's credentials or the
    sign-in form — so that "Focal@UN.org" and "focal@un.org" count against the same account."""
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not login and request is not None:
        login = request.POST.get("login", "")
    return (login or "").strip().lower()[:RECORDED_LENGTH]
