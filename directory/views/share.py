"""Sharing any piece of content with people and organisations: one view for every content app, with the
"who can see this?" panel. Only those who may share it (the owner organisation's people) reach it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from directory import sharing
from directory.forms import ShareForm
from directory.mixins import ObjectActionMixin


class ShareView(ObjectActionMixin, View):
    """Subclasses name the ``model``; an app whose sharing does more (e.g. the calendar, whose
    occurrences copy the audience) overrides ``apply``."""

    action = "share"
    template_name = "share.html"

    def get(self, request, pk):
        return self.render(request, self.get_object(), ShareForm(user=request.user))

    def post(self, request, pk):
        obj = self.get_object()
        form = ShareForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(request, obj, form)
        self.apply(
            obj,
            by=request.user,
            users=form.users,
            organizations=form.cleaned_data["organizations"],
            unshare=request.POST.get("action") == "unshare",
        )
        messages.success(request, _("Sharing updated."))
        return redirect(request.path)

    def apply(self, obj, *, by, users, organizations, unshare: bool) -> None:
        operation = sharing.unshare if unshare else sharing.share
        operation(obj=obj, by=by, users=users, organizations=organizations)

    def render(self, request, obj, form):
        context = {"object": obj, "form": form, "audience": sharing.describe(obj)}
        return render(request, self.template_name, context)
