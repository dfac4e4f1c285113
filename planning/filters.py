"""The workplans' filters (django-filter), for the API's list of activities: the group (a workplan), the
status (as the workplan page's own filter), the lead organisation and the pillar. Each narrows what
``planning.selectors.activities_for`` gives the reader; none widens it."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, Pillar, WorkingGroup
from planning.models import Activity, ActivityStatus


class ActivityFilter(django_filters.FilterSet):
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working Group"), queryset=WorkingGroup.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActivityStatus.choices)
    lead_organization = django_filters.ModelChoiceFilter(
        label=_("lead organisation"), queryset=Organization.objects.all()
    )
    pillar = django_filters.ModelChoiceFilter(label=_("pillar"), queryset=Pillar.objects.all())

    class Meta:
        model = Activity
        fields = ["working_group", "status", "lead_organization", "pillar"]
