"""The joint planning API (read only): the activities of the Working Groups' workplans a token's person may
read, through ``planning.selectors`` (``Activity.objects.visible_to``): most are for a group's space, so
someone outside it reads only what is shared wider."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from api.serializers import AudienceSerializer, OrganizationRef, PillarRef
from api.viewsets import ReadViewSet
from directory.models import Organization
from planning import selectors
from planning.filters import ActivityFilter
from planning.models import Activity, ActivityStatus


class ActivitySerializer(AudienceSerializer):
    """An activity as the workplan and its page show it: the group (``working_group``), dates, status,
    priority (1 is the highest; null when not prioritised), lead and contributing organisations."""

    status = serializers.ChoiceField(choices=ActivityStatus.choices, read_only=True)
    lead_organization = OrganizationRef(read_only=True)
    contributing_organizations = OrganizationRef(many=True, read_only=True)
    pillar = PillarRef(read_only=True, allow_null=True)
    countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id", "title", "description", "status", "priority", "start", "end", "lead_organization",
            "contributing_organizations", "pillar", "countries", *AudienceSerializer.AUDIENCE_FIELDS,
            "created_at", "updated_at", "web_url",
        )  # fmt: skip


@extend_schema(tags=["planning"])
class ActivityViewSet(ReadViewSet):
    """The workplans' activities the caller may read, by start date; filter by Working Group (one group's
    workplan), status, lead organisation and pillar."""

    module = "planning"
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering = ("start", "pk")

    def get_queryset(self):
        # the workplan page's prefetch of the contributors (planning.selectors.workplan), by acronym
        contributors = Organization.objects.order_by("acronym", "name")
        return (
            selectors.activities_for(self.request.user)
            .select_related("owner")
            .prefetch_related(Prefetch("contributing_organizations", queryset=contributors))
        )


ROUTES = [("planning/activities", ActivityViewSet, "planning-activity")]
