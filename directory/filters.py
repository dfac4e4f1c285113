"""The directory's filters (django-filter), all in the URL so a search can be shared and bookmarked.

Every filter is a containment test on the person's facet keys (``Profile.facet_keys``): a person with two
roles is never listed twice, and no join or DISTINCT is needed.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import (
    WORKING_LANGUAGES,
    MembershipRole,
    Organization,
    OrganizationKind,
    ParticipationRole,
    Pillar,
    User,
    WorkingGroup,
)
from directory.people import MAX_QUERY_LENGTH, facet_key, search
from directory.selectors import organizations_named


def member_state_choices():
    return list(
        Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE)
        .order_by("name")
        .values_list("iso3", "name")
    )


class PeopleFilter(django_filters.FilterSet):
    """Each filter is a facet key the person must carry (``Profile.facet_keys``, see directory.people)."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=_("Type of organisation"), choices=OrganizationKind.choices, method="filter_key"
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organization.objects.filter(is_active=True), method="filter_key"
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working Group"),
        queryset=WorkingGroup.objects.filter(is_active=True),
        method="filter_working_group",
    )
    wg_role = django_filters.ChoiceFilter(
        label=_("Role in the Working Group"), choices=ParticipationRole.choices, method="filter_working_group"
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=MembershipRole.choices, method="filter_key")
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=member_state_choices, method="filter_country"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Expertise: pillar"), queryset=Pillar.objects.all(), method="filter_key"
    )
    tag = django_filters.CharFilter(label=_("Expertise: theme"), method="filter_key", max_length=40)
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=WORKING_LANGUAGES, method="filter_key"
    )

    class Meta:
        model = User
        fields: list[str] = []

    #: The facets whose counts the directory shows, in display order.
    FACETS = (
        "kind",
        "role",
        "working_group",
        "wg_role",
        "pillar",
        "language",
        "country",
        "organization",
        "tag",
    )

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_key(self, queryset, name, value):
        value = getattr(value, "pk", value)
        if name == "tag":
            value = value.strip().lower()
        return queryset.filter(profile__facet_keys__contains=[facet_key(name, value)])

    def filter_country(self, queryset, name, value: str):
        # An ISO 3166 alpha-3 code (the hint tells the API's schema, which cannot read the States' list).
        return self.filter_key(queryset, name, value)

    def filter_working_group(self, queryset, name, value):
        group = self.form.cleaned_data.get("working_group")
        role = self.form.cleaned_data.get("wg_role")
        if name == "wg_role" and group is not None:
            return queryset  # applied once, with the Working Group, by the filter below
        if group is not None and role:
            key = f"wgrole:{group.pk}:{role}"
        elif group is not None:
            key = facet_key("working_group", group.pk)
        else:
            key = facet_key("wg_role", role)
        return queryset.filter(profile__facet_keys__contains=[key])


class OrganizationFilter(django_filters.FilterSet):
    """The organisation list's filters (directory.forms.OrganizationFilterForm) for the API, where a bad
    value is a 400 naming it rather than a filter dropped with a message."""

    q = django_filters.CharFilter(
        label=_("Name, acronym or ISO code"), method="filter_search", max_length=100
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganizationKind.choices)

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        text = value.strip()
        return organizations_named(queryset, text) if text else queryset
