"""Reporting: the Secretariat's cross-WG timeline and reporting periods (progress reports side by side,
exported), and each group's progress reports, drafted and submitted by those who run its space."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from core.audit import record
from core.forms import from_query
from core.models import SecurityEventKind
from directory.mixins import SecretariatRequiredMixin
from directory.models import Pillar
from planning import exports, figures, rules, selectors, services
from planning.forms import PeriodForm, ReportForm
from planning.models import ReportingPeriod
from planning.views.shared import messages_of, working_group_of


class TimelineView(SecretariatRequiredMixin, View):
    def get(self, request):
        year = from_query(
            request, "year", forms.IntegerField(min_value=2000, max_value=2100), timezone.localdate().year
        )
        pillars = list(Pillar.objects.order_by("number"))
        pillar = from_query(request, "pillar", forms.ModelChoiceField(queryset=Pillar.objects.all()), None)
        pillar_id = pillar.pk if pillar else None
        groups = selectors.timeline(request.user, year=year, pillar_id=pillar_id)
        context = {
            "groups": groups,
            "year": year,
            "years": selectors.timeline_years(),
            "pillars": pillars,
            "pillar_id": pillar_id,
            "quarters": [_("Q1"), _("Q2"), _("Q3"), _("Q4")],
            "count": sum(len(group.rows) for group in groups),
        }
        return render(request, "planning/timeline.html", context)


class PeriodListView(SecretariatRequiredMixin, View):
    def get(self, request):
        return render(request, "planning/periods.html", {"periods": list(selectors.periods())})


class PeriodCreateView(SecretariatRequiredMixin, View):
    def get(self, request):
        year = timezone.localdate().year
        form = PeriodForm(
            initial={
                "name": str(year),
                "start": date(year, 1, 1),
                "end": date(year, 12, 31),
                "due": date(year + 1, 1, 31),
            }
        )
        return render(request, "planning/period_form.html", {"form": form})

    def post(self, request):
        form = PeriodForm(request.POST)
        if form.is_valid():
            period = services.create_period(form=form, by=request.user)
            messages.success(request, _("Reporting period created: the chairs can draft their reports."))
            return redirect(period)
        return render(request, "planning/period_form.html", {"form": form})


class PeriodView(SecretariatRequiredMixin, View):
    """Every Working Group's report for the period, side by side."""

    def get(self, request, pk):
        period = get_object_or_404(ReportingPeriod, pk=pk)
        entries = selectors.side_by_side(period)
        submitted = sum(1 for entry in entries if entry.report and entry.report.is_submitted)
        context = {"period": period, "entries": entries, "submitted": submitted}
        return render(request, "planning/period_detail.html", context)


class PeriodExportView(SecretariatRequiredMixin, View):
    FORMATS = {
        "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", exports.to_docx),
        "pdf": ("application/pdf", exports.to_pdf),
    }

    def get(self, request, pk, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        period = get_object_or_404(ReportingPeriod, pk=pk)
        content_type, build = self.FORMATS[fmt]
        response = HttpResponse(build(period), content_type=content_type)
        name = slugify(f"wg-progress-reports-{period.name}") or "wg-progress-reports"
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        response["X-Content-Type-Options"] = "nosniff"
        record(
            SecurityEventKind.EXPORT,
            request=request,
            what="planning.progress_reports",
            period=period.pk,
            format=fmt,
        )
        return response


class ReportAccessMixin(LoginRequiredMixin):
    """A group's reports are read by its member organisations and its managers (403 for others: the group
    is no secret, its reports are)."""

    manage = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)  # refused before anything is read
        if request.user.is_authenticated:
            self.group = working_group_of(kwargs["wg"])
            allowed = rules.can_manage_workplan if self.manage else rules.can_read_reports
            if not allowed(request.user, self.group):
                raise PermissionDenied
            if "period" in kwargs:
                self.period = get_object_or_404(ReportingPeriod, pk=kwargs["period"])
        return super().dispatch(request, *args, **kwargs)


class GroupReportsView(ReportAccessMixin, View):
    def get(self, request, wg):
        context = {
            "working_group": self.group,
            "rows": selectors.reports_of_group(self.group),
            "may_manage": rules.can_manage_workplan(request.user, self.group),
        }
        return render(request, "planning/group_reports.html", context)


class ReportView(ReportAccessMixin, View):
    def get(self, request, wg, period):
        report = selectors.report_of(self.group, self.period)
        live = report is None or not report.is_submitted
        data = figures.compute(self.group, self.period.start, self.period.end) if live else report.figures
        context = {
            "working_group": self.group,
            "period": self.period,
            "report": report,
            "figures": data,
            "status_rows": figures.status_rows(data),
            "live": live,
            "may_manage": rules.can_manage_workplan(request.user, self.group),
        }
        return render(request, "planning/report_detail.html", context)


class ReportEditView(ReportAccessMixin, View):
    manage = True

    def context(self, form):
        data = figures.compute(self.group, self.period.start, self.period.end)
        return {
            "working_group": self.group,
            "period": self.period,
            "form": form,
            "figures": data,
            "status_rows": figures.status_rows(data),
        }

    def get(self, request, wg, period):
        report = selectors.report_of(self.group, self.period)
        if report is not None and report.is_submitted:
            messages.info(request, _("This report was submitted: it can no longer be changed."))
            return redirect(report)
        return render(request, "planning/report_form.html", self.context(ReportForm(instance=report)))

    def post(self, request, wg, period):
        report = selectors.report_of(self.group, self.period)
        form = ReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                saved = services.save_report(
                    form=form, by=request.user, working_group=self.group, period=self.period
                )
            except ValidationError as error:
                for message in messages_of(error):
                    messages.error(request, message)
                return redirect("planning:report", wg=self.group.pk, period=self.period.pk)
            messages.success(request, _("Draft saved."))
            return redirect(saved)
        return render(request, "planning/report_form.html", self.context(form))


class ReportSubmitView(ReportAccessMixin, View):
    """POST only: submit the report (space managers)."""

    manage = True
    http_method_names = ["post"]

    def post(self, request, wg, period):
        try:
            services.submit_report(by=request.user, working_group=self.group, period=self.period)
        except ValidationError as error:
            for message in messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Report submitted to the Secretariat. Its figures are now frozen."))
        return redirect("planning:report", wg=self.group.pk, period=self.period.pk)
