"""An organisation's people, managed by its organisation admins (and the Secretariat)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from directory import services
from directory.forms import InvitationForm, MembershipForm
from directory.mixins import ManagedOrganizationMixin
from directory.models import Invitation, Membership


class MembersView(ManagedOrganizationMixin, View):
    template_name = "directory/members.html"

    def context(self, request, organization, invite=None, add=None):
        roles = services.grantable_roles(request.user, organization)
        return {
            "organization": organization,
            "memberships": Membership.objects.filter(organization=organization, ended_at__isnull=True)
            .select_related("user")
            .order_by("user__full_name", "role"),
            "invitations": Invitation.objects.usable().filter(organization=organization),
            "invite": invite or InvitationForm(user=request.user, organization=organization, prefix="invite"),
            "add": add or MembershipForm(roles=roles, prefix="add"),
        }

    def get(self, request, pk):
        organization = self.managed_organization(request, pk)
        return render(request, self.template_name, self.context(request, organization))

    def post(self, request, pk):
        organization = self.managed_organization(request, pk)
        action = request.POST.get("action")
        if action == "invite":
            form = InvitationForm(request.POST, user=request.user, organization=organization, prefix="invite")
            if form.is_valid():
                data = {**form.cleaned_data, "organization": organization}
                try:
                    services.invite(by=request.user, base_url=request.build_absolute_uri("/"), **data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
                    return redirect("directory:members", pk=organization.pk)
            return render(request, self.template_name, self.context(request, organization, invite=form))
        if action == "add":
            form = MembershipForm(
                request.POST, roles=services.grantable_roles(request.user, organization), prefix="add"
            )
            if form.is_valid():
                try:
                    services.add_membership(
                        by=request.user,
                        user=form.user,
                        organization=organization,
                        role=form.cleaned_data["role"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Role added."))
                    return redirect("directory:members", pk=organization.pk)
            return render(request, self.template_name, self.context(request, organization, add=form))
        if action == "end":
            membership = get_object_or_404(
                Membership,
                pk=request.POST.get("membership"),
                organization=organization,
                ended_at__isnull=True,
            )
            try:
                services.end_membership(by=request.user, membership=membership)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(name)s's role ended.") % {"name": membership.user})
            return redirect("directory:members", pk=organization.pk)
        messages.error(request, _("Unknown action."))
        return redirect("directory:members", pk=organization.pk)
