"""The projects' API: the matrix of projects (read, add, edit) through the projects' own selectors, form
and service — what a token reads of a project is what its person reads on the project's page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from api.schema import form_serializer
from api.serializers import (
    AudienceSerializer,
    OrganizationRef,
    PersonRef,
    PillarRef,
    ThemeRef,
    WorkingGroupRef,
)
from api.viewsets import FormWrites, ReadViewSet
from projects import selectors, services
from projects.filters import ProjectFilter
from projects.forms import ProjectForm
from projects.models import Project, ProjectStatus
from projects.reference import CURRENCIES, Region


class ResourceRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=False, read_only=True, allow_null=True, **kwargs
    )


class ProjectSerializer(AudienceSerializer):
    """A project as its page shows it: classification, beneficiaries, budget in its currency and in US
    dollars at the recorded rate, and the related library resources the reader may see (others are not
    mentioned, as on the page)."""

    status = serializers.ChoiceField(choices=ProjectStatus.choices, read_only=True)
    partners = OrganizationRef(many=True, read_only=True)
    donors = OrganizationRef(many=True, read_only=True)
    pillars = PillarRef(many=True, read_only=True)
    working_groups = WorkingGroupRef(many=True, read_only=True)
    themes = ThemeRef(many=True, read_only=True)
    countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    regions = serializers.ListField(child=serializers.ChoiceField(choices=Region.choices), read_only=True)
    beneficiaries = serializers.SerializerMethodField(help_text="Whom it is for, as people read it.")
    sdg_targets = serializers.ListField(child=serializers.CharField(), read_only=True)
    budget = _money()
    currency = serializers.ChoiceField(choices=CURRENCIES, read_only=True)
    usd_rate = serializers.DecimalField(
        max_digits=18, decimal_places=8, coerce_to_string=False, read_only=True, allow_null=True
    )
    budget_usd = _money(help_text="The budget in US dollars at the recorded rate.")
    focal_point = PersonRef(read_only=True, allow_null=True)
    resources = ResourceRef(source="readable_resources", many=True, read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Project
        fields = (
            "id", "title", "code", "iati_identifier", "status", "start", "end", "description",
            "expected_results", "partners", "implementing_partners", "pillars", "working_groups", "themes",
            "countries", "regions", "is_global", "beneficiaries", "sdg_targets", "budget", "currency",
            "usd_rate", "rate_date", "budget_usd", "donors", "focal_point",
            *AudienceSerializer.AUDIENCE_FIELDS, "created_at", "updated_at", "resources", "web_url",
        )  # fmt: skip

    def get_beneficiaries(self, project) -> list[str]:
        return selectors.beneficiaries(project)  # the registry's cached names: no query per row


ProjectBody = form_serializer(ProjectForm, "ProjectBody")


@extend_schema(tags=["projects"])
class ProjectViewSet(FormWrites, ReadViewSet):
    """The projects the caller may read, with the list's search (``q``) and filters (lead entity, pillar,
    theme, Working Group, country, region, status, year, donor, SDG target). Adding and editing one goes
    through the project form and service of the pages (its lead entity's people, or a "change" grant for its
    description and figures). The pages have no deletion of a project, so neither has the API."""

    module = "projects"
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    # Newest added first, by the primary key (the order of addition): its index gives a page without sorting
    # every readable project (36 ms at 20,000 projects by the date, which has no index).
    ordering = ("-pk",)
    form_class = ProjectForm

    def get_queryset(self):
        return (
            selectors.projects_for(self.request.user)
            .select_related("working_group", "focal_point")
            .prefetch_related(*selectors.PROJECT_RELATIONS)
            .defer("search_vector", "facet_keys", "overlap_keys")
        )

    def prepare_rows(self, rows):
        return selectors.with_related_resources(self.request.user, rows)

    def save(self, form, *, by):
        return services.save_project(form=form, by=by)

    @extend_schema(request=ProjectBody)
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=ProjectBody)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=ProjectBody)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


ROUTES = [("projects", ProjectViewSet, "projects-project")]
