"""Getting an account: the anonymous access-request form and the invitation link."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from directory import services
from directory.forms import AcceptInvitationForm, AccessRequestForm


@require_http_methods(["GET", "POST"])
def request_access(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.consume(request, action="access_request"):
            form.add_error(None, _("Too many requests from your network. Please try again in an hour."))
        elif form.is_valid():
            services.submit_access_request(**form.cleaned_data)
            # The same answer whether or not the email has an account: nothing is revealed.
            return redirect("directory:access_requested")
    return render(request, "directory/request_access.html", {"form": form})


@require_safe
def access_requested(request):
    return render(request, "directory/access_requested.html")


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    if not ratelimit.consume(request, action="invitation"):
        return render(request, "directory/invitation_invalid.html", {"rate_limited": True}, status=429)
    invitation = services.usable_invitation(token)
    if invitation is None:
        # Expired, used, revoked or never existed: one answer for all, with a way forward.
        return render(request, "directory/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        messages.info(request, _("Sign out first to accept an invitation for another account."))
        return redirect("dashboard:home")
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error("password1" if "password" in " ".join(error.messages).lower() else None, error)
        else:
            # Signed in through allauth's flow; the password typed seconds ago then counts as a fresh
            # (re)authentication, so enrolling MFA right after needs no second password prompt.
            response = perform_login(request, user, redirect_url=reverse("mfa_activate_totp"))
            record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
            return response
    return render(request, "directory/accept_invitation.html", {"form": form, "invitation": invitation})
