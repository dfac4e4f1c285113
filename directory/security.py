"""Helpers for the brute-force protection (django-axes)."""


def attempted_login(request, credentials) -> str:
    """The account a sign-in attempt is about: the email, lower-cased, from allauth's credentials or the
    sign-in form — so that "Focal@UN.org" and "focal@un.org" count against the same account."""
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not login and request is not None:
        login = request.POST.get("login", "")
    return (login or "").strip().lower()
