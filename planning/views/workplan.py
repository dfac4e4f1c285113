"""A Working Group's workplan: its activities in priority order, proposed and edited by those the rules
allow (planning.rules)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import from_query
from directory import sharing
from directory.mixins import VisibleObjectMixin
from planning import rules, selectors, services
from planning.forms import ActivityForm
from planning.models import Activity, ActivityStatus
from planning.views.shared import working_group_of


class WorkplanView(LoginRequiredMixin, View):
    """A group's workplan, in priority order: the activities the user may read (anyone signed in; most
    activities are for the group's space, so others see what is public)."""

    def get(self, request, wg):
        group = working_group_of(wg)
        status = from_query(request, "status", forms.ChoiceField(choices=ActivityStatus.choices), "")
        context = {
            "working_group": group,
            "activities": selectors.workplan(request.user, group, status=status),
            "statuses": ActivityStatus.choices,
            "status": status,
            "round": selectors.current_round(group),
            "in_space": rules.can_follow_rounds(request.user, group),
            "may_manage": rules.can_manage_workplan(request.user, group),
            "may_propose": rules.can_propose_activity(request.user, group),
            "may_read_reports": rules.can_read_reports(request.user, group),
        }
        if context["in_space"]:
            context["rounds"] = selectors.rounds_of(group)
        return render(request, "planning/workplan.html", context)


class ActivityCreateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.group = working_group_of(kwargs["wg"])
            if not rules.can_propose_activity(request.user, self.group):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, request, data=None):
        return ActivityForm(
            data,
            user=request.user,
            working_group=self.group,
            may_manage=rules.can_manage_workplan(request.user, self.group),
        )

    def get(self, request, wg):
        return render(
            request, "planning/activity_form.html", {"form": self.form(request), "working_group": self.group}
        )

    def post(self, request, wg):
        form = self.form(request, request.POST)
        if form.is_valid():
            activity = services.save_activity(form=form, by=request.user, working_group=self.group)
            messages.success(request, _("Activity added to the workplan."))
            return redirect(activity)
        return render(request, "planning/activity_form.html", {"form": form, "working_group": self.group})


class ActivityDetailView(VisibleObjectMixin, View):
    model = Activity
    select_related = ("owner", "author", "working_group", "lead_organization", "pillar", "priority_round")

    def get(self, request, pk):
        activity = self.get_object()
        context = {
            "activity": activity,
            "working_group": activity.working_group,
            "contributors": list(activity.contributing_organizations.order_by("name")),
            "may_edit": rules.can_edit_activity(request.user, activity),
            "audience": sharing.describe(activity),
        }
        return render(request, "planning/activity_detail.html", context)


class ActivityEditView(VisibleObjectMixin, View):
    model = Activity
    select_related = ("owner", "working_group")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.activity = self.get_object()
            if not rules.can_edit_activity(request.user, self.activity):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, request, data=None):
        group = self.activity.working_group
        return ActivityForm(
            data,
            instance=self.activity,
            user=request.user,
            working_group=group,
            may_manage=rules.can_manage_workplan(request.user, group),
        )

    def render(self, request, form):
        context = {"form": form, "activity": self.activity, "working_group": self.activity.working_group}
        return render(request, "planning/activity_form.html", context)

    def get(self, request, pk):
        return self.render(request, self.form(request))

    def post(self, request, pk):
        form = self.form(request, request.POST)
        if form.is_valid():
            activity = services.save_activity(
                form=form, by=request.user, working_group=self.activity.working_group
            )
            messages.success(request, _("Activity updated."))
            return redirect(activity)
        return self.render(request, form)
