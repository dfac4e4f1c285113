"""The Secretariat's administration: access requests, organisations, users, memberships (Working Group
participation is managed in each group's space: working_groups.services)."""

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_error, chosen, from_query, search_text
from core.paging import page_of
from directory import services
from directory.forms import (
    InvitationForm,
    OrganizationForm,
    OrganizationRoleForm,
    RejectAccessRequestForm,
)
from directory.mixins import SecretariatRequiredMixin
from directory.models import (
    AccessRequest,
    AccessRequestStatus,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    User,
    WorkingGroup,
)

PAGE_SIZE = 50


def _page(request, queryset):
    return page_of(request, queryset, per_page=PAGE_SIZE)


class AccessRequestListView(SecretariatRequiredMixin, View):
    def get(self, request):
        status = from_query(
            request,
            "status",
            forms.ChoiceField(choices=AccessRequestStatus.choices),
            AccessRequestStatus.PENDING,
        )
        queryset = AccessRequest.objects.filter(status=status).select_related("decided_by")
        return render(
            request,
            "directory/secretariat/access_requests.html",
            {"page": _page(request, queryset), "status": status, "statuses": AccessRequestStatus.choices},
        )


class AccessRequestView(SecretariatRequiredMixin, View):
    template_name = "directory/secretariat/access_request.html"

    def forms(self, request, access_request, data=None, action=None):
        approve = OrganizationRoleForm(data if action == "approve" else None, prefix="approve")
        reject = RejectAccessRequestForm(data if action == "reject" else None, prefix="reject")
        # Suggest the organisation whose name or acronym matches what the person typed.
        typed = access_request.organization_name.strip()
        match = Organization.objects.filter(
            Q(acronym__iexact=typed) | Q(name__iexact=typed), is_active=True
        ).first()
        if match and action is None:
            approve.initial["organization"] = match.pk
        return approve, reject

    def get(self, request, pk):
        access_request = get_object_or_404(AccessRequest, pk=pk)
        approve, reject = self.forms(request, access_request)
        return render(
            request, self.template_name, {"item": access_request, "approve": approve, "reject": reject}
        )

    def post(self, request, pk):
        access_request = get_object_or_404(AccessRequest, pk=pk)
        action = request.POST.get("action")
        if action not in ("approve", "reject"):
            messages.error(request, _("Unknown action."))
            return redirect("directory:access_request", pk=access_request.pk)
        approve, reject = self.forms(request, access_request, request.POST, action)
        try:
            if action == "approve" and approve.is_valid():
                services.approve_access_request(
                    access_request=access_request,
                    by=request.user,
                    organization=approve.cleaned_data["organization"],
                    role=approve.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/"),
                )
                messages.success(
                    request,
                    _("Approved: an invitation was sent to %(email)s.") % {"email": access_request.email},
                )
                return redirect("directory:access_requests")
            if action == "reject" and reject.is_valid():
                services.reject_access_request(
                    access_request=access_request, by=request.user, reason=reject.cleaned_data["reason"]
                )
                messages.success(
                    request, _("Rejected: %(email)s was told why.") % {"email": access_request.email}
                )
                return redirect("directory:access_requests")
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not about a field (e.g. already decided by a colleague): say so on the request's page.
                messages.error(request, " ".join(error.messages))
                return redirect("directory:access_request", pk=access_request.pk)
            add_service_error(approve if action == "approve" else reject, error)
        return render(
            request, self.template_name, {"item": access_request, "approve": approve, "reject": reject}
        )


class InviteView(SecretariatRequiredMixin, View):
    """The Secretariat invites anyone to any organisation, with any role."""

    def get(self, request):
        form = InvitationForm(user=request.user, organization=_organization_from(request.GET))
        return render(request, "directory/invite.html", {"form": form})

    def post(self, request):
        organization = _organization_from(request.POST)
        form = InvitationForm(request.POST, user=request.user, organization=organization)
        if form.is_valid():
            try:
                services.invite(
                    by=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("directory:invite")
        return render(request, "directory/invite.html", {"form": form})


def _organization_from(data) -> Organization | None:
    """The organisation the invitation is for, chosen in the form or by the link that opened it."""
    return chosen(data, "organization", Organization.objects.all())


class OrganizationListView(SecretariatRequiredMixin, View):
    def get(self, request):
        kind = from_query(request, "kind", forms.ChoiceField(choices=OrganizationKind.choices), "")
        query = search_text(request)
        queryset = Organization.objects.annotate(
            people=Count("memberships", filter=Q(memberships__ended_at__isnull=True))
        ).order_by("kind", "name")
        if kind:
            queryset = queryset.filter(kind=kind)
        if query:
            queryset = queryset.filter(
                Q(name__icontains=query) | Q(acronym__icontains=query) | Q(iso3__iexact=query)
            )
        return render(
            request,
            "directory/secretariat/organizations.html",
            {"page": _page(request, queryset), "kind": kind, "kinds": OrganizationKind.choices, "q": query},
        )


class OrganizationEditView(SecretariatRequiredMixin, View):
    def get(self, request, pk=None):
        organization = get_object_or_404(Organization, pk=pk) if pk else None
        return self.render(request, OrganizationForm(instance=organization), organization)

    def post(self, request, pk=None):
        organization = get_object_or_404(Organization, pk=pk) if pk else None
        form = OrganizationForm(request.POST, instance=organization)
        if form.is_valid():
            try:
                saved = services.save_organization(organization=form.save(commit=False), by=request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
                return redirect("directory:organizations")
        return self.render(request, form, organization)

    def render(self, request, form, organization):
        return render(
            request,
            "directory/secretariat/organization_form.html",
            {"form": form, "organization": organization},
        )


class OrganizationActiveView(SecretariatRequiredMixin, View):
    def post(self, request, pk):
        organization = get_object_or_404(Organization, pk=pk)
        active = request.POST.get("active")
        if active not in ("0", "1"):
            # Only the button's own values change anything: a malformed one must not deactivate.
            messages.error(request, _("Unknown action."))
            return redirect("directory:organizations")
        organization.is_active = active == "1"
        services.save_organization(organization=organization, by=request.user)
        messages.success(
            request,
            (_("%(name)s is active again.") if organization.is_active else _("%(name)s is deactivated."))
            % {"name": organization.name},
        )
        return redirect("directory:organizations")


class UserListView(SecretariatRequiredMixin, View):
    def get(self, request):
        query = search_text(request)
        queryset = User.objects.order_by("full_name")
        if query:
            queryset = queryset.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
        return render(
            request, "directory/secretariat/users.html", {"page": _page(request, queryset), "q": query}
        )


class UserView(SecretariatRequiredMixin, View):
    template_name = "directory/secretariat/user.html"

    def context(self, request, person, form=None):
        return {
            "person": person,
            "memberships": Membership.objects.filter(user=person).select_related("organization"),
            "has_mfa": Authenticator.objects.filter(user=person).exists(),
            "form": form or OrganizationRoleForm(),
        }

    def get(self, request, pk):
        person = get_object_or_404(User, pk=pk)
        return render(request, self.template_name, self.context(request, person))

    def post(self, request, pk):
        person = get_object_or_404(User, pk=pk)
        action = request.POST.get("action")
        try:
            if action in ("deactivate", "reactivate"):
                services.set_user_active(
                    user=person, active=action == "reactivate", by=request.user, request=request
                )
                messages.success(request, _("Account updated."))
            elif action == "reset_mfa":
                services.reset_mfa(user=person, by=request.user, request=request)
                messages.success(
                    request, _("Two-factor authentication was reset; the person enrols again at sign-in.")
                )
            elif action == "end_membership":
                membership = chosen(request.POST, "membership", Membership.objects.filter(user=person))
                if membership is None:
                    raise Http404
                services.end_membership(by=request.user, membership=membership)
                messages.success(request, _("Role ended."))
            elif action == "add_membership":
                form = OrganizationRoleForm(request.POST)
                if not form.is_valid():
                    return render(
                        request, self.template_name, self.context(request, person, form), status=200
                    )
                services.add_membership(by=request.user, user=person, **form.cleaned_data)
                messages.success(request, _("Role added."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("directory:user", pk=person.pk)


class InvitationListView(SecretariatRequiredMixin, View):
    def get(self, request):
        queryset = Invitation.objects.select_related("organization", "invited_by")
        return render(request, "directory/secretariat/invitations.html", {"page": _page(request, queryset)})


class WorkingGroupListView(SecretariatRequiredMixin, View):
    def get(self, request):
        groups = WorkingGroup.objects.annotate(organizations=Count("participations"))
        return render(request, "directory/secretariat/working_groups.html", {"groups": groups})
