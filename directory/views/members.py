"""An organisation's people, managed by its organisation admins (and the Secretariat)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_error, chosen
from directory import services
from directory.forms import InvitationForm
from directory.mixins import ManagedOrganizationMixin
from directory.models import Invitation, Membership, MembershipRequest


class MembersView(ManagedOrganizationMixin, View):
    template_name = "directory/members.html"

    def context(self, request, organization, invite=None):
        return {
            "organization": organization,
            "memberships": Membership.objects.filter(organization=organization, ended_at__isnull=True)
            .select_related("user")
            .order_by("user__full_name", "role"),
            "invitations": Invitation.objects.usable().filter(organization=organization),
            "requests": MembershipRequest.objects.pending()
            .filter(organization=organization)
            .select_related("user", "requested_by"),
            "invite": invite or InvitationForm(user=request.user, organization=organization, prefix="invite"),
        }

    def get(self, request, pk):
        organization = self.managed_organization(request, pk)
        return render(request, self.template_name, self.context(request, organization))

    def post(self, request, pk):
        organization = self.managed_organization(request, pk)
        action = request.POST.get("action")
        if action == "invite":
            return self.invite(request, organization)
        if action == "end":
            current = Membership.objects.filter(organization=organization, ended_at__isnull=True)
            membership = chosen(request.POST, "membership", current.select_related("user", "organization"))
            if membership is None:
                raise Http404
            try:
                services.end_membership(by=request.user, membership=membership)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(name)s's role ended.") % {"name": membership.user})
        elif action == "withdraw":
            pending = MembershipRequest.objects.pending().filter(organization=organization)
            waiting = chosen(request.POST, "request", pending.select_related("organization"))
            if waiting is None:
                raise Http404
            services.withdraw_membership_request(by=request.user, request=waiting)
            messages.success(request, _("Request withdrawn."))
        else:
            messages.error(request, _("Unknown action."))
        return redirect("directory:members", pk=organization.pk)

    def invite(self, request, organization):
        form = InvitationForm(request.POST, user=request.user, organization=organization, prefix="invite")
        if form.is_valid():
            data = {**form.cleaned_data, "organization": organization}
            try:
                services.invite(by=request.user, base_url=request.build_absolute_uri("/"), **data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, invitation_sent(data["email"]))
                return redirect("directory:members", pk=organization.pk)
        return render(request, self.template_name, self.context(request, organization, invite=form))


def invitation_sent(email: str) -> str:
    """The same answer whether the address had an account (asked to accept the role) or not (invited to
    create one): an invitation form must not tell who has an account."""
    return _(
        "Invitation sent to %(email)s. If the address already has an account, the person is asked to "
        "accept the role; otherwise they are invited to create an account."
    ) % {"email": email}


class MembershipRequestsView(LoginRequiredMixin, View):
    """The roles organisations asked the signed-in person to take: accept or decline each. Only ever the
    person's own requests (anyone else's id is no choice, a 404)."""

    template_name = "directory/membership_requests.html"

    def pending(self, request):
        return (
            MembershipRequest.objects.pending()
            .filter(user_id=request.user.pk)
            .select_related("organization", "requested_by")
        )

    def get(self, request):
        return render(request, self.template_name, {"requests": list(self.pending(request))})

    def post(self, request):
        waiting = chosen(request.POST, "request", self.pending(request))
        answer = request.POST.get("answer")
        if waiting is None or answer not in ("accept", "decline"):
            raise Http404
        names = {"organization": waiting.organization.display_name, "role": waiting.get_role_display()}
        try:
            membership = services.answer_membership_request(
                by=request.user, request=waiting, accept=answer == "accept"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if answer == "decline":
                messages.success(request, _("You declined to join %(organization)s.") % names)
            elif membership is None:
                messages.warning(
                    request,
                    _(
                        "This request lapsed: whoever asked may no longer give this role in "
                        "%(organization)s. Ask its organisation admins to send it again if it still holds."
                    )
                    % names,
                )
            else:
                messages.success(request, _("You are now %(role)s of %(organization)s.") % names)
        return redirect("directory:membership_requests")
