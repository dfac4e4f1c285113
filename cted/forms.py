"""CTED's forms: the Member State's consent and release level; CTED's assessments, report steps, report,
recommendations and the upload of a spreadsheet of them; an offer of assistance. The rules are the services'
(``cted.services``), whose messages the forms show next to the fields they concern; a form parses what is
posted (an unknown id, "²", year 9999 are a field's message)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField
from cted.imports import COLUMNS
from cted.models import ConsentAudience, Recommendation, ReleaseLevel, VisitType
from directory.models import Organization, OrganizationKind
from library.models import Resource
from projects.imports.forms import SpreadsheetFileMixin
from projects.models import Project, ThematicArea


class _Recommendation(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:89]}…"


class _OrganizationLabel:
    def label_from_instance(self, obj) -> str:
        """The name a State's focal point recognises, with the acronym people search by."""
        return f"{obj.name} ({obj.acronym})" if obj.acronym and obj.acronym != obj.name else obj.name


def _active(*kinds):
    """The registry's active organisations of these kinds, by name."""
    return Organization.objects.filter(is_active=True, kind__in=kinds).order_by("name")


class _Organization(_OrganizationLabel, forms.ModelChoiceField):
    pass


class _Organizations(_OrganizationLabel, forms.ModelMultipleChoiceField):
    pass


class ConsentForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Share with"), choices=ConsentAudience.choices, widget=forms.RadioSelect,
        initial=ConsentAudience.ORGANIZATION,
    )  # fmt: skip
    organization = _Organization(
        label=_("Organisation"), required=False,
        queryset=_active(OrganizationKind.COMPACT_ENTITY, OrganizationKind.REGIONAL_ORGANIZATION),
        help_text=_("A Compact entity or a regional organisation, when sharing with one."),
    )  # fmt: skip
    recommendation = _Recommendation(
        label=_("What"), required=False, queryset=Recommendation.objects.none(),
        empty_label=_("The whole assessment, as its release level allows"),
    )  # fmt: skip
    expires_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day of the consent; empty: until you withdraw it."),
    )  # fmt: skip

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = recommendations


class ReleaseForm(forms.Form):
    release_level = forms.ChoiceField(
        label=_("Release level"), choices=ReleaseLevel.choices, widget=forms.RadioSelect
    )


class StatusForm(forms.Form):
    """A status change: the statuses the workflow allows from the current one (cted.services.TRANSITIONS)."""

    to = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Why"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices


class OfferForm(forms.Form):
    """An offer of assistance: on behalf of which of the person's Compact entities, and what."""

    organization = _Organization(label=_("On behalf of"), queryset=Organization.objects.none())
    message = forms.CharField(
        label=_("What your organisation offers"), max_length=3_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The State's focal points and CTED receive it, with your name."),
    )  # fmt: skip

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        first_two = list(organizations[:2])
        if len(first_two) == 1:  # most people belong to one entity: it is theirs, shown, not to choose
            self.fields["organization"].initial = first_two[0]
            self.fields["organization"].disabled = True


class ExportForm(forms.Form):
    """What a download asks for, besides the search's own filters."""

    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False)


class AssessmentForm(forms.Form):
    """CTED records an assessment visit (``cted.services.record_assessment``)."""

    state = _Organization(
        label=_("Member State"),
        queryset=_active(OrganizationKind.MEMBER_STATE),
    )
    visit_type = forms.ChoiceField(label=_("Visit type"), choices=VisitType.choices, widget=forms.RadioSelect)
    visit_start = BoundedDateField(label=_("Visit from"), widget=forms.DateInput(attrs={"type": "date"}))
    visit_end = BoundedDateField(
        label=_("Visit until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty for a desk review or a one-day visit."),
    )  # fmt: skip


class StepForm(forms.Form):
    """The report's next step: only the steps the workflow allows from its stage (cted.services.STEPS)."""

    step = forms.ChoiceField(label=_("Step"), widget=forms.RadioSelect)
    on = BoundedDateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.value, step.label) for step in steps]


class _Resource(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        """The title, and who may read it: the page says which audiences a confidential report may have."""
        return f"{obj.title} — {obj.get_visibility_display()}"


class ReportForm(forms.Form):
    report = _Resource(
        label=_("Confidential report"), queryset=Resource.objects.none(),
        help_text=_(
            "A resource of the library only its owner, or the owner and the organisations it lists, may see."
        ),
    )  # fmt: skip

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = resources
        self.fields["report"].widget.attrs["data-searchable"] = ""  # a library runs to thousands


class _Project(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} — {obj.owner.display_name}"


class RecommendationForm(forms.Form):
    """CTED records or edits a recommendation (``cted.services.add_recommendation``, ``edit_recommendation``):
    the projects offered are only those the editor may see (``selectors.project_choices``), so the id of
    another one is "not one of the available choices", its title never shown."""

    theme = forms.ModelChoiceField(
        label=_("Thematic area"), queryset=ThematicArea.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Recommendation"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_priority = forms.BooleanField(label=_("A high-priority need agreed with the State"), required=False)
    entities = _Organizations(
        label=_("Entities that could deliver"), required=False,
        queryset=_active(OrganizationKind.COMPACT_ENTITY),
    )  # fmt: skip
    projects = _Project(
        label=_("Projects that answer it"), required=False, queryset=Project.objects.none(),
        help_text=_("Linking a first project makes a requested recommendation matched; removing the last, "
                    "requested again."),
    )  # fmt: skip

    def __init__(self, *args, projects, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects.select_related("owner")
        self.fields["projects"].widget.attrs["data-searchable"] = ""  # the matrix runs to thousands
        # the themes offered for new work, and the recommendation's own even if no longer offered
        active = Q(is_active=True) if theme is None else Q(is_active=True) | Q(pk=theme.pk)
        self.fields["theme"].queryset = ThematicArea.objects.filter(active)

    @classmethod
    def initial_of(cls, recommendation: Recommendation, projects) -> dict:
        """The form as the recommendation stands: its links among the projects the editor may see."""
        return {
            "theme": recommendation.theme_id,
            "text": recommendation.text,
            "is_priority": recommendation.is_priority,
            "entities": list(recommendation.entities.all()),
            "projects": list(projects.filter(pk__in=recommendation.projects.values("pk"))),
        }


class RecommendationUploadForm(SpreadsheetFileMixin, forms.Form):
    """The spreadsheet of recommendations, read with ``cted.imports.COLUMNS`` (``self.table``)."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's columns."),
    )

    columns = COLUMNS
