"""The Member State pages' API (read only): the Member States and regional organisations whose page a token's
person may open, and each one's page as data — its profile and its numbers, each counted among what that
reader may see on the page (``countries.selectors.figures``: the sections' own selectors, consent included
for CTED's), so that a count never reveals a row the reader may not read."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from api.serializers import PersonRef
from api.viewsets import ReadViewSet
from countries import selectors
from countries.models import CountryProfile
from directory.models import Organization, OrganizationKind


class CountryProfileSerializer(serializers.ModelSerializer):
    """The State's own profile, as its page shows it (every version is on the history page)."""

    updated_by = PersonRef(read_only=True)

    class Meta:
        model = CountryProfile
        fields = ("priorities", "challenges", "good_practices", "updated_at", "updated_by")


class CountryFiguresSerializer(serializers.Serializer):
    """The page's numbers for this reader (``*_more``: there are more than the count says)."""

    focal_points = serializers.IntegerField(read_only=True)
    assessments = serializers.IntegerField(read_only=True)
    recommendations = serializers.IntegerField(read_only=True)
    support_requests = serializers.IntegerField(read_only=True)
    support_requests_more = serializers.BooleanField(read_only=True)
    projects = serializers.IntegerField(read_only=True)
    projects_more = serializers.BooleanField(read_only=True)
    appeal_donor = serializers.BooleanField(read_only=True)
    appeal_projects_led = serializers.IntegerField(read_only=True)
    appeal_projects_for_country = serializers.IntegerField(read_only=True)


class CountrySerializer(serializers.ModelSerializer):
    """A Member State or regional organisation with a page: its names, kind and ISO code."""

    kind = serializers.ChoiceField(choices=OrganizationKind.choices, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ("id", "name", "acronym", "kind", "iso3", "is_active", "web_url")

    def get_web_url(self, organization) -> str:
        return reverse("directory:organization_page", args=[organization.pk])


class CountryPageSerializer(CountrySerializer):
    """A State's page: the list's fields, its profile (null until its people write one) and its numbers."""

    profile = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta(CountrySerializer.Meta):
        fields = (*CountrySerializer.Meta.fields, "profile", "figures")

    @extend_schema_field(CountryProfileSerializer(allow_null=True))
    def get_profile(self, organization):
        found = selectors.profile_of(self.context["request"].user, organization)
        return CountryProfileSerializer(found).data if found is not None else None

    @extend_schema_field(CountryFiguresSerializer)
    def get_figures(self, organization):
        return CountryFiguresSerializer(selectors.figures(self.context["request"].user, organization)).data


@extend_schema(tags=["countries"])
class CountryViewSet(ReadViewSet):
    """The Member States and regional organisations whose page the caller may open, by name; one with its
    profile and its page's numbers, as that caller sees them."""

    module = "countries"
    ordering = ("name", "pk")

    def get_serializer_class(self):
        return CountryPageSerializer if self.action == "retrieve" else CountrySerializer

    def get_queryset(self):
        return selectors.country_pages_for(self.request.user)


ROUTES = [("countries", CountryViewSet, "countries-country")]
