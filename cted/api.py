"""CTED's API (read only): the assessments and the recommendations a token's person may read — confidential
by default, so every row comes from ``visible_to`` (cted.access: the State's people, CTED's, and whoever an
active consent names). A consent withdrawn or expired stops the reads at the next request, as on the pages.
"""

from __future__ import annotations

from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from api.serializers import OrganizationRef, ThemeRef
from api.viewsets import ReadViewSet
from cted import selectors
from cted.filters import RecommendationFilter
from cted.models import (
    Assessment,
    AssistanceStatus,
    ConsentAudience,
    ConsentGrant,
    DeadlineKind,
    ImplementationStatus,
    Recommendation,
    ReleaseLevel,
    ReportStage,
    VisitType,
)


class DeadlineSerializer(serializers.Serializer):
    """A date the State owes CTED something (the comments on the draft, the report on steps taken)."""

    kind = serializers.ChoiceField(choices=DeadlineKind.choices, read_only=True)
    due = serializers.DateField(read_only=True)
    received = serializers.DateField(read_only=True, allow_null=True)
    awaited = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)


class ConsentSerializer(serializers.ModelSerializer):
    """A consent given on the assessment (or one of its recommendations), as its page lists it."""

    audience = serializers.ChoiceField(choices=ConsentAudience.choices, read_only=True)
    organization = OrganizationRef(read_only=True, allow_null=True)
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = ConsentGrant
        fields = (
            "id", "recommendation", "audience", "organization", "granted_at", "expires_on", "revoked_at",
            "in_force",
        )  # fmt: skip


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment: its visit, its report's steps and the State's deadlines; the report's id in the library
    if the reader may read it there (else null); the consents given on it, for its State's people and CTED
    (an empty list for anyone else, who is not told whom it is shared with)."""

    state = OrganizationRef(read_only=True)
    visit_type = serializers.ChoiceField(choices=VisitType.choices, read_only=True)
    stage = serializers.ChoiceField(choices=ReportStage.choices, read_only=True)
    release_level = serializers.ChoiceField(choices=ReleaseLevel.choices, read_only=True)
    deadlines = serializers.SerializerMethodField()
    report = serializers.IntegerField(source="readable_report", read_only=True, allow_null=True)
    consents = ConsentSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = (
            "id", "state", "visit_type", "visit_start", "visit_end", "stage", "draft_sent_on",
            "comments_received_on", "adopted_on", "steps_received_on", "release_level", "deadlines", "report",
            "consents", "web_url",
        )  # fmt: skip

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, assessment):
        return DeadlineSerializer(assessment.deadlines(timezone.localdate()), many=True).data

    def get_web_url(self, assessment) -> str:
        return reverse("cted:assessment", args=[assessment.pk])


@extend_schema(tags=["cted"])
class AssessmentViewSet(ReadViewSet):
    """CTED's assessments the caller may read (consent included), the latest visit first."""

    module = "cted"
    serializer_class = AssessmentSerializer
    ordering = ("-visit_start", "-pk")

    def get_queryset(self):
        return selectors.with_consents(self.request.user, selectors.assessments_for(self.request.user))

    def prepare_rows(self, rows):
        return selectors.with_reports(self.request.user, rows)


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommendation as the search lists it: its State and visit, thematic area, priority, statuses, the
    entities that could deliver, and where it stands in the chain as the reader sees it (a project they may
    see answers it; funding they may see)."""

    state = OrganizationRef(source="assessment.state", read_only=True)
    theme = ThemeRef(read_only=True, allow_null=True)
    assistance_status = serializers.ChoiceField(choices=AssistanceStatus.choices, read_only=True)
    implementation_status = serializers.ChoiceField(choices=ImplementationStatus.choices, read_only=True)
    entities = OrganizationRef(many=True, read_only=True)
    has_project = serializers.BooleanField(read_only=True)
    is_funded = serializers.BooleanField(read_only=True)

    class Meta:
        model = Recommendation
        fields = (
            "id", "assessment", "state", "visit_start", "theme", "text", "is_priority", "assistance_status",
            "implementation_status", "entities", "has_project", "is_funded", "created_at",
        )  # fmt: skip


@extend_schema(tags=["cted"])
class RecommendationViewSet(ReadViewSet):
    """The recommendations the caller may read (consent included), with the search page's filters — words
    (``q``), Member State, region, thematic area, priority, statuses, entity, year and type of visit, and the
    chain (``no_project``, ``unfunded``, ``funded``) — the latest visit first."""

    module = "cted"
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    ordering = ("-visit_start", "assessment_id", "pk")

    def get_queryset(self):
        return selectors.recommendations_found(self.request.user).prefetch_related("entities")

    @cached_property
    def chain(self) -> selectors.ChainSets:
        """What the caller sees of the chain (the projects and funding they may see), read once a request."""
        return selectors.chain_sets(self.request.user)

    def filter_queryset(self, queryset):
        rows = super().filter_queryset(queryset)  # an invalid filter is a 400 here, before the chain
        return selectors.in_chain(rows, self.request.query_params.get("chain", ""), self.chain)

    def prepare_rows(self, rows):
        self.chain.place(rows)
        return rows


ROUTES = [
    ("cted/assessments", AssessmentViewSet, "cted-assessment"),
    ("cted/recommendations", RecommendationViewSet, "cted-recommendation"),
]
