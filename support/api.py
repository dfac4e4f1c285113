"""The technical-assistance API (read only): the requests for support a token's person may read, as the list
and a request's page show them — through ``support.selectors`` (``SupportRequest.objects.visible_to``); the
projects linked to a request are only those of the matrix the reader may see."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from api.serializers import AudienceSerializer, OrganizationRef, PersonRef, ThemeRef, WorkingGroupRef
from api.viewsets import ReadViewSet
from directory.models import Organization
from support import selectors
from support.forms import RequestFilter
from support.models import Offer, OfferState, RequestStatus, StatusChange, SupportRequest


class ProjectRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class RequestSerializer(AudienceSerializer):
    """A request as the list shows it: who asks, on what theme, to whom it is addressed, its status."""

    theme = ThemeRef(read_only=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)
    addressed_working_group = WorkingGroupRef(read_only=True, allow_null=True)
    addressed_entities = OrganizationRef(many=True, read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = SupportRequest
        fields = (
            "id", "title", "description", "theme", "status", "addressed_working_group", "addressed_entities",
            *AudienceSerializer.AUDIENCE_FIELDS, "created_at", "updated_at", "web_url",
        )  # fmt: skip


class OfferSerializer(serializers.ModelSerializer):
    organization = OrganizationRef(read_only=True)
    offered_by = PersonRef(read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=OfferState.choices, read_only=True)

    class Meta:
        model = Offer
        fields = ("id", "organization", "offered_by", "text", "offered_at", "state")


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = serializers.ChoiceField(choices=RequestStatus.choices, allow_blank=True, read_only=True)
    to_status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)
    changed_by = PersonRef(read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = ("from_status", "to_status", "changed_by", "changed_at", "reason")


class RequestPageSerializer(RequestSerializer):
    """A request as its page shows it: the list's fields, its offers, its history and the linked projects
    the reader may see (an invisible one is neither shown nor counted)."""

    offers = OfferSerializer(many=True, read_only=True)
    history = StatusChangeSerializer(many=True, read_only=True)
    projects = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = (*RequestSerializer.Meta.fields, "offers", "history", "projects")

    @extend_schema_field(ProjectRef(many=True))
    def get_projects(self, found):
        return ProjectRef(selectors.linked_projects(self.context["request"].user, found), many=True).data


@extend_schema(tags=["support"])
class RequestViewSet(ReadViewSet):
    """Requests for support the caller may read, newest first, with the list's filters (status, theme, asking
    organisation); a request with its offers, history and the linked projects the caller may see."""

    module = "support"
    filterset_class = RequestFilter
    ordering = ("-created_at", "-pk")

    def get_serializer_class(self):
        return RequestPageSerializer if self.action == "retrieve" else RequestSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            found = selectors.request_page(user)
        else:  # the addressees, by name, as the request's page fetches them
            by_name = Prefetch("addressed_entities", queryset=Organization.objects.order_by("name"))
            found = selectors.requests_for(user).prefetch_related(by_name)
        return found.select_related("working_group")


ROUTES = [("support/requests", RequestViewSet, "support-request")]
