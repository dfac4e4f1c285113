"""The directory's filters (django-filter), all in the URL so a search can be shared and bookmarked.

Filters on memberships and Working Groups are ``pk IN (subquery)`` on the people, never joins: a person
with two roles must not be listed twice, and no DISTINCT is needed.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import (
    WORKING_LANGUAGES,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Participation,
    ParticipationRole,
    Pillar,
    User,
    WorkingGroup,
)
from directory.people import MAX_QUERY_LENGTH, search


def _current_members(**conditions):
    return Membership.objects.filter(
        ended_at__isnull=True, organization__is_active=True, **conditions
    ).values("user_id")


def member_state_choices():
    return list(
        Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE)
        .order_by("name")
        .values_list("iso3", "name")
    )


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=_("Type of organisation"), choices=OrganizationKind.choices, method="filter_kind"
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organization.objects.filter(is_active=True),
        method="filter_organization",
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working Group"),
        queryset=WorkingGroup.objects.filter(is_active=True),
        method="filter_working_group",
    )
    wg_role = django_filters.ChoiceFilter(
        label=_("Role in the Working Group"), choices=ParticipationRole.choices, method="filter_wg_role"
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=MembershipRole.choices, method="filter_role")
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=member_state_choices, field_name="profile__country"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Expertise: pillar"), queryset=Pillar.objects.all(), field_name="profile__expertise_pillars"
    )
    tag = django_filters.CharFilter(label=_("Expertise: theme"), method="filter_tag", max_length=40)
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=WORKING_LANGUAGES, method="filter_language"
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

    def filter_kind(self, queryset, name, value):
        return queryset.filter(pk__in=_current_members(organization__kind=value))

    def filter_organization(self, queryset, name, value):
        return queryset.filter(pk__in=_current_members(organization=value))

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=_current_members(role=value))

    def _participations(self):
        participations = Participation.objects.all()
        group = self.form.cleaned_data.get("working_group")
        if group is not None:
            participations = participations.filter(working_group=group)
        role = self.form.cleaned_data.get("wg_role")
        if role:
            participations = participations.filter(role=role)
        return participations.values("organization_id")

    def filter_working_group(self, queryset, name, value):
        return queryset.filter(pk__in=_current_members(organization__in=self._participations()))

    def filter_wg_role(self, queryset, name, value):
        if self.form.cleaned_data.get("working_group") is not None:
            return queryset  # applied together with the Working Group
        return queryset.filter(pk__in=_current_members(organization__in=self._participations()))

    def filter_tag(self, queryset, name, value):
        return queryset.filter(profile__expertise_tags__contains=[value.strip().lower()])

    def filter_language(self, queryset, name, value):
        return queryset.filter(profile__languages__contains=[value])
