"""The Secretariat's statistics page and its CSV export (docs/dashboard.md, "Statistics"). Everyone else gets
a 403, like every page of the Secretariat's administration: the page is no secret, the right to it is."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import audit, tables
from core.models import SecurityEventKind
from dashboard import statistics
from dashboard.forms import DEFAULT_MONTHS, TrendForm
from directory.mixins import SecretariatRequiredMixin


def _asked(request) -> TrendForm:
    """The months asked for, parsed by the form: a bad value gets a message (and its error beside its
    field), and the page shows the default months."""
    form = TrendForm(request.GET or None)
    if not form.is_bound:  # the month pickers show the months shown
        months = form.months()
        form = TrendForm(initial={"start": months[0], "end": months[-1]})
    elif not form.is_valid():
        problems = form.non_field_errors() or [_("Some months were not understood.")]
        for problem in problems:
            messages.warning(
                request,
                _("%(problem)s The last %(count)s months are shown.")
                % {"problem": problem, "count": DEFAULT_MONTHS},
            )
    return form


class StatisticsView(SecretariatRequiredMixin, View):
    def get(self, request):
        form = _asked(request)
        return render(
            request,
            "dashboard/statistics.html",
            {
                "now": statistics.figures_now(request.user),
                "trends": statistics.trends(form.months()),
                "form": form,
                "export_query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
            },
        )


class StatisticsExportView(SecretariatRequiredMixin, View):
    """The trends' series as CSV, a row per month. Bad months go back to the page, which says why."""

    def get(self, request):
        form = TrendForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return redirect(f"{reverse('dashboard:statistics')}?{request.GET.urlencode()}")
        header, rows = statistics.table(statistics.trends(form.months()))
        audit.record(
            SecurityEventKind.EXPORT,
            request=request,
            what="statistics",
            format="csv",
            count=len(rows),
            months=[rows[0][0], rows[-1][0]] if rows else [],
        )
        return tables.download(
            tables.csv_bytes(header, rows),
            filename=f"platform-statistics-{timezone.localdate():%Y-%m-%d}.csv",
            content_type=tables.CSV_TYPE,
        )
