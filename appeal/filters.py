"""The Appeal's filters (django-filter), all in the URL so that every figure of a dashboard can link to the
flows behind it and a search can be shared: each filter parses its value through a form field, and a value
that is not understood is dropped with a message (``core.facets.valid_filters``), never a 500.

A flow "of" an entity, a priority or a pillar is counted exactly as the dashboards count it
(``appeal.selectors``): earmarked to it, or to an appeal project that is under it.
"""

from __future__ import annotations

from functools import partial

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from appeal import selectors
from appeal.models import AppealCycle, AppealProject, Earmark, Flow, FlowTotal, Priority, Stage
from core.facets import valid_filters
from core.forms import SEARCH_LENGTH
from directory.filters import member_state_choices
from directory.models import Organization, Pillar
from projects.models import Project
from projects.reference import GLOBAL, Region

#: ``?stage=funding``: commitments and paid contributions, what FTS counts as funding.
FUNDING = "funding"
STAGES = [*Stage.choices, (FUNDING, _("Funding (commitments and paid contributions)"))]


class _ProjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.project.title


class _ProjectChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ProjectChoice


class FlowFilter(django_filters.FilterSet):
    """The entries of a cycle's ledger, by donor, stage, earmark, appeal project, lead entity, priority,
    pillar and date."""

    donor = django_filters.ModelChoiceFilter(label=_("Donor"), queryset=Organization.objects.order_by("name"))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=STAGES, method="filter_stage")
    earmark = django_filters.ChoiceFilter(label=_("Earmarked to"), choices=Earmark.choices)
    # Set by the links of a project's figures (the search, its page), not chosen in a list of thousands: a
    # hidden field the form keeps, named on the page.
    project = _ProjectChoiceFilter(
        label=_("Appeal project"), field_name="appeal_project", queryset=AppealProject.objects.none(),
        widget=forms.HiddenInput,
    )  # fmt: skip
    entity = django_filters.ModelChoiceFilter(
        label=_("Lead entity"), queryset=Organization.objects.order_by("name"),
        field_name="appeal_project__project__owner",
    )  # fmt: skip
    priority = django_filters.ChoiceFilter(
        label=_("Thematic priority"), choices=Priority.choices, method="filter_priority"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Strategy pillar"), queryset=Pillar.objects.all(), method="filter_pillar"
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Flow
        fields: list[str] = []

    def __init__(self, *args, appeal_projects=None, donors=None, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices a cycle's ledger offers: its appeal projects, its donors and its lead entities, as the
        # reader may see them (a list of every organisation of the registry would be long and mostly idle).
        if appeal_projects is not None:
            self.filters["project"].queryset = appeal_projects.select_related("project")
        if donors is not None:
            self.filters["donor"].queryset = donors.order_by("name")
        if entities is not None:
            self.filters["entity"].queryset = entities.order_by("name")

    def filter_stage(self, queryset, name, value):
        if value == FUNDING:
            return queryset.filter(stage__in=[Stage.COMMITMENT, Stage.PAID])
        return queryset.filter(stage=value)

    def filter_priority(self, queryset, name, value):
        return queryset.filter(Q(priority=value) | Q(appeal_project__priorities__contains=[value]))

    def filter_pillar(self, queryset, name, value):
        links = Project.pillars.through.objects.filter(
            project_id=OuterRef("appeal_project__project_id"), pillar=value
        )
        return queryset.filter(Q(pillar=value) | Exists(links))


class AppealProjectFilter(django_filters.FilterSet):
    """The public search of the 2021–2022 Appeal: by cycle, country, region, thematic priority and
    implementing entity (lead or partner), and words of the title; by lead entity and pillar too, which the
    dashboards' requirement figures link to."""

    q = django_filters.CharFilter(
        label=_("Title"), field_name="project__title", lookup_expr="icontains", max_length=SEARCH_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    cycle = django_filters.ModelChoiceFilter(label=_("Appeal cycle"), queryset=AppealCycle.objects.all())
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=member_state_choices, method="filter_project_key"
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=[*Region.choices, ("global", GLOBAL)], method="filter_project_key"
    )
    priority = django_filters.ChoiceFilter(
        label=_("Thematic priority"), choices=Priority.choices, method="filter_priority"
    )
    entity = django_filters.ModelChoiceFilter(
        label=_("Implementing entity"), queryset=Organization.objects.order_by("name"),
        method="filter_entity",
    )  # fmt: skip
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead entity"), queryset=Organization.objects.order_by("name"), field_name="project__owner"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Strategy pillar"), queryset=Pillar.objects.all(), field_name="project__pillars"
    )

    class Meta:
        model = AppealProject
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # entities that lead or take part in an appeal project the reader may see (the queryset searched)
        found = self.queryset
        leads = Organization.objects.filter(pk__in=found.values("project__owner_id")).order_by("name")
        partners = Project.partners.through.objects.filter(project_id__in=found.values("project_id"))
        self.filters["lead"].queryset = leads
        self.filters["entity"].queryset = Organization.objects.filter(
            Q(pk__in=found.values("project__owner_id")) | Q(pk__in=partners.values("organization_id"))
        ).order_by("name")

    def filter_project_key(self, queryset, name, value: str):
        # the matrix's own index of a project's countries and regions (projects.indexing)
        return queryset.filter(project__facet_keys__contains=[f"{name}:{value}"])

    def filter_priority(self, queryset, name, value):
        return queryset.filter(priorities__contains=[value])

    def filter_entity(self, queryset, name, value):
        """The lead entity or a partner entity of the project: both implement it."""
        partners = Project.partners.through.objects.filter(
            project_id=OuterRef("project_id"), organization=value
        )
        return queryset.filter(Q(project__owner=value) | Exists(partners))


def flows_filtered(request, cycle: AppealCycle, *, warn: bool = True):
    """The query string's flow filters that are understood, the names of those that are not, and the filter
    set over the cycle's entries the reader may see — what the ledger page and its export both read."""
    appeal_projects = AppealProject.objects.visible_to(request.user).filter(cycle=cycle)
    totals = selectors.flow_totals_for(request.user, cycle)
    choices = {
        "appeal_projects": appeal_projects,
        "donors": Organization.objects.filter(pk__in=totals.values("donor_id")),
        "entities": Organization.objects.filter(pk__in=appeal_projects.values("project__owner_id")),
    }
    return valid_filters(
        request,
        partial(FlowFilter, **choices),
        queryset=selectors.flows_for(request.user, cycle),
        warn=warn,
    )


def of_every_stage(filterset: FlowFilter, totals: QuerySet[FlowTotal]) -> QuerySet:
    """The filter set's entries at every stage: a stage narrows the list shown, while its figures (pledged
    not yet committed, committed not yet paid, paid) need every stage of the same donors and earmarks — and
    are then exactly those of the dashboard's row that links here. Without dates, the same filters read the
    ledger's running totals (``totals``: the same donors and earmarks, one row per group); with dates, the
    entries themselves."""
    data = filterset.data.copy()
    data.pop("stage", None)
    dated = data.get("since") or data.get("until")
    choices = {
        "appeal_projects": filterset.filters["project"].queryset,
        "donors": filterset.filters["donor"].queryset,
        "entities": filterset.filters["entity"].queryset,
    }
    return FlowFilter(data, queryset=filterset.queryset if dated else totals, **choices).qs
