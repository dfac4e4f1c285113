"""The directory's API (read only): organisations, people (focal points), Working Groups and the Strategy's
pillars — what their pages show, to whom they show it.

People are read through ``people_for`` (the people directory's selector: active people currently
representing an active organisation) and filtered by the directory's own ``PeopleFilter``; their contact
details come from ``directory.privacy.contact_card`` only, as on every page and export, so a detail hidden
from the reader is null here. Nothing about an account (password, second factors, sessions, sign-ins) is
ever serialized: the serializers name every field they give.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from api.serializers import OrganizationRef, WorkingGroupRef
from api.viewsets import ReadViewSet
from directory import selectors
from directory.filters import OrganizationFilter, PeopleFilter
from directory.lifecycle import annotate_stale
from directory.models import (
    WORKING_LANGUAGES,
    CompactStatus,
    MembershipRole,
    Organization,
    OrganizationKind,
    ParticipationRole,
    Pillar,
    Profile,
    Region,
    User,
    WorkingGroup,
)
from directory.people import people_for
from directory.privacy import contact_card


@extend_schema_field(OpenApiTypes.STR)
class PageField(serializers.Field):
    """The address of the object's page on the platform (for a person to open), from its URL name."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return reverse(self.view_name, args=[value.pk])


class PillarSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ("id", "number", "code", "name")


class RoleInGroup(serializers.Serializer):
    """An organisation's role in a Working Group (a guest's topic and end date, if any)."""

    role = serializers.ChoiceField(choices=ParticipationRole.choices, read_only=True)
    topic = serializers.CharField(read_only=True)
    until = serializers.DateField(read_only=True, allow_null=True)


class GroupOfOrganization(RoleInGroup):
    working_group = WorkingGroupRef(read_only=True)


class OrganizationSerializer(serializers.ModelSerializer):
    """An organisation as its page shows it: profile, general contacts (the organisation's own, public to
    every signed-in reader — never a person's) and the Working Groups it takes part in."""

    kind = serializers.ChoiceField(choices=OrganizationKind.choices, read_only=True)
    compact_status = serializers.ChoiceField(choices=CompactStatus.choices, read_only=True)
    region = serializers.ChoiceField(choices=Region.choices, allow_blank=True, read_only=True)
    people = serializers.IntegerField(read_only=True)  # active people with a current role in it
    working_groups = GroupOfOrganization(source="current_participations", many=True, read_only=True)
    web_url = PageField("directory:organization_page")

    class Meta:
        model = Organization
        fields = (
            "id", "kind", "compact_status", "acronym", "name", "iso3", "region", "is_active", "description",
            "website", "contact_email", "contact_phone", "address", "people", "working_groups", "web_url",
        )  # fmt: skip


@extend_schema(tags=["directory"])
class OrganizationViewSet(ReadViewSet):
    """The active organisations (the Secretariat also opens a deactivated one's detail, as its page), with
    the organisation list's search (``q``: name, acronym or ISO code) and kind filter."""

    module = "directory"
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering = ("name", "pk")

    def get_queryset(self):
        organizations = selectors.organizations_for(self.request.user)
        if self.action == "list":
            organizations = organizations.filter(is_active=True)  # the list page's rows
        return selectors.with_working_groups(organizations.annotate(people=selectors.current_people_count()))


class RoleInOrganization(serializers.Serializer):
    organization = OrganizationRef(read_only=True)
    role = serializers.ChoiceField(choices=MembershipRole.choices, read_only=True)


class GroupOfPerson(GroupOfOrganization):
    """A Working Group the person takes part in through one of their organisations."""

    organization = OrganizationRef(read_only=True)


class ProfileSerializer(serializers.ModelSerializer):
    """What a person's page shows of their profile to every signed-in reader (no contact detail here)."""

    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=WORKING_LANGUAGES), read_only=True
    )
    expertise_pillars = PillarSerializer(many=True, read_only=True)
    expertise_tags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Profile
        fields = ("job_title", "time_zone", "languages", "expertise_pillars", "expertise_tags", "bio")


class PersonSerializer(serializers.ModelSerializer):
    """A person as the directory and their page show them to the reader: contact details are null when
    the person does not share them with the reader (``directory.privacy``), or has none. ``is_stale``: their
    details were not confirmed for a long time and may be out of date (as the pages warn)."""

    organizations = RoleInOrganization(source="current_memberships", many=True, read_only=True)
    email = serializers.SerializerMethodField()
    phone_office = serializers.SerializerMethodField()
    phone_mobile = serializers.SerializerMethodField()
    profile = ProfileSerializer(read_only=True, allow_null=True)
    is_stale = serializers.BooleanField(read_only=True)
    working_groups = GroupOfPerson(source="participations", many=True, read_only=True)
    web_url = PageField("directory:person")

    class Meta:
        model = User
        fields = (
            "id", "full_name", "organizations", "email", "phone_office", "phone_mobile", "profile",
            "is_stale", "working_groups", "web_url",
        )  # fmt: skip

    def card(self, person):
        # One card per person and request: the privacy module decides, from the reader's viewer (cached).
        cards = self.context.setdefault("cards", {})
        if person.pk not in cards:
            cards[person.pk] = contact_card(self.context["request"].user, person)
        return cards[person.pk]

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, person) -> str | None:
        return self.card(person).email or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone_office(self, person) -> str | None:
        return self.card(person).phone_office or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone_mobile(self, person) -> str | None:
        return self.card(person).phone_mobile or None


@extend_schema(tags=["directory"])
class PersonViewSet(ReadViewSet):
    """The people directory: active people currently representing an active organisation, with the people
    page's search (``q``) and filters (kind of organisation, organisation, role, Working Group and role in
    it, country, expertise, language), by name."""

    module = "directory"
    serializer_class = PersonSerializer
    filterset_class = PeopleFilter
    ordering = ("full_name", "pk")

    def get_queryset(self):
        return annotate_stale(people_for(self.request.user)).prefetch_related("profile__expertise_pillars")

    def prepare_rows(self, rows):
        return selectors.working_groups_of_people(rows)


class ParticipantSerializer(RoleInGroup):
    organization = OrganizationRef(read_only=True)


class WorkingGroupSerializer(serializers.ModelSerializer):
    """A Working Group as its page shows it: names, objective, pillars and who takes part, in what role."""

    pillars = PillarSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    web_url = PageField("working_groups:home")

    class Meta:
        model = WorkingGroup
        fields = ("id", "number", "name", "short_name", "objective", "pillars", "participants", "web_url")


@extend_schema(tags=["directory"])
class WorkingGroupViewSet(ReadViewSet):
    """The active Working Groups, by number."""

    module = "directory"
    serializer_class = WorkingGroupSerializer
    ordering = ("number", "pk")

    def get_queryset(self):
        return selectors.working_groups_for(self.request.user)


@extend_schema(tags=["directory"])
class PillarViewSet(ReadViewSet):
    """The four pillars of the UN Global Counter-Terrorism Strategy (the ids the filters take)."""

    module = "directory"
    serializer_class = PillarSerializer
    queryset = Pillar.objects.all()
    ordering = ("number", "pk")


ROUTES = [
    ("directory/organizations", OrganizationViewSet, "directory-organization"),
    ("directory/people", PersonViewSet, "directory-person"),
    ("directory/working-groups", WorkingGroupViewSet, "directory-working-group"),
    ("directory/pillars", PillarViewSet, "directory-pillar"),
]
