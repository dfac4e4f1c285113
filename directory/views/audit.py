"""The Secretariat reads the audit trail: row changes (database triggers) and security events."""

from datetime import date

import pghistory.models
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View
from pghistory.core import event_models

from core.models import SecurityEvent, SecurityEventKind
from directory.mixins import SecretariatRequiredMixin

PAGE_SIZE = 50


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _event_models() -> list[str]:
    return sorted(model._meta.label for model in event_models())


class ChangesView(SecretariatRequiredMixin, View):
    """Every recorded write, newest first, filterable by kind of record, person and day."""

    def get(self, request):
        models = _event_models()
        chosen = request.GET.get("model", "")
        events = pghistory.models.Events.objects.across(*(chosen,) if chosen in models else models)
        user = request.GET.get("user", "")
        if user.isdigit():
            events = events.filter(pgh_context__user=int(user))
        since, until = _day(request.GET.get("since")), _day(request.GET.get("until"))
        if since:
            events = events.filter(pgh_created_at__date__gte=since)
        if until:
            events = events.filter(pgh_created_at__date__lte=until)
        # Changes of one transaction share a timestamp: the event id keeps their order stable across pages.
        ordered = events.order_by("-pgh_created_at", "-pgh_id")
        page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "directory/secretariat/changes.html",
            {"page": page, "models": models, "chosen": chosen, "user": user, "since": since, "until": until},
        )


class SecurityEventsView(SecretariatRequiredMixin, View):
    def get(self, request):
        events = SecurityEvent.objects.select_related("user")
        kind = request.GET.get("kind", "")
        if kind in SecurityEventKind.values:
            events = events.filter(kind=kind)
        login = request.GET.get("login", "").strip()[:254]
        if login:
            events = events.filter(login__iexact=login) | events.filter(user__email__iexact=login)
        since, until = _day(request.GET.get("since")), _day(request.GET.get("until"))
        if since:
            events = events.filter(created_at__date__gte=since)
        if until:
            events = events.filter(created_at__date__lte=until)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "directory/secretariat/security_events.html",
            {
                "page": page,
                "kinds": SecurityEventKind.choices,
                "kind": kind,
                "login": login,
                "since": since,
                "until": until,
            },
        )
