from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from directory.access import viewer
from directory.filters import member_state_choices
from directory.forms import AudienceFormMixin
from directory.models import Organization, Participation, Pillar, WorkingGroup
from planning.models import (
    MAX_SCORE,
    MIN_SCORE,
    PLAN_VISIBILITIES,
    RANKABLE_STATUSES,
    Activity,
    PrioritisationRound,
    ProgressReport,
    ReportingPeriod,
)


class ActivityForm(AudienceFormMixin, StyledFormMixin, forms.ModelForm):
    """An activity of a Working Group's workplan (the group comes from the page, never from the form)."""

    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, choices=(), widget=forms.SelectMultiple(attrs={"size": 6})
    )

    class Meta:
        model = Activity
        fields = [
            "title", "description", "lead_organization", "contributing_organizations", "pillar", "countries",
            "start", "end", "status", "priority", "owner", "visibility", "audience_organizations",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "contributing_organizations": forms.SelectMultiple(attrs={"size": 6}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "priority": _(
                "1 is the highest. Closing a prioritisation round sets it from the members' scores."
            ),
            "owner": _("The organisation recording the activity; its people may edit it, as may the lead's."),
        }

    def __init__(self, *args, user, working_group: WorkingGroup, may_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.working_group = working_group
        who = viewer(user)
        organization_ids = set(who.organization_ids if who else ())
        participants = Participation.objects.filter(working_group=working_group).values("organization_id")
        # Lead and contributors take part in the group; the lead may also be the recording organisation.
        self.fields["lead_organization"].queryset = Organization.objects.filter(is_active=True).filter(
            pk__in=participants
        ) | Organization.objects.filter(pk__in=organization_ids)
        self.fields["contributing_organizations"].queryset = Organization.objects.filter(
            is_active=True, pk__in=participants
        )
        self.fields["contributing_organizations"].required = False
        self.fields["pillar"].queryset = Pillar.objects.order_by("number")
        self.fields["countries"].choices = member_state_choices()
        self.fields["visibility"].choices = [(v.value, v.label) for v in PLAN_VISIBILITIES]
        # A lead organisation or a space manager edits the text without taking the activity over or
        # changing who sees it.
        self.limit_audience_choices(user)
        if not self.instance.pk:
            self.fields["visibility"].initial = PLAN_VISIBILITIES[2]  # working_group
        if not may_manage:
            # Priorities come from rounds or from the space's managers.
            del self.fields["priority"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                _("The activity cannot end before it starts: choose an end on or after %(start)s.")
                % {"start": start.isoformat()},
            )
        self.clean_audience(cleaned, working_group=self.working_group)
        lead = cleaned.get("lead_organization")
        contributors = cleaned.get("contributing_organizations")
        if lead and contributors and lead in contributors:
            cleaned["contributing_organizations"] = [org for org in contributors if org != lead]
        self.instance.working_group = self.working_group
        return cleaned


class RoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PrioritisationRound
        fields = ["title", "instructions", "opens_at", "closes_at", "activities"]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 3}),
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "activities": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "activities": _("Proposed and planned activities of the group; members score each from 1 to 5."),
        }

    def __init__(self, *args, working_group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = Activity.objects.filter(
            working_group=working_group, status__in=RANKABLE_STATUSES
        ).order_by("start", "pk")
        self.fields["activities"].label_from_instance = lambda activity: activity.title
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now)
            self.initial.setdefault("closes_at", now + timezone.timedelta(days=14))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The round must close after it opens."))
        elif closes and closes <= timezone.now():
            self.add_error("closes_at", _("The closing time has already passed: choose a later one."))
        activities = cleaned.get("activities")
        if activities is not None and len(activities) < 2:
            self.add_error("activities", _("Choose at least two activities to rank."))
        return cleaned


SCORE_CHOICES = [("", _("No opinion"))] + [(str(n), str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)]


class BallotForm(StyledFormMixin, forms.Form):
    """One score (1–5, or no opinion) per activity of the round, for one of the user's member
    organisations."""

    organization = forms.ModelChoiceField(label=_("Voting for"), queryset=Organization.objects.none())

    def __init__(self, *args, activities, organization_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = list(activities)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=organization_ids).order_by(
            "name"
        )
        self.fields["organization"].empty_label = None
        for activity in self.activities:
            self.fields[f"score_{activity.pk}"] = forms.TypedChoiceField(
                label=activity.title,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("1 = low priority, 5 = top priority."),
            )

    def scores(self) -> dict[int, int]:
        return {
            activity.pk: self.cleaned_data[f"score_{activity.pk}"]
            for activity in self.activities
            if self.cleaned_data.get(f"score_{activity.pk}") is not None
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.scores():
            raise forms.ValidationError(_("Score at least one activity before submitting."))
        return cleaned


class PeriodForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["name", "start", "end", "due"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "due": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end, due = cleaned.get("start"), cleaned.get("end"), cleaned.get("due")
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        if start and due and due < start:
            self.add_error("due", _("Reports cannot be due before the period starts."))
        return cleaned


class ReportForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["achievements", "challenges", "next_steps"]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 8}),
            "challenges": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "achievements": _("What the group achieved in the period: results, products, joint initiatives."),
            "challenges": _("What slowed the group down, and what it needs."),
            "next_steps": _("What the group plans for the next period."),
        }
