"""The project list's filters (django-filter), all in the URL so a list can be shared and bookmarked. Every
facet filter is one containment test on ``Project.facet_keys`` (see projects.indexing)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.facets import FacetFilterSet
from core.forms import SEARCH_LENGTH
from directory.filters import member_state_choices
from directory.models import Organization, OrganizationKind, Pillar, WorkingGroup
from projects.models import OverlapVerdict, Project, ProjectOverlap, ProjectStatus, ThematicArea
from projects.reference import GLOBAL, SDG_TARGET, Region

#: Filter name → key prefix in ``Project.facet_keys``.
FACET_PREFIXES = {
    "lead": "lead",
    "pillar": "pillar",
    "working_group": "wg",
    "theme": "theme",
    "country": "country",
    "region": "region",
    "status": "status",
    "year": "year",
    "donor": "donor",
    "sdg": "sdg",
}


class ProjectFilter(FacetFilterSet):
    FACET_PREFIXES = FACET_PREFIXES
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=SEARCH_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead entity"), queryset=Organization.objects.all(), method="filter_key"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Strategy pillar"), queryset=Pillar.objects.all(), method="filter_key"
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working Group"), queryset=WorkingGroup.objects.all(), method="filter_key"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=ThematicArea.objects.all(), method="filter_key"
    )
    # A code, not a choice list: the list of 193 States would be read and copied for every form.
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_key", validators=[RegexValidator(r"^[A-Z]{3}$")]
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=[*Region.choices, ("global", GLOBAL)], method="filter_key"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, method="filter_key"
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_key", min_value=1945, max_value=2100)
    donor = django_filters.ModelChoiceFilter(
        label=_("Donor"), queryset=Organization.objects.all(), method="filter_key"
    )
    sdg = django_filters.CharFilter(
        label=_("SDG target"), method="filter_key", validators=[RegexValidator(SDG_TARGET)]
    )

    class Meta:
        model = Project
        fields: list[str] = []

    #: The facets the list shows with counts, in display order.
    FACETS = (
        "lead",
        "status",
        "pillar",
        "theme",
        "working_group",
        "region",
        "country",
        "year",
        "donor",
        "sdg",
    )


class OverlapFilter(django_filters.FilterSet):
    """The overlap report's filters: a verdict, one of the two lead entities, a theme or a country both
    projects have."""

    verdict = django_filters.ChoiceFilter(label=_("Verdict"), choices=OverlapVerdict.choices)
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead entity"), method="filter_lead",
        queryset=Organization.objects.filter(kind=OrganizationKind.COMPACT_ENTITY).order_by("name"),
    )  # fmt: skip
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=ThematicArea.objects.all(), method="filter_both"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=member_state_choices, method="filter_both"
    )

    class Meta:
        model = ProjectOverlap
        fields: list[str] = []

    def filter_lead(self, queryset, name, value):
        return queryset.filter(Q(first__owner=value) | Q(second__owner=value))

    def filter_both(self, queryset, name, value):
        key = [f"{FACET_PREFIXES[name]}:{getattr(value, 'pk', value)}"]
        return queryset.filter(first__facet_keys__contains=key, second__facet_keys__contains=key)
