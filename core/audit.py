"""Recording security events (row changes are recorded by database triggers, see core.models)."""

from __future__ import annotations

import pghistory

from core.models import SecurityEvent, SecurityEventKind


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it, and the
    # deployment docs put the proxy's own address handling in the proxy.
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(kind: SecurityEventKind, *, request=None, user=None, login: str = "", **detail) -> SecurityEvent:
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        login=login[:254],
        ip_address=client_ip(request),
        path=(request.path[:500] if request is not None else ""),
        detail=detail,
    )


def track_links(model, *, grants=(), links: dict[str, str]) -> None:
    """Audit the rows that pghistory's decorator on ``model`` does not see: its grant rows (sharing with
    people and groups) and its many-to-many rows (``links``: field → name of the event model that records
    that link's inserts and deletes). Fresh trackers each time: a tracker binds to the model it tracks."""
    for grant in grants:
        pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())(grant)
    for field, name in links.items():
        pghistory.track(
            pghistory.InsertEvent(), pghistory.DeleteEvent(), model_name=name, app_label=model._meta.app_label
        )(getattr(model, field).through)
