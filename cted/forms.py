"""CTED's forms: the Member State's consent form (the rules of consent are the service's,
``cted.services.grant_consent``, whose messages the form shows next to the fields they concern), the release
level, a status change, and the upload of a spreadsheet of recommendations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cted.imports import COLUMNS
from cted.models import ConsentAudience, Recommendation, ReleaseLevel
from directory.models import Organization, OrganizationKind
from projects.imports.forms import SpreadsheetFileMixin


class _Recommendation(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:89]}…"


class _Organization(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        """The name a State's focal point recognises, with the acronym people search by."""
        return f"{obj.name} ({obj.acronym})" if obj.acronym and obj.acronym != obj.name else obj.name


class ConsentForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Share with"), choices=ConsentAudience.choices, widget=forms.RadioSelect,
        initial=ConsentAudience.ORGANIZATION,
    )  # fmt: skip
    organization = _Organization(
        label=_("Organisation"), required=False,
        queryset=Organization.objects.filter(
            is_active=True, kind__in=[OrganizationKind.COMPACT_ENTITY, OrganizationKind.REGIONAL_ORGANIZATION]
        ).order_by("name"),
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


class RecommendationUploadForm(SpreadsheetFileMixin, forms.Form):
    """The spreadsheet of recommendations, read with ``cted.imports.COLUMNS`` (``self.table``)."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's columns."),
    )

    columns = COLUMNS
