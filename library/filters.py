"""The library's search filters (django-filter), all in the URL so a search can be shared and bookmarked.

Every facet filter is one containment test on ``Resource.facet_keys`` (see library.indexing).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import WORKING_LANGUAGES, Organization, Pillar, WorkingGroup
from library import search
from library.models import Resource, ResourceType

#: Facet name → key prefix in ``Resource.facet_keys``.
FACET_PREFIXES = {
    "type": "type",
    "pillar": "pillar",
    "tag": "tag",
    "working_group": "wg",
    "country": "country",
    "language": "lang",
    "year": "year",
    "organization": "org",
}

SORTS = [
    ("relevance", _("Relevance")),
    ("date", _("Newest first")),
    ("title", _("Title")),
]


def facet_key(facet: str, value) -> str:
    value = getattr(value, "pk", value)
    if facet == "tag":
        value = str(value).strip().lower()
    return f"{FACET_PREFIXES[facet]}:{value}"


class LibraryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        help_text=_('Quotes for a phrase ("border security"), OR between alternatives, a minus to exclude.'),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    type = django_filters.ChoiceFilter(label=_("Type"), choices=ResourceType.choices, method="filter_key")
    pillar = django_filters.ModelChoiceFilter(
        label=_("Strategy pillar"), queryset=Pillar.objects.all(), method="filter_key"
    )
    tag = django_filters.CharFilter(label=_("Theme"), method="filter_key", max_length=50)
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working Group"), queryset=WorkingGroup.objects.all(), method="filter_key"
    )
    # A code, not a choice list: the list of 193 States would be read and copied for every form.
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_key", validators=[RegexValidator(r"^[A-Z]{3}$")]
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=WORKING_LANGUAGES, method="filter_key"
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_key", min_value=1945, max_value=2100)
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organization.objects.all(), method="filter_key"
    )
    added = django_filters.ChoiceFilter(
        label=_("Added"), choices=[("week", _("In the last 7 days"))], method="filter_added"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Resource
        fields: list[str] = []

    #: The facets whose counts the search page shows, in display order.
    FACETS = ("type", "pillar", "working_group", "language", "year", "country", "organization", "tag")

    def filter_search(self, queryset, name, value):
        query = search.clean_query(value)
        return search.search(queryset, query) if query else queryset

    def filter_key(self, queryset, name, value):
        if isinstance(value, float):
            value = int(value)
        return queryset.filter(facet_keys__contains=[facet_key(name, value)])

    def filter_added(self, queryset, name, value):
        return queryset.filter(created_at__gte=timezone.now() - timezone.timedelta(days=7))

    def filter_nothing(self, queryset, name, value):
        return queryset  # the order is applied by library.selectors
