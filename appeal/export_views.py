"""The Appeal's downloads: a cycle's ledger as filtered on its page, and a dashboard's table — CSV or XLSX,
``&hxl=1`` for the HXL hashtag row. Each reads exactly what its page shows the same reader (``visible_to``
underneath), an unknown format or table is a 400 page that says what there is, and every export is recorded
in the security log (what, format, count, filters; never a figure)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from appeal import exports, selectors
from appeal.filters import FlowFilter, flows_filtered
from core import audit, tables
from core.models import SecurityEventKind

FORMATS = {"csv": tables.CSV_TYPE, "xlsx": tables.XLSX_TYPE}


class ExportForm(forms.Form):
    """What a download asks for, besides the page's own filters."""

    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False)
    hxl = forms.BooleanField(required=False)
    by = forms.ChoiceField(
        choices=[(name, column.title) for name, column in exports.DIMENSION_COLUMNS.items()], required=False
    )


class _Export(LoginRequiredMixin, View):
    http_method_names = ["get", "head"]
    what = ""

    def get(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        asked = ExportForm(request.GET)
        if not asked.is_valid():
            return render(
                request,
                "appeal/export_refused.html",
                {"cycle": cycle, "errors": asked.errors, "formats": list(FORMATS)},
                status=400,
            )
        format = asked.cleaned_data["format"] or "csv"
        content, count, details = self.content(request, cycle, format, asked.cleaned_data)
        audit.record(
            SecurityEventKind.EXPORT, request=request, what=self.what, format=format, count=count, **details
        )
        stamp = timezone.localtime()
        return tables.download(
            content,
            filename=f"{self.what}-{cycle.first_year}-{cycle.last_year}-{stamp:%Y-%m-%d}.{format}",
            content_type=FORMATS[format],
        )

    @staticmethod
    def about(request, cycle, **more) -> list[tuple[str, str]]:
        return [
            (_("Appeal cycle"), cycle.name),
            (_("Exported"), f"{timezone.localtime():%Y-%m-%d %H:%M %Z}"),
            (_("Exported by"), request.user.email),
            *((str(label), value) for label, value in more.items()),
        ]


class FlowExportView(_Export):
    """The ledger page's entries (its filters in the query string), at most ``exports.MAX_ROWS``."""

    what = "appeal-flows"

    def content(self, request, cycle, format, asked):
        data, ignored, filterset = flows_filtered(request, cycle, warn=False)
        chosen = list(exports.for_export(filterset.qs)[: exports.MAX_ROWS + 1])
        truncated = len(chosen) > exports.MAX_ROWS
        chosen = chosen[: exports.MAX_ROWS]
        filters = {name: data.get(name) for name in FlowFilter.base_filters if data.get(name)}
        about = self.about(
            request,
            cycle,
            **{
                _("Filters"): "; ".join(f"{name}={value}" for name, value in filters.items()) or _("none"),
                _("Entries"): str(len(chosen)),
            },
        )
        if truncated:
            about.append(
                (_("Truncated"), _("Only the first %(max)s entries.") % {"max": f"{exports.MAX_ROWS:,}"})
            )
        content = exports.flows_file(format, chosen, hxl=asked["hxl"], about=about)
        return content, len(chosen), {"filters": filters, "ignored_filters": ignored, "truncated": truncated}


class CoverageExportView(_Export):
    """A table of the cycle's dashboard (``by=entity|priority|pillar|donor``), the total last."""

    what = "appeal-coverage"
    table_names = {"entity": gettext_lazy("by lead entity"), "priority": gettext_lazy("by thematic priority"),
                   "pillar": gettext_lazy("by pillar"), "donor": gettext_lazy("by donor")}  # fmt: skip

    def content(self, request, cycle, format, asked):
        by = asked["by"] or "entity"
        coverage = selectors.coverage(request.user, cycle)
        rows = [*getattr(coverage, f"by_{by}"), coverage.cycle]
        coverage.cycle.label = _("Total of the cycle")
        about = self.about(request, cycle, **{_("Table"): str(self.table_names[by])})
        content = exports.figures_file(format, by, rows, hxl=asked["hxl"], about=about)
        return content, len(rows), {"table": by}
