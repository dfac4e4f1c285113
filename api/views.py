"""The pages where a person manages their own personal access tokens: list, make (shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from api import selectors, services
from api.forms import TokenForm


class TokenListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "api/tokens.html", {"tokens": selectors.tokens_of(request.user)})


class TokenCreateView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "api/token_form.html", {"form": TokenForm()})

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return render(request, "api/token_form.html", {"form": form})
        issued = services.issue_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.scopes(),
            expires_at=form.expires_at(),
        )
        # The secret is in this answer only: not redirected to a page that could show it again, and never
        # kept by a cache or the browser's history.
        response = render(request, "api/token_created.html", {"issued": issued})
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        # Someone else's token is a 404, like one that does not exist.
        token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
        services.revoke_token(token=token, by=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("tokens:list")
