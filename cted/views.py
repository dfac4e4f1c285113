"""CTED's assessment pages: thin — a selector or a service, then a template. What the reader may not see is
a 404, as what does not exist; who sees an assessment but may not give consent on it gets a 403."""

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
from cted.forms import ConsentForm, ReleaseForm, StatusForm
from cted.models import ConsentGrant, Recommendation, StatusKind


class AssessmentListView(LoginRequiredMixin, View):
    """The assessments the reader may see, newest visit first, each with the State's next deadline."""

    def get(self, request):
        today = timezone.localdate()
        assessments = list(selectors.assessments_for(request.user))
        for assessment in assessments:
            assessment.pending = [d for d in assessment.deadlines(today) if d.received is None]
        context = {
            "assessments": assessments,
            "today": today,
            "may_import": rules.can_record_assessment(request.user),
        }
        return render(request, "cted/assessments.html", context)


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
