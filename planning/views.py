"""Planning and reporting pages: thin — parse, check the role, call a selector or a service, render."""

from __future__ import annotations

from datetime import date

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
from core.forms import add_service_error
from core.models import SecurityEventKind
from directory import sharing
from directory.mixins import SecretariatRequiredMixin, VisibleObjectMixin
from directory.models import Pillar, WorkingGroup
from planning import exports, figures, rules, selectors, services
from planning.forms import ActivityForm, BallotForm, PeriodForm, ReportForm, RoundForm
from planning.models import Activity, ActivityStatus, PrioritisationRound, ReportingPeriod, RoundState


def _group(pk) -> WorkingGroup:
    return get_object_or_404(WorkingGroup, pk=pk, is_active=True)


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- the workplan ------------------------------------------------------------------------------------


class WorkplanView(LoginRequiredMixin, View):
    """A group's workplan, in priority order: the activities the user may read (anyone signed in; most
    activities are for the group's space, so others see what is public)."""

    def get(self, request, wg):
        group = _group(wg)
        status = request.GET.get("status", "")
        if status not in ActivityStatus.values:
            status = ""
        context = {
            "working_group": group,
            "activities": selectors.workplan(request.user, group, status=status),
            "statuses": ActivityStatus.choices,
            "status": status,
            "round": selectors.current_round(group),
            "in_space": rules.can_follow_rounds(request.user, group),
            "may_manage": rules.can_manage_workplan(request.user, group),
            "may_propose": rules.can_propose_activity(request.user, group),
            "may_read_reports": rules.can_read_reports(request.user, group),
        }
        if context["in_space"]:
            context["rounds"] = selectors.rounds_of(group)
        return render(request, "planning/workplan.html", context)


class ActivityCreateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.group = _group(kwargs["wg"])
            if not rules.can_propose_activity(request.user, self.group):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, request, data=None):
        return ActivityForm(
            data,
            user=request.user,
            working_group=self.group,
            may_manage=rules.can_manage_workplan(request.user, self.group),
        )

    def get(self, request, wg):
        return render(
            request, "planning/activity_form.html", {"form": self.form(request), "working_group": self.group}
        )

    def post(self, request, wg):
        form = self.form(request, request.POST)
        if form.is_valid():
            activity = services.save_activity(form=form, by=request.user, working_group=self.group)
            messages.success(request, _("Activity added to the workplan."))
            return redirect(activity)
        return render(request, "planning/activity_form.html", {"form": form, "working_group": self.group})


class ActivityDetailView(VisibleObjectMixin, View):
    model = Activity
    select_related = ("owner", "author", "working_group", "lead_organization", "pillar", "priority_round")

    def get(self, request, pk):
        activity = self.get_object()
        context = {
            "activity": activity,
            "working_group": activity.working_group,
            "contributors": list(activity.contributing_organizations.order_by("name")),
            "may_edit": rules.can_edit_activity(request.user, activity),
            "audience": sharing.describe(activity),
        }
        return render(request, "planning/activity_detail.html", context)


class ActivityEditView(VisibleObjectMixin, View):
    model = Activity
    select_related = ("owner", "working_group")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.activity = self.get_object()
            if not rules.can_edit_activity(request.user, self.activity):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, request, data=None):
        group = self.activity.working_group
        return ActivityForm(
            data,
            instance=self.activity,
            user=request.user,
            working_group=group,
            may_manage=rules.can_manage_workplan(request.user, group),
        )

    def render(self, request, form):
        context = {"form": form, "activity": self.activity, "working_group": self.activity.working_group}
        return render(request, "planning/activity_form.html", context)

    def get(self, request, pk):
        return self.render(request, self.form(request))

    def post(self, request, pk):
        form = self.form(request, request.POST)
        if form.is_valid():
            activity = services.save_activity(
                form=form, by=request.user, working_group=self.activity.working_group
            )
            messages.success(request, _("Activity updated."))
            return redirect(activity)
        return self.render(request, form)


# --- prioritisation rounds ---------------------------------------------------------------------------


class RoundMixin(LoginRequiredMixin):
    """A round is seen by everyone in its group's space (and its managers); for anyone else it is a 404,
    the same as a round that does not exist."""

    def get_round(self, request, pk) -> PrioritisationRound:
        round_ = get_object_or_404(
            PrioritisationRound.objects.select_related("working_group", "opened_by"), pk=pk
        )
        if not rules.can_follow_rounds(request.user, round_.working_group):
            raise Http404
        return round_


class RoundCreateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.group = _group(kwargs["wg"])
            if not rules.can_manage_workplan(request.user, self.group):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, form):
        return render(request, "planning/round_form.html", {"form": form, "working_group": self.group})

    def get(self, request, wg):
        pending = selectors.current_round(self.group)
        if pending is not None:
            messages.warning(
                request,
                _("“%(title)s” is not closed yet: close it before opening another round.")
                % {"title": pending.title},
            )
        return self.render(request, RoundForm(working_group=self.group))

    def post(self, request, wg):
        form = RoundForm(request.POST, working_group=self.group)
        if form.is_valid():
            try:
                round_ = services.open_round(form=form, by=request.user, working_group=self.group)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Prioritisation round opened."))
                return redirect(round_)
        return self.render(request, form)


class RoundDetailView(RoundMixin, View):
    def get(self, request, pk):
        round_ = self.get_round(request, pk)
        group = round_.working_group
        state = round_.state()
        voting_ids = rules.voting_organization_ids(request.user, group)
        ballots = selectors.ballots_of(round_)
        voted_ids = {ballot.organization_id for ballot in ballots}
        context = {
            "round": round_,
            "working_group": group,
            "state": state,
            "states": RoundState,
            "ballots": ballots,
            "may_manage": rules.can_manage_workplan(request.user, group),
            "is_voter": bool(voting_ids),
            "may_vote": state == RoundState.OPEN and bool(set(voting_ids) - voted_ids),
            "own_ballots": [ballot for ballot in ballots if ballot.organization_id in voting_ids],
            # Observers and guests follow the round, but never read members-only activities through it.
            "activities": list(
                Activity.objects.visible_to(request.user)
                .filter(pk__in=round_.activities.values("pk"))
                .select_related("lead_organization")
                .order_by("start", "pk")
            ),
        }
        if state == RoundState.CLOSED:
            visible = {activity.pk for activity in context["activities"]}
            context["results"] = [
                result for result in selectors.results(round_) if result.activity.pk in visible
            ]
        return render(request, "planning/round_detail.html", context)


class BallotView(RoundMixin, View):
    """A member organisation's scores. Observers and guests follow the round but do not vote (403)."""

    def setup_round(self, request, pk):
        self.round = self.get_round(request, pk)
        self.voting_ids = rules.voting_organization_ids(request.user, self.round.working_group)
        if not self.voting_ids:
            raise PermissionDenied
        self.activities = list(
            Activity.objects.visible_to(request.user)
            .filter(pk__in=self.round.activities.values("pk"))
            .select_related("lead_organization")
            .order_by("start", "pk")
        )

    def render(self, request, form, status=200):
        context = {"round": self.round, "working_group": self.round.working_group, "form": form}
        return render(request, "planning/ballot_form.html", context, status=status)

    def refusal(self, request, message: str):
        messages.error(request, message)
        return redirect(self.round)

    def form(self, data=None):
        return BallotForm(data, activities=self.activities, organization_ids=self.voting_ids)

    def get(self, request, pk):
        self.setup_round(request, pk)
        state = self.round.state()
        if state != RoundState.OPEN:
            return self.refusal(request, _("This round is not open for scores."))
        if len(self.voting_ids) == 1:
            existing = selectors.ballot_of(self.round, self.voting_ids)
            if existing is not None:
                return self.refusal(request, services._already_submitted(existing, existing.organization))
        return self.render(request, self.form())

    def post(self, request, pk):
        self.setup_round(request, pk)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            services.submit_ballot(
                round_=self.round,
                organization=form.cleaned_data["organization"],
                scores=form.scores(),
                by=request.user,
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return redirect(self.round)
        messages.success(request, _("Your organisation's scores were submitted. Thank you."))
        return redirect(self.round)


class RoundCloseView(LoginRequiredMixin, View):
    """POST only: close the round and write the priorities (space managers; 403 for anyone else)."""

    def post(self, request, pk):
        round_ = get_object_or_404(PrioritisationRound.objects.select_related("working_group"), pk=pk)
        if not rules.can_follow_rounds(request.user, round_.working_group):
            raise Http404
        if not rules.can_manage_workplan(request.user, round_.working_group):
            raise PermissionDenied
        try:
            services.close_round(round_=round_, by=request.user)
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Round closed: the workplan's priorities follow its results."))
        return redirect(round_)


# --- the Secretariat's cross-WG timeline ------------------------------------------------------------


class TimelineView(SecretariatRequiredMixin, View):
    def get(self, request):
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        pillars = list(Pillar.objects.order_by("number"))
        try:
            pillar_id = int(request.GET.get("pillar") or 0) or None
        except ValueError:
            pillar_id = None
        if pillar_id not in {p.pk for p in pillars}:
            pillar_id = None
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


# --- reporting periods and progress reports ---------------------------------------------------------


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
            self.group = _group(kwargs["wg"])
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
                for message in _messages_of(error):
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
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Report submitted to the Secretariat. Its figures are now frozen."))
        return redirect("planning:report", wg=self.group.pk, period=self.period.pk)
