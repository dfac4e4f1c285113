"""The library's API: resources (read, add with their files, edit, move to the trash) and file downloads —
through the library's own selectors, form, services and permission-checked download."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError

from api.schema import form_serializer
from api.serializers import AudienceSerializer
from api.viewsets import FormWrites, ModuleViewSet, ReadViewSet, ServiceDeletes
from library import selectors, services
from library.filters import LibraryFilter
from library.forms import ResourceForm
from library.models import Document, FileVersion, Resource
from library.views import file_response


class FileSerializer(serializers.ModelSerializer):
    download = serializers.HyperlinkedIdentityField(view_name="api:library-file-download")

    class Meta:
        model = FileVersion
        fields = ("id", "number", "original_name", "kind", "size", "download")  # what with_documents fetches


class DocumentSerializer(serializers.ModelSerializer):
    # One serializer for every row (a serializer made per row costs more than the row's query).
    current = FileSerializer(source="current_version", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = ("id", "language", "label", "current")


class ResourceSerializer(AudienceSerializer):
    documents = DocumentSerializer(many=True, read_only=True)
    pillars = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Resource
        fields = (
            "id", "title", "summary", "resource_type", "publication_date", "pillars", "tags", "countries",
            "languages", "external_url", *AudienceSerializer.AUDIENCE_FIELDS, "created_at", "updated_at",
            "documents", "web_url",
        )  # fmt: skip


ResourceBody = form_serializer(ResourceForm, "ResourceBody")
ResourceChanges = form_serializer(ResourceForm, "ResourceChanges", exclude=("files", "file_language"))


@extend_schema(tags=["library"])
class ResourceViewSet(ServiceDeletes, FormWrites, ReadViewSet):
    """Resources of the library the caller may read; a search (``q``) and the same filters as the library's
    search page. Adding one takes its first files (multipart); editing changes its metadata and audience;
    deleting moves it to its organisation's trash."""

    module = "library"
    serializer_class = ResourceSerializer
    filterset_class = LibraryFilter
    ordering = ("-created_at", "-pk")
    form_class = ResourceForm

    def get_queryset(self):
        return selectors.resources_for(self.request.user).prefetch_related("pillars")

    def prepare_rows(self, rows):
        rows = selectors.with_documents(rows)
        for document in (document for resource in rows for document in resource.documents.all()):
            document.current_version = document.current[0] if document.current else None
        return rows

    def save(self, form, *, by):
        try:
            return services.save_resource(
                form=form, by=by, uploads=form.cleaned_data.get("files") or (),
                language=form.cleaned_data.get("file_language", ""),
            )  # fmt: skip
        except services.DuplicateFile as duplicate:
            raise ValidationError(
                {"files": [f"This file is already in the library: resource {duplicate.resource.pk}."]}
            ) from None

    def destroy_object(self, obj, *, by):
        services.trash(resource=obj, by=by)

    @extend_schema(request={"multipart/form-data": ResourceBody, "application/json": ResourceBody})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=ResourceChanges)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=ResourceChanges)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


@extend_schema(tags=["library"])
class FileViewSet(ModuleViewSet):
    """A file of a resource the caller may read, downloaded through the library's permission check."""

    module = "library"
    queryset = FileVersion.objects.none()

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        version = selectors.version_for(request.user, pk)
        if version is None:
            raise NotFound
        return file_response(request, version)


ROUTES = [
    ("library/resources", ResourceViewSet, "library-resource"),
    ("library/files", FileViewSet, "library-file"),
]
