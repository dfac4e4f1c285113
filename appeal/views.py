"""The Appeal's pages: thin — a selector or a service, then a template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from appeal import rules, selectors, services
from appeal.filters import AppealProjectFilter, flows_filtered, of_every_stage
from appeal.forms import FlowForm
from appeal.models import Priority, Stage
from core.facets import valid_filters
from core.forms import add_service_error
from core.paging import page_of
from directory.views.organizations import organizations_for
from projects.selectors import projects_for

#: Rows per page of the ledger and of the search.
PAGE_SIZE = 50


class CycleListView(LoginRequiredMixin, View):
    """Every appeal cycle, newest first."""

    def get(self, request):
        context = {
            "cycles": selectors.cycles_for(request.user),
            "may_open": rules.can_open_cycle(request.user),
        }
        return render(request, "appeal/cycles.html", context)


class CycleView(LoginRequiredMixin, View):
    """A cycle's coverage dashboard — in total, by lead entity, priority, pillar and donor, the top unfunded
    priorities — from what the reader may see; each chart beside its data table, each figure a link to the
    flows behind it."""

    def get(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        context = {
            "cycle": cycle,
            "coverage": selectors.coverage(request.user, cycle),
            "may_record": rules.can_record_flow(request.user) and cycle.is_open,
            "may_close": rules.can_close_cycle(request.user, cycle),
            "may_appeal": cycle.is_open and selectors.projects_to_appeal_for(request.user, cycle).exists(),
        }
        return render(request, "appeal/cycle.html", context)


class FlowListView(LoginRequiredMixin, View):
    """The entries of a cycle's ledger the reader may see, filtered as a dashboard's figure says, with the
    figures of the entries listed (counted as the dashboard counts them)."""

    def get(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        data, _ignored, filterset = flows_filtered(request, cycle)
        context = {
            "cycle": cycle,
            "filter": filterset,
            "page": page_of(request, filterset.qs, per_page=PAGE_SIZE),
            "totals": selectors.totals(
                of_every_stage(filterset, selectors.flow_totals_for(request.user, cycle))
            ),
            "query": data.urlencode(),
            "may_correct": rules.can_record_flow(request.user) and cycle.is_open,
        }
        return render(request, "appeal/flows.html", context)


class AppealProjectListView(LoginRequiredMixin, View):
    """The search of appeal projects — by cycle, country, region, priority, implementing entity — with each
    one's requirements, funding and coverage."""

    def get(self, request):
        data, _ignored, filterset = valid_filters(
            request, AppealProjectFilter, queryset=selectors.appeal_projects_found(request.user)
        )
        page = page_of(request, filterset.qs.order_by("cycle", "project__title", "pk"), per_page=PAGE_SIZE)
        context = {
            "filter": filterset,
            "page": page,
            "figures": selectors.project_figures(request.user, page.object_list),
            "query": data.urlencode(),
        }
        return render(request, "appeal/projects.html", context)


class TrendsView(LoginRequiredMixin, View):
    """Requirements, funding and coverage cycle after cycle."""

    def get(self, request):
        return render(request, "appeal/trends.html", {"rows": selectors.trends(request.user)})


class DonorView(LoginRequiredMixin, View):
    """A donor's funding, cycle by cycle, from the entries the reader may see; for the donor's own people and
    the Secretariat, the status of each of its pledges."""

    def get(self, request, pk: int):
        donor = get_object_or_404(organizations_for(request.user), pk=pk)
        context = {
            "donor": donor,
            "cycles": selectors.donor_cycles(request.user, donor),
            "pledges": selectors.pledges_of(request.user, donor),
        }
        return render(request, "appeal/donor.html", context)


class AppealProjectView(LoginRequiredMixin, View):
    """An appeal project: its requirements by year and the flows to it the reader may see (404 when the reader
    may not see it, as for one that does not exist)."""

    def get(self, request, pk: int):
        appealed = get_object_or_404(selectors.appeal_projects_for(request.user), pk=pk)
        context = {
            "appealed": appealed,
            "priority_labels": [Priority(value).label for value in appealed.priorities],
            # the matrix's page of the project, linked only for a reader who may open it
            "project_readable": projects_for(request.user).filter(pk=appealed.project_id).exists(),
            "requirements": selectors.requirements_for(request.user, appealed),
            "flows": selectors.flows_for(request.user, appealed.cycle).filter(appeal_project=appealed),
            "may_change": rules.can_change_appeal_project(request.user, appealed),
            "may_correct": rules.can_record_flow(request.user) and appealed.cycle.is_open,
        }
        return render(request, "appeal/project.html", context)


class FlowCreateView(LoginRequiredMixin, View):
    """The Secretariat records a pledge, commitment or payment in an open cycle."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_record_flow(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, request, cycle, data=None) -> FlowForm:
        # the cycle's appeal projects to choose from: no requirement sums for a list of thousands
        return FlowForm(data, cycle=cycle, appeal_projects=selectors.appeal_projects_found(request.user))

    def get(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        return self._render(request, cycle, self._form(request, cycle))

    def post(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        form = self._form(request, cycle, request.POST)
        if form.is_valid():
            try:
                services.record_flow(cycle=cycle, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                if self._a_reason_would_do(request, cycle, form.cleaned_data):
                    form.add_error("reason", error)  # warn, and say where the reason that allows it goes
                else:
                    add_service_error(form, error)
            else:
                messages.success(request, _("The entry is recorded."))
                return redirect("appeal:cycle", pk=cycle.pk)
        return self._render(request, cycle, form)

    def _a_reason_would_do(self, request, cycle, data) -> bool:
        """Whether a reason would have the entry recorded (a payment above what the donor committed): asked of
        the service itself, with a reason, in a savepoint rolled back — the page never restates the rule."""
        if data["stage"] != Stage.PAID or data["reason"]:
            return False
        try:
            with transaction.atomic():
                services.record_flow(cycle=cycle, by=request.user, **{**data, "reason": "?"})
                raise _WouldBeRecorded
        except _WouldBeRecorded:
            return True
        except ValidationError:
            return False

    def _render(self, request, cycle, form):
        return render(request, "appeal/flow_form.html", {"cycle": cycle, "form": form})


class _WouldBeRecorded(Exception):
    """Rolls back the trial entry of ``FlowCreateView._a_reason_would_do``."""
