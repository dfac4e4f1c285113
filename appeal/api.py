"""The Multi-Year Appeal's API, read only: the appeal cycles with their coverage, and the appeal projects with
their requirements by year and their funding — every figure computed by the Appeal's selectors from what the
caller may see (``appeal.access``: unpublished appeal projects, other donors' pledges stay out of it)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from api.serializers import OrganizationRef
from api.viewsets import ReadViewSet
from appeal import selectors
from appeal.filters import AppealProjectFilter
from appeal.models import AppealCycle, AppealProject, Priority, Requirement


def _usd(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False, **kwargs)


class FiguresSerializer(serializers.Serializer):
    """Requirements, pledges, commitments, payments, funding (commitments and payments) and coverage (funding
    ÷ requirements, in per cent) in US dollars, from what the caller may see (appeal.selectors)."""

    requirements = _usd(allow_null=True)
    pledged = _usd(help_text="Pledged, not yet committed (seen by the donor's people and the Secretariat).")
    committed = _usd(help_text="Committed, not yet paid.")
    paid = _usd()
    funding = _usd()
    coverage = serializers.DecimalField(
        max_digits=7, decimal_places=1, coerce_to_string=False, allow_null=True, help_text="In per cent."
    )
    unfunded = _usd(allow_null=True)


class CycleRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CycleSerializer(serializers.ModelSerializer):
    """An appeal cycle, with the total of its coverage dashboard."""

    # whether it is open rather than its status: projects' "status" is the API's status enum
    is_open = serializers.BooleanField(read_only=True, help_text="Open: appeal projects and flows are added.")
    figures = FiguresSerializer(read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = AppealCycle
        fields = ("id", "name", "first_year", "last_year", "is_open", "opened_at", "closed_at", "figures",
                  "web_url")  # fmt: skip

    def get_web_url(self, cycle) -> str:
        return reverse("appeal:cycle", args=[cycle.pk])


class RequirementSerializer(serializers.ModelSerializer):
    amount_usd = _usd(read_only=True)

    class Meta:
        model = Requirement
        fields = ("year", "amount_usd")


class AppealProjectSerializer(serializers.ModelSerializer):
    """An appeal project as the Appeal's search and its page show it: its project's title and lead entity,
    whether it is joint (the project has partner entities), its priorities, whom it is for, its requirements
    by year and its figures. ``project`` is the id of its page in the matrix, null for a caller who may not
    read that project (the Appeal's page does not link it either)."""

    title = serializers.CharField(source="project.title", read_only=True)
    project = serializers.SerializerMethodField()
    cycle = CycleRef(read_only=True)
    lead = OrganizationRef(source="project.owner", read_only=True)
    joint = serializers.BooleanField(read_only=True)
    priorities = serializers.ListField(
        child=serializers.ChoiceField(choices=Priority.choices), read_only=True
    )
    beneficiaries = serializers.ListField(source="where", child=serializers.CharField(), read_only=True)
    requirements = RequirementSerializer(source="readable_requirements", many=True, read_only=True)
    figures = FiguresSerializer(read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = AppealProject
        fields = (
            "id", "title", "project", "cycle", "lead", "joint", "priorities", "is_published", "is_public",
            "beneficiaries", "requirements", "figures", "added_at", "web_url",
        )  # fmt: skip

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_project(self, appealed) -> int | None:
        return appealed.project_id if appealed.project_readable else None

    def get_web_url(self, appealed) -> str:
        return reverse("appeal:project", args=[appealed.pk])


@extend_schema(tags=["appeal"])
class CycleViewSet(ReadViewSet):
    """The appeal cycles, newest first, each with its requirements, pledges, funding and coverage as the
    caller may see them (the total of the cycle's dashboard)."""

    module = "appeal"
    serializer_class = CycleSerializer
    ordering = ("-first_year", "-pk")

    def get_queryset(self):
        return selectors.cycles_for(self.request.user)

    def prepare_rows(self, rows):
        return selectors.with_cycle_figures(self.request.user, rows)


@extend_schema(tags=["appeal"])
class AppealProjectViewSet(ReadViewSet):
    """The appeal projects the caller may see, with the filters of the Appeal's search (cycle, country,
    region, thematic priority, implementing entity, lead entity, pillar, words of the title)."""

    module = "appeal"
    serializer_class = AppealProjectSerializer
    filterset_class = AppealProjectFilter
    ordering = ("-pk",)  # newest added first, by the primary key's index (see projects.api)

    def get_queryset(self):
        user = self.request.user
        requirements = Requirement.objects.visible_to(user).order_by("year")
        return selectors.appeal_projects_found(user).prefetch_related(
            Prefetch("requirements", queryset=requirements, to_attr="readable_requirements")
        )

    def prepare_rows(self, rows):
        return selectors.with_appeal_figures(self.request.user, rows)


ROUTES = [
    ("appeal/cycles", CycleViewSet, "appeal-cycle"),
    ("appeal/projects", AppealProjectViewSet, "appeal-project"),
]
