"""The Appeal's write pages: the Secretariat opens and closes cycles and corrects the ledger; a lead entity's
people appeal for their projects and change them. Thin, as ``appeal.views``: a form parses the request, a
service writes (``appeal.services``: the rules of ``appeal.rules`` and of money), a template renders.

Who may not open a page gets a 403 (the Secretariat's pages; an appeal project its reader sees but may not
change); what the reader may not see is a 404, as what does not exist. A page that has nothing to do — a
closed cycle, a correction of a correction, a person without a project to add — says so, as a page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from appeal import rules, selectors, services
from appeal.forms import AppealProjectForm, CorrectionForm, CycleForm, NewAppealProjectForm
from core.forms import add_service_error


def _closed(cycle) -> str:
    return _("The appeal cycle %(name)s is closed: nothing more is recorded in it.") % {"name": cycle.name}


class SecretariatMixin:
    """The Appeal's administration is the Secretariat's: whoever ``rule`` (of ``appeal.rules``) refuses gets a
    403 before anything is read."""

    rule = staticmethod(rules.can_record_flow)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.rule(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CycleCreateView(LoginRequiredMixin, SecretariatMixin, View):
    """The Secretariat opens a cycle."""

    rule = staticmethod(rules.can_open_cycle)

    def get(self, request):
        year = timezone.localdate().year
        return self._render(request, CycleForm(initial={"first_year": year, "last_year": year + 1}))

    def post(self, request):
        form = CycleForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.open_cycle(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The appeal cycle %(name)s is open.") % {"name": cycle.name})
                return redirect("appeal:cycle", pk=cycle.pk)
        return self._render(request, form)

    def _render(self, request, form):
        return render(request, "appeal/cycle_form.html", {"form": form})


class CycleCloseView(LoginRequiredMixin, SecretariatMixin, View):
    """What closing means, then the Secretariat closes the cycle; a closed cycle's page says it is."""

    rule = staticmethod(rules.can_open_cycle)  # who opens cycles closes them (can_close_cycle: while open)

    def get(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        return self._render(request, cycle)

    def post(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        if not rules.can_close_cycle(request.user, cycle):  # the Secretariat's, so: closed already
            return self._render(request, cycle)
        services.close_cycle(cycle, by=request.user)
        messages.success(request, _("The appeal cycle %(name)s is closed.") % {"name": cycle.name})
        return redirect("appeal:cycle", pk=cycle.pk)

    def _render(self, request, cycle):
        context = {"cycle": cycle, "refusal": None if cycle.is_open else _closed(cycle)}
        return render(request, "appeal/cycle_close.html", context)


class AppealProjectCreateView(LoginRequiredMixin, View):
    """A lead entity's person appeals for one of the projects their organisations lead, under its priorities,
    with its yearly requirements, in one transaction. Whoever has no such project reads that they have
    none."""

    def get(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        projects = selectors.projects_to_appeal_for(request.user, cycle)
        return self._render(request, cycle, projects, NewAppealProjectForm(cycle=cycle, projects=projects))

    def post(self, request, pk: int):
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        projects = selectors.projects_to_appeal_for(request.user, cycle)
        form = NewAppealProjectForm(request.POST, cycle=cycle, projects=projects)
        if form.is_valid() and cycle.is_open:
            data = form.cleaned_data
            try:
                with transaction.atomic():  # the appeal project and its requirements, or nothing
                    appealed = services.add_appeal_project(
                        cycle=cycle, project=data["project"], priorities=data["priorities"],
                        is_published=data["is_published"], is_public=data["is_public"], by=request.user,
                    )  # fmt: skip
                    services.set_requirements(appealed, amounts=form.requirements(), by=request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("%(title)s is in the appeal.") % {"title": appealed.project.title}
                )
                return redirect("appeal:project", pk=appealed.pk)
        return self._render(request, cycle, projects, form)

    def _render(self, request, cycle, projects, form):
        context = {
            "cycle": cycle,
            "form": form,
            "refusal": None if cycle.is_open else _closed(cycle),
            "nothing_to_add": cycle.is_open and not projects.exists(),
        }
        return render(request, "appeal/appeal_project_form.html", context)


class AppealProjectEditView(LoginRequiredMixin, View):
    """The lead entity's people change an appeal project's priorities, publication and requirements while its
    cycle is open (a 404 when they may not see it, a 403 when they see it but it is not theirs)."""

    def _appealed(self, request, pk: int):
        appealed = get_object_or_404(selectors.appeal_projects_for(request.user), pk=pk)
        if not rules.can_appeal_for(request.user, appealed.project):
            raise PermissionDenied
        return appealed

    def _form(self, request, appealed, data=None) -> AppealProjectForm:
        requirements = selectors.requirements_for(request.user, appealed)
        initial = AppealProjectForm.initial_of(appealed, requirements)
        return AppealProjectForm(data, cycle=appealed.cycle, initial=initial)

    def get(self, request, pk: int):
        appealed = self._appealed(request, pk)
        return self._render(request, appealed, self._form(request, appealed))

    def post(self, request, pk: int):
        appealed = self._appealed(request, pk)
        form = self._form(request, appealed, request.POST)
        if form.is_valid() and rules.can_change_appeal_project(request.user, appealed):
            data = form.cleaned_data
            try:
                with transaction.atomic():  # priorities, publication and requirements, or nothing
                    services.change_appeal_project(
                        appealed, priorities=data["priorities"], is_published=data["is_published"],
                        is_public=data["is_public"], by=request.user,
                    )  # fmt: skip
                    services.set_requirements(appealed, amounts=form.requirements(), by=request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The appeal project is changed."))
                return redirect("appeal:project", pk=appealed.pk)
        return self._render(request, appealed, form)

    def _render(self, request, appealed, form):
        context = {
            "cycle": appealed.cycle,
            "appealed": appealed,
            "form": form,
            "refusal": None if appealed.cycle.is_open else _closed(appealed.cycle),
        }
        return render(request, "appeal/appeal_project_form.html", context)


class FlowCorrectView(LoginRequiredMixin, SecretariatMixin, View):
    """The Secretariat corrects an entry of the ledger: a new entry reversing (negative) or adjusting
    (positive) it, with a reason. The page shows the entry and what remains of it; a correction and an entry
    of a closed cycle are not corrected, and the page says why."""

    def _entry(self, request, pk: int):
        return get_object_or_404(selectors.flows_for(request.user).select_related("cycle"), pk=pk)

    def get(self, request, pk: int):
        entry = self._entry(request, pk)
        return self._render(request, entry, CorrectionForm(currency=entry.currency))

    def post(self, request, pk: int):
        entry = self._entry(request, pk)
        form = CorrectionForm(request.POST, currency=entry.currency)
        if form.is_valid() and self._refusal(entry) is None:
            try:
                services.correct_flow(entry, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The correction is recorded."))
                if entry.appeal_project_id:
                    return redirect("appeal:project", pk=entry.appeal_project_id)
                return redirect("appeal:cycle", pk=entry.cycle_id)
        return self._render(request, entry, form)

    @staticmethod
    def _refusal(entry) -> str | None:
        if entry.corrects_id is not None:
            return _("This entry is itself a correction: correct the entry it corrects.")
        if not entry.cycle.is_open:
            return _closed(entry.cycle)
        return None

    def _render(self, request, entry, form):
        context = {
            "entry": entry,
            "cycle": entry.cycle,
            "form": form,
            "remaining": services.remaining(entry),
            "refusal": self._refusal(entry),
        }
        return render(request, "appeal/correction_form.html", context)
