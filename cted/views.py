"""CTED's assessment pages: thin — a selector or a service, then a template. What the reader may not see is
a 404, as what does not exist; who sees an assessment but may not act on it (give consent: the State's
people; record: CTED's) gets a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_error
from cted import rules, selectors, services
from cted.forms import (
    AssessmentForm,
    ConsentForm,
    RecommendationForm,
    ReleaseForm,
    ReportForm,
    StatusForm,
    StepForm,
)
from cted.models import ConsentGrant, Recommendation, ReportStage, StatusKind


class AssessmentListView(LoginRequiredMixin, View):
    """The assessments the reader may see, newest visit first, each with the State's next deadline."""

    def get(self, request):
        today = timezone.localdate()
        context = {
            "assessments": selectors.with_pending(selectors.assessments_for(request.user), today),
            "today": today,
            "may_record": rules.can_record_assessment(request.user),
        }
        return render(request, "cted/assessments.html", context)


class SharedLogView(LoginRequiredMixin, View):
    """The log of the reports shared with the Platform: how many each year (every State's, counts only, as
    CTED reports them publicly) and the shared assessments the reader may see."""

    def get(self, request):
        context = {"counts": selectors.shared_counts(), "assessments": selectors.shared_log(request.user)}
        return render(request, "cted/shared.html", context)


class AssessmentView(LoginRequiredMixin, View):
    """An assessment: its visit, the report's steps and the State's deadlines, the recommendations the reader
    may see, and — for the State's people and CTED — the consents given on it."""

    def get(self, request, pk: int):
        assessment = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        context = {
            "assessment": assessment,
            "deadlines": assessment.deadlines(timezone.localdate()),
            "recommendations": selectors.recommendations_for(request.user, assessment),
            "grants": selectors.grants_for(request.user, assessment),
            "may_grant": rules.can_grant_consent(request.user, assessment),
            "may_assist": rules.can_change_assistance(request.user),
            "may_implement": rules.can_change_implementation(request.user, assessment),
            "may_record": rules.can_record_assessment(request.user),
            "report": selectors.report_for(request.user, assessment),
            "today": timezone.localdate(),
        }
        return render(request, "cted/assessment.html", context)


class StateOnlyMixin:
    """The assessment of a page only its State's people use: 404 for who may not see it, 403 for who sees it
    but is not the State's (CTED, a consented entity)."""

    def _assessment(self, request, pk: int):
        assessment = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        if not rules.can_grant_consent(request.user, assessment):
            raise PermissionDenied
        return assessment


class ConsentView(LoginRequiredMixin, StateOnlyMixin, View):
    """The State's people share the assessment, or one of its recommendations, with an organisation or every
    Compact entity, until a date or until withdrawn."""

    def _form(self, request, assessment, data=None) -> ConsentForm:
        return ConsentForm(data, recommendations=selectors.recommendations_for(request.user, assessment))

    def get(self, request, pk: int):
        assessment = self._assessment(request, pk)
        return self._render(request, assessment, self._form(request, assessment))

    def post(self, request, pk: int):
        assessment = self._assessment(request, pk)
        form = self._form(request, assessment, request.POST)
        if form.is_valid():
            try:
                services.grant_consent(assessment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The consent is given: it takes effect at once."))
                return redirect("cted:assessment", pk=assessment.pk)
        return self._render(request, assessment, form)

    def _render(self, request, assessment, form):
        return render(request, "cted/consent_form.html", {"assessment": assessment, "form": form})


class RevokeView(LoginRequiredMixin, View):
    """The State's people withdraw a consent (POST only): it is kept, withdrawn, at once."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        grant = get_object_or_404(
            ConsentGrant.objects.filter(
                assessment__in=selectors.assessments_for(request.user)
            ).select_related("assessment"),
            pk=pk,
        )
        if not rules.can_grant_consent(request.user, grant.assessment):
            raise PermissionDenied
        try:
            services.revoke_consent(grant, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The consent is withdrawn: it no longer applies, from now on."))
        return redirect("cted:assessment", pk=grant.assessment_id)


class ReleaseView(LoginRequiredMixin, StateOnlyMixin, View):
    """The State's people choose the assessment's release level (as for consent: others who see it, 403)."""

    def get(self, request, pk: int):
        assessment = self._assessment(request, pk)
        return self._release(
            request, assessment, ReleaseForm(initial={"release_level": assessment.release_level})
        )

    def post(self, request, pk: int):
        assessment = self._assessment(request, pk)
        form = ReleaseForm(request.POST)
        if form.is_valid():
            services.set_release_level(assessment, level=form.cleaned_data["release_level"], by=request.user)
            messages.success(request, _("The release level is changed: it applies at once."))
            return redirect("cted:assessment", pk=assessment.pk)
        return self._release(request, assessment, form)

    def _release(self, request, assessment, form):
        return render(request, "cted/release_form.html", {"assessment": assessment, "form": form})


class StatusView(LoginRequiredMixin, View):
    """A recommendation's assistance (CTED) or implementation status (CTED, the State's people): the changes
    the workflow allows, each with its reason, and the history of the changes."""

    def _recommendation(self, request, pk: int, kind: str):
        if kind not in StatusKind.values:
            raise Http404
        found = get_object_or_404(
            Recommendation.objects.visible_to(request.user).select_related("assessment__state"), pk=pk
        )
        may = (
            rules.can_change_assistance(request.user)
            if kind == StatusKind.ASSISTANCE
            else rules.can_change_implementation(request.user, found.assessment)
        )
        if not may:
            raise PermissionDenied
        return found

    def _form(self, recommendation, kind, data=None) -> StatusForm:
        statuses = services.LABELS[kind]
        current = getattr(recommendation, f"{kind}_status")
        choices = [(value, statuses(value).label) for value in sorted(services.TRANSITIONS[kind][current])]
        return StatusForm(data, choices=choices)

    def get(self, request, pk: int, kind: str):
        recommendation = self._recommendation(request, pk, kind)
        return self._render(request, recommendation, kind, self._form(recommendation, kind))

    def post(self, request, pk: int, kind: str):
        recommendation = self._recommendation(request, pk, kind)
        form = self._form(recommendation, kind, request.POST)
        if form.is_valid():
            try:
                services.change_status(recommendation, kind=kind, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The status is changed."))
                return redirect("cted:assessment", pk=recommendation.assessment_id)
        return self._render(request, recommendation, kind, form)

    def _render(self, request, recommendation, kind, form):
        context = {
            "recommendation": recommendation,
            "kind": StatusKind(kind),
            "current": services.LABELS[kind](getattr(recommendation, f"{kind}_status")).label,
            "changes": recommendation.changes.filter(kind=kind).select_related("changed_by"),
            "form": form,
        }
        return render(request, "cted/status_form.html", context)


class NewAssessmentView(LoginRequiredMixin, View):
    """CTED's people record an assessment visit (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_record_assessment(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, AssessmentForm())

    def post(self, request):
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                assessment = services.record_assessment(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The assessment is recorded: only the State and CTED see it."))
                return redirect("cted:assessment", pk=assessment.pk)
        return self._render(request, form)

    def _render(self, request, form):
        return render(request, "cted/assessment_form.html", {"form": form})


class CtedOnlyMixin:
    """The assessment of a page only CTED's people use: 404 for who may not see it, 403 for who sees it but
    is not CTED's (the State's people, a consented entity)."""

    def _assessment(self, request, pk: int):
        assessment = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        if not rules.can_record_assessment(request.user):
            raise PermissionDenied
        return assessment


class StepView(LoginRequiredMixin, CtedOnlyMixin, View):
    """CTED records the report's next step and its date: only the steps the workflow allows from its stage."""

    def _form(self, assessment, data=None) -> StepForm:
        steps = [
            ReportStage(step) for step, (_f, after) in services.STEPS.items() if assessment.stage in after
        ]
        return StepForm(data, steps=steps)

    def get(self, request, pk: int):
        assessment = self._assessment(request, pk)
        return self._render(request, assessment, self._form(assessment))

    def post(self, request, pk: int):
        assessment = self._assessment(request, pk)
        form = self._form(assessment, request.POST)
        if form.is_valid():
            try:
                services.record_report_step(assessment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The step is recorded."))
                return redirect("cted:assessment", pk=assessment.pk)
        return self._render(request, assessment, form)

    def _render(self, request, assessment, form):
        return render(request, "cted/step_form.html", {"assessment": assessment, "form": form})


class ReportView(LoginRequiredMixin, CtedOnlyMixin, View):
    """CTED attaches the confidential report: a library resource it may read, with a restricted audience."""

    def _form(self, request, data=None, **kwargs) -> ReportForm:
        return ReportForm(data, resources=selectors.report_choices(request.user), **kwargs)

    def get(self, request, pk: int):
        assessment = self._assessment(request, pk)
        form = self._form(request, initial={"report": assessment.report_id})
        return self._render(request, assessment, form)

    def post(self, request, pk: int):
        assessment = self._assessment(request, pk)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.attach_report(assessment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The report is attached: its readers in the library see its link.")
                )
                return redirect("cted:assessment", pk=assessment.pk)
        return self._render(request, assessment, form)

    def _render(self, request, assessment, form):
        return render(request, "cted/report_form.html", {"assessment": assessment, "form": form})


class NewRecommendationView(LoginRequiredMixin, CtedOnlyMixin, View):
    """CTED records a need or recommendation of the assessment, with who could deliver and what answers it."""

    def _form(self, request, data=None) -> RecommendationForm:
        return RecommendationForm(data, projects=selectors.project_choices(request.user))

    def get(self, request, pk: int):
        assessment = self._assessment(request, pk)
        return self._render(request, assessment, self._form(request))

    def post(self, request, pk: int):
        assessment = self._assessment(request, pk)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.add_recommendation(assessment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The recommendation is recorded."))
                return redirect("cted:assessment", pk=assessment.pk)
        return self._render(request, assessment, form)

    def _render(self, request, assessment, form):
        context = {"assessment": assessment, "form": form, "recommendation": None}
        return render(request, "cted/recommendation_form.html", context)


class EditRecommendationView(LoginRequiredMixin, View):
    """CTED edits a recommendation: 404 for who may not see it, 403 for who sees it but is not CTED's."""

    def _recommendation(self, request, pk: int) -> Recommendation:
        found = get_object_or_404(
            Recommendation.objects.visible_to(request.user).select_related("assessment__state", "theme"),
            pk=pk,
        )
        if not rules.can_record_assessment(request.user):
            raise PermissionDenied
        return found

    def _form(self, request, recommendation, data=None) -> RecommendationForm:
        projects = selectors.project_choices(request.user)
        initial = RecommendationForm.initial_of(recommendation, projects)
        return RecommendationForm(data, projects=projects, theme=recommendation.theme, initial=initial)

    def get(self, request, pk: int):
        recommendation = self._recommendation(request, pk)
        return self._render(request, recommendation, self._form(request, recommendation))

    def post(self, request, pk: int):
        recommendation = self._recommendation(request, pk)
        form = self._form(request, recommendation, request.POST)
        if form.is_valid():
            try:
                services.edit_recommendation(recommendation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The recommendation is saved."))
                return redirect("cted:assessment", pk=recommendation.assessment_id)
        return self._render(request, recommendation, form)

    def _render(self, request, recommendation, form):
        context = {"assessment": recommendation.assessment, "form": form, "recommendation": recommendation}
        return render(request, "cted/recommendation_form.html", context)
