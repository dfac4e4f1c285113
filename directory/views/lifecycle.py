"""Keeping the directory current: a person reconfirms their details; an organisation hands a leaver's roles
over to a successor (services in directory.lifecycle)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_error
from directory import lifecycle
from directory.forms import HandoverForm
from directory.mixins import ManagedOrganizationMixin
from directory.models import Profile
from directory.people import LANGUAGE_NAMES
from directory.selectors import current_memberships


class ReconfirmView(LoginRequiredMixin, View):
    """The page the yearly reminder links to: the person's current details, a link to correct them, and one
    button to confirm they are right. Only ever about the signed-in person."""

    template_name = "directory/lifecycle/reconfirm.html"

    def get(self, request):
        person = request.user
        profile = Profile.objects.filter(user=person).first()
        context = {"person": person, "profile": profile, "memberships": current_memberships(person)}
        if profile is not None:
            context["languages"] = [LANGUAGE_NAMES.get(code, code) for code in profile.languages]
            context["pillars"] = list(profile.expertise_pillars.all())
        return render(request, self.template_name, context)

    def post(self, request):
        lifecycle.reconfirm(user=request.user)
        messages.success(request, _("Thank you: your details are confirmed as current."))
        return redirect("directory:person", pk=request.user.pk)


class HandoverView(ManagedOrganizationMixin, View):
    """An organisation admin (or the Secretariat) hands a leaving person's roles to a successor of the same
    organisation. Anyone else gets a 403: the organisation and its people are no secret on the platform,
    the right to change them is."""

    template_name = "directory/lifecycle/handover.html"

    def render_form(self, request, organization, form):
        return render(request, self.template_name, {"organization": organization, "form": form})

    def get(self, request, pk):
        organization = self.managed_organization(request, pk)
        # Preselected by the members page; any other value simply matches no option.
        initial = {"leaver": request.GET.get("leaver", "")[:20]}
        return self.render_form(
            request, organization, HandoverForm(organization=organization, initial=initial)
        )

    def post(self, request, pk):
        organization = self.managed_organization(request, pk)
        form = HandoverForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                summary = lifecycle.handover(
                    by=request.user,
                    organization=organization,
                    leaver=form.cleaned_data["leaver"],
                    successor=form.cleaned_data["successor"],
                    request=request,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                names = {
                    "leaver": summary.leaver,
                    "successor": summary.successor,
                    "roles": ", ".join(summary.role_labels),
                }
                messages.success(
                    request, _("%(successor)s now holds the roles of %(leaver)s: %(roles)s.") % names
                )
                if summary.deactivated:
                    messages.info(request, _("%(leaver)s's account is deactivated and signed out.") % names)
                else:
                    messages.info(
                        request,
                        _("%(leaver)s still represents another organisation, so their account stays active.")
                        % names,
                    )
                return redirect("directory:members", pk=organization.pk)
        return self.render_form(request, organization, form)
