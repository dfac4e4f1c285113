"""The notices API: the notices the caller may read, a list and a detail (read only) — through
``notices.selectors.notices_for``, the selector of the notices pages, so the API cannot show a notice the
pages would not."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from api.serializers import AudienceSerializer, PersonRef
from api.viewsets import ReadViewSet
from notices import selectors
from notices.models import Notice


class NoticeSerializer(AudienceSerializer):
    """A notice: its text, who posted it for which organisation, and its audience."""

    author = PersonRef(read_only=True, allow_null=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Notice
        fields = (
            "id", "title", "body", "author", *AudienceSerializer.AUDIENCE_FIELDS, "created_at", "updated_at",
            "web_url",
        )  # fmt: skip


@extend_schema(tags=["notices"])
class NoticeViewSet(ReadViewSet):
    """Notices the caller may read, newest first, as on the notices page; a notice they may not read is a
    404, the same answer as one that does not exist."""

    module = "notices"
    serializer_class = NoticeSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        # The page's selector, plus the author the API shows with every row (the detail page shows it too).
        return selectors.notices_for(self.request.user).select_related("author")


ROUTES = [("notices", NoticeViewSet, "notice")]
