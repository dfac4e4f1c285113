from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField, StyledFormMixin, TagListField
from directory.access import Visibility
from directory.filters import member_state_choices
from directory.forms import AudienceFormMixin
from directory.models import Membership, Organization, Pillar, User, WorkingGroup
from library.forms import LibraryLinksMixin
from projects.models import OverlapVerdict, Project, ProjectOverlap, ThematicArea
from projects.reference import SDG_TARGET, Region


class SdgTargetsField(TagListField):
    """SDG targets typed as one line ("16.1, 16.4, 16.a"), each checked against the goals' numbering."""

    def validate(self, value):
        super().validate(value)
        wrong = [target for target in value if not SDG_TARGET.match(target)]
        if wrong:
            raise forms.ValidationError(
                _("Not an SDG target: %(targets)s. Write the goal, a dot and the target, e.g. 16.1 or 16.a.")
                % {"targets": ", ".join(wrong)}
            )


class ProjectForm(LibraryLinksMixin, AudienceFormMixin, StyledFormMixin, forms.ModelForm):
    """A project's description, classification, budget and audience. Its owner organisation is its lead
    entity; the focal point is one of that entity's people."""

    # The matrix is for coordination: a new project is for everyone signed in unless its lead says otherwise.
    default_visibility = Visibility.PLATFORM

    start = BoundedDateField(label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = BoundedDateField(label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rate_date = BoundedDateField(
        label=_("Date of the rate"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    countries = forms.MultipleChoiceField(
        label=_("Beneficiary countries"), required=False, choices=(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    regions = forms.MultipleChoiceField(
        label=_("Beneficiary regions"), required=False, choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    sdg_targets = SdgTargetsField(
        label=_("SDG targets"), required=False, max_tags=20, max_tag_length=5,
        help_text=_("Separated by commas, e.g. 16.1, 16.4, 16.a."),
    )  # fmt: skip

    class Meta:
        model = Project
        fields = [
            "title", "code", "iati_identifier", "status", "start", "end", "description", "expected_results",
            "partners", "implementing_partners", "pillars", "working_groups", "themes", "countries",
            "regions", "is_global", "sdg_targets", "budget", "currency", "usd_rate", "rate_date", "donors",
            "focal_point", *AudienceFormMixin.audience_fields,
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "pillars": forms.CheckboxSelectMultiple,
            "working_groups": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "donors": forms.SelectMultiple(attrs={"size": 6}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }
        labels = {"owner": _("Lead entity")}
        help_texts = {
            "usd_rate": _("For a budget in another currency: what one unit was worth in US dollars."),
            "working_group": _("The group whose space the project belongs to, if its audience is one."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_audience_choices(user)
        self.fields["owner"].label = _("Lead entity")
        self.fields["countries"].choices = member_state_choices()
        self.fields["pillars"].queryset = Pillar.objects.order_by("number")
        self.fields["working_groups"].queryset = WorkingGroup.objects.filter(is_active=True).order_by(
            "number"
        )
        themes = ThematicArea.objects.filter(is_active=True)
        if self.instance.pk:
            themes = themes | ThematicArea.objects.filter(pk__in=self.instance.themes.all())  # keep its own
        self.fields["themes"].queryset = themes.distinct().order_by("name")
        active = Organization.objects.filter(is_active=True)
        self.fields["partners"].queryset = active
        self.fields["donors"].queryset = active
        # The focal point is one of the lead entity's people: those of the organisations offered as lead.
        leads = self.fields["owner"].queryset
        self.fields["focal_point"].queryset = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(organization__in=leads, ended_at__isnull=True).values("user_id"),
        ).order_by("full_name")
        self.add_attachments_field(
            user, self.instance.resources.all() if self.instance.pk else (),
            label=_("Related library resources"),
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        self.clean_audience(cleaned)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        if cleaned.get("currency") == "USD":
            cleaned["usd_rate"] = cleaned["rate_date"] = None
        elif cleaned.get("budget") is not None:
            if cleaned.get("usd_rate") is None and "usd_rate" not in self.errors:
                self.add_error("usd_rate", _("Give the rate to US dollars, so that budgets can be added up."))
            if cleaned.get("rate_date") is None and "rate_date" not in self.errors:
                self.add_error("rate_date", _("Give the date of the rate."))
        if cleaned.get("usd_rate") is not None and cleaned["usd_rate"] <= 0:
            self.add_error("usd_rate", _("A rate is more than zero."))
        focal_point, lead = cleaned.get("focal_point"), cleaned.get("owner")
        if focal_point and lead and not Membership.objects.filter(
            user=focal_point, organization=lead, ended_at__isnull=True
        ).exists():  # fmt: skip
            self.add_error("focal_point", _("The focal point is one of the lead entity's people."))
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.resources.set(self.attachments)


class OverlapVerdictForm(StyledFormMixin, forms.ModelForm):
    """A lead's verdict on a possible overlap; a pair marked coordinated or not an overlap says why."""

    class Meta:
        model = ProjectOverlap
        fields = ["verdict", "note"]
        widgets = {"verdict": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": _("What was agreed, or why the two projects do not duplicate each other.")}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("verdict") not in (None, OverlapVerdict.POSSIBLE)
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", _("Say in a few words what was agreed or why this is not an overlap."))
        return cleaned
