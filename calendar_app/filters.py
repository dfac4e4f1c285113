"""The calendar's filters, kept in the URL: organisation, Working Group, type, country, pillar, attending."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calendar_app.models import Event, EventType
from calendar_app.selectors import attending_rule
from directory.filters import member_state_choices
from directory.models import Organization, Pillar, WorkingGroup


class EventFilter(django_filters.FilterSet):
    """Filters the events of a window (``selectors.window_events``)."""

    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        method="filter_organization",
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working Group"),
        queryset=WorkingGroup.objects.filter(is_active=True),
        field_name="working_group",
    )
    type = django_filters.ChoiceFilter(label=_("Type"), choices=EventType.choices, field_name="event_type")
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=member_state_choices, field_name="country"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Pillar"), queryset=Pillar.objects.all(), method="filter_pillar"
    )
    attending = django_filters.BooleanFilter(
        label=_("Only events I attend"), method="filter_attending", widget=forms.CheckboxInput
    )

    def filter_organization(self, queryset, name, value):
        if not value:
            return queryset
        co_organised = Event.organizations.through.objects.filter(organization=value).values("event_id")
        return queryset.filter(Q(owner=value) | Q(pk__in=co_organised))

    def filter_pillar(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Event.pillars.through.objects.filter(pillar=value).values("event_id"))

    def filter_attending(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(attending_rule(self.request.user))

    @property
    def active(self) -> dict[str, str]:
        """The filters in use, for links that keep them (month ↔ week ↔ agenda)."""
        return {name: self.data[name] for name in self.filters if self.data.get(name)}
