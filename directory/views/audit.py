"""The Secretariat reads the audit trail: row changes (database triggers) and security events.

What the change trail shows of each record follows the reader's rights (``directory.audit_trail``): who
changed which kind of record, which fields and when, always; the values only where the reader could see
the object anywhere else."""

from __future__ import annotations

import pghistory.models
from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit, tables
from core.forms import StyledFormMixin
from core.models import SecurityEvent, SecurityEventKind
from core.paging import capped_page, page_of
from directory import audit_trail
from directory.mixins import SecretariatRequiredMixin
from directory.models import User

PAGE_SIZE = 50
COUNT_CAP = 10_000


class PeriodForm(StyledFormMixin, forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, queryset, field: str):
        if self.cleaned_data.get("since"):
            queryset = queryset.filter(**{f"{field}__date__gte": self.cleaned_data["since"]})
        if self.cleaned_data.get("until"):
            queryset = queryset.filter(**{f"{field}__date__lte": self.cleaned_data["until"]})
        return queryset


class ChangesFilterForm(PeriodForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    person = forms.EmailField(label=gettext_lazy("Changed by (email)"), required=False, max_length=254)
    field_order = ["kind", "person", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *audit_trail.kinds()]


class SecurityFilterForm(PeriodForm):
    kind = forms.ChoiceField(label=gettext_lazy("Event"), required=False)
    login = forms.CharField(label=gettext_lazy("Email"), required=False, max_length=254)
    field_order = ["kind", "login", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *SecurityEventKind.choices]


def _valid(request, form_class):
    """The filters of the query string; an invalid one is dropped with a message, never a server error."""
    form = form_class(request.GET)
    if not form.is_valid():
        messages.warning(request, _("Some filters were not understood and are ignored."))
        form = form_class({name: value for name, value in request.GET.items() if name not in form.errors})
        form.is_valid()
    return form


def _changes(form):
    """The keys (event model, event id) of the recorded writes the filters ask for, newest first; changes
    of one transaction share a timestamp: the event id keeps their order stable across pages. Only keys:
    each full event carries its diff with the previous one, which pghistory computes for every event of
    the trail before sorting (a second per thousand events); ``audit_trail.load_events`` loads a page's."""
    labels = [label for label, _name in audit_trail.kinds()]
    chosen = form.cleaned_data.get("kind")
    events = pghistory.models.Events.objects.across(*([chosen] if chosen else labels))
    if form.cleaned_data.get("person"):
        person = User.objects.filter(email__iexact=form.cleaned_data["person"]).first()
        events = events.filter(pgh_context__user=person.pk) if person else events.none()
    ordered = form.filter(events, "pgh_created_at").order_by("-pgh_created_at", "-pgh_id")
    return ordered.values_list("pgh_model", "pgh_id")


class ChangesView(SecretariatRequiredMixin, View):
    """Every recorded write, newest first, filterable by kind of record, person and day."""

    def get(self, request):
        form = _valid(request, ChangesFilterForm)
        # The trail grows without end: its count is capped like every long list's ("10,000+ changes").
        page, count, more = capped_page(
            _changes(form), request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP
        )
        page.object_list = audit_trail.load_events(page.object_list)
        return render(
            request,
            "directory/secretariat/changes.html",
            {
                "page": page,
                "count": count,
                "more": more,
                "entries": audit_trail.entries(request.user, page.object_list),
                "filters": form,
                "export_query": request.GET.urlencode(),
            },
        )


#: The most changes one download holds; narrower filters give the rest.
EXPORT_MAX = 10_000
EXPORT_CHUNK = 500
EXPORT_HEADER = (
    gettext_lazy("When"),
    gettext_lazy("Who"),
    gettext_lazy("Email"),
    gettext_lazy("Record"),
    gettext_lazy("Action"),
    gettext_lazy("Field"),
    gettext_lazy("Before"),
    gettext_lazy("After"),
    gettext_lazy("Page"),
)


class ChangesExportView(SecretariatRequiredMixin, View):
    """The filtered trail as CSV, one row per changed field, with the same masking as the page (read in
    chunks, each a page's constant number of queries). The download is in the security log."""

    def get(self, request):
        form = _valid(request, ChangesFilterForm)
        keys = list(_changes(form)[: EXPORT_MAX + 1])
        truncated = len(keys) > EXPORT_MAX
        keys = keys[:EXPORT_MAX]
        rows = []
        for start in range(0, len(keys), EXPORT_CHUNK):
            chunk = audit_trail.load_events(keys[start : start + EXPORT_CHUNK])
            for entry in audit_trail.entries(request.user, chunk):
                who = (entry.actor.full_name, entry.actor.email) if entry.actor else (_("the system"), "")
                common = [timezone.localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S %Z"), *who]
                common += [f"{entry.kind} #{entry.record_id}", entry.action]
                for change in entry.changes or [None]:
                    fields = [change.field, change.before, change.after] if change else ["", "", ""]
                    rows.append([*common, *fields, entry.url])
        audit.record(
            SecurityEventKind.EXPORT,
            request=request,
            what="audit.changes",
            format="csv",
            count=len(keys),
            truncated=truncated,
            filters={name: value for name, value in request.GET.items() if name != "page"},
        )
        stamp = timezone.localtime()
        response = tables.download(
            tables.csv_bytes(EXPORT_HEADER, rows),
            filename=f"audit-changes-{stamp:%Y-%m-%d}.csv",
            content_type=tables.CSV_TYPE,
        )
        if truncated:
            response["X-Export-Truncated"] = str(EXPORT_MAX)
        return response


class SecurityEventsView(SecretariatRequiredMixin, View):
    def get(self, request):
        form = _valid(request, SecurityFilterForm)
        events = SecurityEvent.objects.select_related("user")
        if form.cleaned_data.get("kind"):
            events = events.filter(kind=form.cleaned_data["kind"])
        login = (form.cleaned_data.get("login") or "").strip()
        if login:
            events = events.filter(login__iexact=login) | events.filter(user__email__iexact=login)
        events = form.filter(events, "created_at")
        page = page_of(request, events, per_page=PAGE_SIZE)
        return render(request, "directory/secretariat/security_events.html", {"page": page, "filters": form})
