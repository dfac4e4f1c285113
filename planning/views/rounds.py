"""Prioritisation rounds: opened and closed by those who run the space, followed by everyone in it, scored
by member organisations (one final ballot each)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_error
from planning import rules, selectors, services
from planning.forms import BallotForm, RoundForm
from planning.models import Activity, PrioritisationRound, RoundState
from planning.views.shared import messages_of, working_group_of


class RoundMixin(LoginRequiredMixin):
    """A round is seen by everyone in its group's space (and its managers); for anyone else it is a 404,
    the same as a round that does not exist."""

    def get_round(self, request, pk) -> PrioritisationRound:
        round_ = get_object_or_404(
            PrioritisationRound.objects.select_related("working_group", "opened_by"), pk=pk
        )
        if not rules.can_follow_rounds(request.user, round_.working_group):
            raise Http404
        return round_


class RoundCreateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.group = working_group_of(kwargs["wg"])
            if not rules.can_manage_workplan(request.user, self.group):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, form):
        return render(request, "planning/round_form.html", {"form": form, "working_group": self.group})

    def get(self, request, wg):
        pending = selectors.current_round(self.group)
        if pending is not None:
            messages.warning(
                request,
                _("“%(title)s” is not closed yet: close it before opening another round.")
                % {"title": pending.title},
            )
        return self.render(request, RoundForm(working_group=self.group))

    def post(self, request, wg):
        form = RoundForm(request.POST, working_group=self.group)
        if form.is_valid():
            try:
                round_ = services.open_round(form=form, by=request.user, working_group=self.group)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Prioritisation round opened."))
                return redirect(round_)
        return self.render(request, form)


class RoundDetailView(RoundMixin, View):
    def get(self, request, pk):
        round_ = self.get_round(request, pk)
        group = round_.working_group
        state = round_.state()
        voting_ids = rules.voting_organization_ids(request.user, group)
        ballots = selectors.ballots_of(round_)
        voted_ids = {ballot.organization_id for ballot in ballots}
        context = {
            "round": round_,
            "working_group": group,
            "state": state,
            "states": RoundState,
            "ballots": ballots,
            "may_manage": rules.can_manage_workplan(request.user, group),
            "is_voter": bool(voting_ids),
            "may_vote": state == RoundState.OPEN and bool(set(voting_ids) - voted_ids),
            "own_ballots": [ballot for ballot in ballots if ballot.organization_id in voting_ids],
            # Observers and guests follow the round, but never read members-only activities through it.
            "activities": list(
                Activity.objects.visible_to(request.user)
                .filter(pk__in=round_.activities.values("pk"))
                .select_related("lead_organization")
                .order_by("start", "pk")
            ),
        }
        if state == RoundState.CLOSED:
            visible = {activity.pk for activity in context["activities"]}
            context["results"] = [
                result for result in selectors.results(round_) if result.activity.pk in visible
            ]
        return render(request, "planning/round_detail.html", context)


class BallotView(RoundMixin, View):
    """A member organisation's scores. Observers and guests follow the round but do not vote (403)."""

    def setup_round(self, request, pk):
        self.round = self.get_round(request, pk)
        self.voting_ids = rules.voting_organization_ids(request.user, self.round.working_group)
        if not self.voting_ids:
            raise PermissionDenied
        self.activities = list(
            Activity.objects.visible_to(request.user)
            .filter(pk__in=self.round.activities.values("pk"))
            .select_related("lead_organization")
            .order_by("start", "pk")
        )

    def render(self, request, form, status=200):
        context = {"round": self.round, "working_group": self.round.working_group, "form": form}
        return render(request, "planning/ballot_form.html", context, status=status)

    def refusal(self, request, message: str):
        messages.error(request, message)
        return redirect(self.round)

    def form(self, data=None):
        return BallotForm(data, activities=self.activities, organization_ids=self.voting_ids)

    def get(self, request, pk):
        self.setup_round(request, pk)
        state = self.round.state()
        if state != RoundState.OPEN:
            return self.refusal(request, _("This round is not open for scores."))
        if len(self.voting_ids) == 1:
            existing = selectors.ballot_of(self.round, self.voting_ids)
            if existing is not None:
                return self.refusal(
                    request, services.already_submitted_message(existing, existing.organization)
                )
        return self.render(request, self.form())

    def post(self, request, pk):
        self.setup_round(request, pk)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            services.submit_ballot(
                round_=self.round,
                organization=form.cleaned_data["organization"],
                scores=form.scores(),
                by=request.user,
            )
        except ValidationError as error:
            for message in messages_of(error):
                messages.error(request, message)
            return redirect(self.round)
        messages.success(request, _("Your organisation's scores were submitted. Thank you."))
        return redirect(self.round)


class RoundCloseView(LoginRequiredMixin, View):
    """POST only: close the round and write the priorities (space managers; 403 for anyone else)."""

    def post(self, request, pk):
        round_ = get_object_or_404(PrioritisationRound.objects.select_related("working_group"), pk=pk)
        if not rules.can_follow_rounds(request.user, round_.working_group):
            raise Http404
        if not rules.can_manage_workplan(request.user, round_.working_group):
            raise PermissionDenied
        try:
            services.close_round(round_=round_, by=request.user)
        except ValidationError as error:
            for message in messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Round closed: the workplan's priorities follow its results."))
        return redirect(round_)
