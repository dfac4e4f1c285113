"""The discussions list's filter (django-filter): the Working Group the page's list is narrowed to."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from directory.models import WorkingGroup
from discussions.models import Thread


class ThreadFilter(django_filters.FilterSet):
    """``?working_group=<id>``, as on the discussions page; an id that is not a Working Group's is refused
    (the API answers 400 naming the field), never ignored."""

    working_group = django_filters.ModelChoiceFilter(
        queryset=WorkingGroup.objects.all(), label=_("Working Group")
    )

    class Meta:
        model = Thread
        fields = ["working_group"]
