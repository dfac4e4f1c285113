"""The recommendations' search filters (django-filter), all in the URL so a list can be shared and bookmarked.
Every facet filter is one containment test on ``Recommendation.facet_keys`` (cted.indexing); the chain
("needs with no project", "with a project but unfunded", "funded") depends on the reader and is applied by
``cted.selectors.in_chain`` before these."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.facets import FacetFilterSet
from core.forms import SEARCH_LENGTH
from cted.models import AssistanceStatus, ImplementationStatus, Recommendation, VisitType
from directory.models import Organization, OrganizationKind, Region
from projects.models import ThematicArea

#: Filter name → key prefix in ``Recommendation.facet_keys``.
FACET_PREFIXES = {
    "state": "state",
    "region": "region",
    "theme": "theme",
    "priority": "priority",
    "assistance": "assistance",
    "implementation": "implementation",
    "entity": "entity",
    "year": "year",
    "visit": "visit",
}


class Chain(models.TextChoices):
    """Where a need stands on the way from recommendation to project to funding, as the reader sees it: the
    projects they may see that answer it, and the Appeal funding of those they may see."""

    NO_PROJECT = "no_project", _("Needs with no project")
    UNFUNDED = "unfunded", _("With a project, not funded")
    FUNDED = "funded", _("Funded")


PRIORITY_CHOICES = [("yes", _("High-priority needs")), ("no", _("Other recommendations"))]


class RecommendationFilter(FacetFilterSet):
    FACET_PREFIXES = FACET_PREFIXES
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=SEARCH_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    state = django_filters.ModelChoiceFilter(
        label=_("Member State"), method="filter_key",
        queryset=Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE),
    )  # fmt: skip
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, method="filter_key")
    theme = django_filters.ModelChoiceFilter(
        label=_("Thematic area"), queryset=ThematicArea.objects.all(), method="filter_key"
    )
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=PRIORITY_CHOICES, method="filter_key")
    assistance = django_filters.ChoiceFilter(
        label=_("Assistance"), choices=AssistanceStatus.choices, method="filter_key"
    )
    implementation = django_filters.ChoiceFilter(
        label=_("Implementation"), choices=ImplementationStatus.choices, method="filter_key"
    )
    entity = django_filters.ModelChoiceFilter(
        label=_("Entity that could deliver"), method="filter_key",
        queryset=Organization.objects.filter(kind=OrganizationKind.COMPACT_ENTITY),
    )  # fmt: skip
    year = django_filters.NumberFilter(
        label=_("Year of the visit"), method="filter_key", min_value=1990, max_value=2100
    )
    visit = django_filters.ChoiceFilter(label=_("Visit type"), choices=VisitType.choices, method="filter_key")
    # Validated here with the others; applied to the rows counted and listed by cted.selectors.in_chain.
    chain = django_filters.ChoiceFilter(label=_("Chain"), choices=Chain.choices, method="filter_nothing")

    class Meta:
        model = Recommendation
        fields: list[str] = []

    #: The facets the search shows with counts, in display order.
    FACETS = (
        "theme",
        "priority",
        "implementation",
        "assistance",
        "region",
        "state",
        "entity",
        "year",
        "visit",
    )

    def filter_nothing(self, queryset, name, value):
        return queryset
