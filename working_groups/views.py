"""Working Group spaces: one page per group composing what its people share (meetings, documents,
workplan, discussions), and the pages where those who run it manage who takes part.

A group's name, objective and participants are no secret on the platform: every signed-in user opens its
page. What the page *shows* of its content comes from each app's ``visible_to`` selectors, so an observer
or a guest sees the space without its members-only content."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from calendar_app.selectors import upcoming_for
from core.forms import add_service_error, chosen
from directory.access import viewer
from directory.models import (
    LEADERSHIP_ROLES,
    Participation,
    WorkingGroup,
)
from directory.rules import can_manage_space
from directory.spaces import designated_managers
from discussions.selectors import recent_for_group
from library.selectors import resources_of_group
from planning.rules import can_follow_rounds
from planning.selectors import current_round, open_activities
from projects.selectors import summary as project_summary
from working_groups import selectors, services
from working_groups.forms import ROLES, GuestForm, ManagerForm, ParticipantForm

#: Focal points named per organisation on the home page; the organisation's page lists them all.
PEOPLE_SHOWN = 3


class WorkingGroupListView(LoginRequiredMixin, View):
    def get(self, request):
        who = viewer(request.user)
        groups = WorkingGroup.objects.filter(is_active=True).prefetch_related("pillars").order_by("number")
        return render(
            request,
            "working_groups/list.html",
            {"groups": groups, "mine": who.working_group_ids if who else frozenset()},
        )


class SpaceView(LoginRequiredMixin, View):
    """A Working Group's home: objective, pillars, participants, upcoming meetings, latest documents,
    open workplan items and recent discussion — a constant number of queries."""

    def get(self, request, pk):
        group = get_object_or_404(WorkingGroup.objects.prefetch_related("pillars"), pk=pk, is_active=True)
        user = request.user
        participants = selectors.participants_of(group, people=PEOPLE_SHOWN)
        who = viewer(user)
        return render(
            request,
            "working_groups/space.html",
            {
                "group": group,
                "leaders": [p for p in participants if p.role in LEADERSHIP_ROLES],
                "participants": participants,
                "takes_part": who is not None and group.pk in who.working_group_ids,
                "is_member": who is not None and group.pk in who.member_group_ids,
                "may_manage": can_manage_space(user, group),
                "upcoming": upcoming_for(user, working_group=group, limit=5),
                "resources": resources_of_group(user, group, limit=6),
                "activities": open_activities(user, group, limit=6),
                # A round is followed from within the space: others would be shown a title and a 404.
                "round": current_round(group) if can_follow_rounds(user, group) else None,
                "threads": recent_for_group(user, group, limit=5),
                "projects": {
                    "heading": _("The group's projects"),
                    "summary": project_summary(user, "working_group", group.pk),
                },
            },
        )


class ManagedSpaceMixin(LoginRequiredMixin):
    """Pages that change who takes part: those who run the space only (403 for others: the page is no
    secret, the right is)."""

    def group(self, request, pk) -> WorkingGroup:
        group = get_object_or_404(WorkingGroup, pk=pk, is_active=True)
        if not can_manage_space(request.user, group):
            raise PermissionDenied
        return group


class MembersView(ManagedSpaceMixin, View):
    """Participants and their roles, guests and their topics, the designated managers."""

    template_name = "working_groups/members.html"

    def get(self, request, pk):
        group = self.group(request, pk)
        return self.render(request, group)

    def post(self, request, pk):
        group = self.group(request, pk)
        handler = {
            "add": self.add,
            "guest": self.add,
            "role": self.change,
            "remove": self.change,
            "manager": self.managers,
            "unmanager": self.managers,
        }.get(request.POST.get("action"))
        if handler is None:
            messages.error(request, _("Unknown action."))
            return redirect("working_groups:members", pk=group.pk)
        return handler(request, group, request.POST["action"])

    def add(self, request, group, action):
        form = (ParticipantForm if action == "add" else GuestForm)(request.POST, working_group=group)
        if form.is_valid():
            try:
                added = services.add_participant(working_group=group, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(org)s added as %(role)s.")
                    % {"org": added.organization, "role": added.get_role_display().lower()},
                )
                return redirect("working_groups:members", pk=group.pk)
        return self.render(request, group, **{action: form})

    def change(self, request, group, action):
        participation = chosen(
            request.POST,
            "participation",
            Participation.objects.filter(working_group=group).select_related("organization", "working_group"),
        )
        if participation is None:
            raise Http404
        organization = participation.organization
        try:
            if action == "remove":
                services.remove_participant(participation=participation, by=request.user)
                messages.success(request, _("%(org)s no longer takes part.") % {"org": organization})
            else:
                role = request.POST.get("role", "")
                services.change_role(participation=participation, role=role, by=request.user)
                messages.success(request, _("%(org)s: role changed.") % {"org": organization})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("working_groups:members", pk=group.pk)

    def managers(self, request, group, action):
        form = ManagerForm(request.POST, user=request.user)
        if form.is_valid():
            operation = services.designate_manager if action == "manager" else services.withdraw_manager
            try:
                operation(working_group=group, person=form.cleaned_data["person"], by=request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Space managers updated."))
                return redirect("working_groups:members", pk=group.pk)
        return self.render(request, group, manager=form)

    def render(self, request, group, **forms):
        designated = designated_managers(group).order_by("full_name")
        context = {
            "group": group,
            "participants": selectors.participants_of(group, people=0),
            "roles": ROLES,
            "add_form": forms.get("add") or ParticipantForm(working_group=group),
            "guest_form": forms.get("guest") or GuestForm(working_group=group),
            "manager_form": forms.get("manager") or ManagerForm(user=request.user),
            "designated": designated,
        }
        return render(request, self.template_name, context)
