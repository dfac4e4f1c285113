"""Pieces every app's serializers share: a reference to an organisation or a Working Group by id and name,
and the audience of a piece of content. Names are the records' own (English); ids are what filters take."""

from __future__ import annotations

from rest_framework import serializers

from directory.access import Visibility


class OrganizationRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)


class WorkingGroupRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ThemeRef(serializers.Serializer):
    """A thematic area (projects.ThematicArea), by id and name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PillarRef(serializers.Serializer):
    """One of the four pillars of the Strategy: its number, code and name."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PersonRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class AudienceSerializer(serializers.ModelSerializer):
    """The fields every piece of content has: who owns it and who may read it (the list's query fetches the
    owner and the Working Group with the rows: ``select_related("owner", "working_group")``)."""

    owner = OrganizationRef(read_only=True)
    working_group = WorkingGroupRef(read_only=True, allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)

    AUDIENCE_FIELDS = ("owner", "visibility", "working_group")
