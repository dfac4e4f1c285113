"""The discussions API: threads (read, start, edit) and their posts (read, reply) — through the discussions'
own selectors, forms and services, so that mentions, notifications, moderation and the audit trail are
those of the pages.

A thread's replies are a cursor-paged list of their own (``threads/{id}/posts/``), not part of the
thread's detail: a thread may gather any number of replies, and a detail that grew with them would have
no bound on its size or cost, where a page of replies is 50 rows in a constant number of queries.

Moderation is the pages': a post a moderator hid keeps its place, but its text (a thread's title and
message, a reply's text) is null for anyone who does not moderate the thread — in lists for everyone, as
the discussions list shows no hidden title. There is no delete: the pages have none (a moderator hides).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.schema import form_serializer
from api.serializers import AudienceSerializer, PersonRef
from api.viewsets import FormWrites, ReadViewSet, form_data
from discussions import rules, selectors, services
from discussions.filters import ThreadFilter
from discussions.forms import ReplyForm, ThreadForm
from discussions.models import Reply, Thread
from library.models import ResourceType


class AttachmentSerializer(serializers.Serializer):
    """A library resource attached to a post, listed only to readers who may see it."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    resource_type = serializers.ChoiceField(choices=ResourceType.choices, read_only=True)


def withheld(post: Thread | Reply, moderator: bool) -> bool:
    """Whether the post's text is withheld from this reader: hidden by a moderator, and they do not
    moderate the thread (the pages' rule, discussions/detail.html)."""
    return post.hidden_at is not None and not moderator


class ThreadSerializer(AudienceSerializer):
    """A thread as the discussions list shows it. ``title`` is null when a moderator hid the thread."""

    title = serializers.SerializerMethodField()
    author = PersonRef(read_only=True, allow_null=True)
    reply_count = serializers.IntegerField(read_only=True)  # annotated by selectors.threads_for
    is_hidden = serializers.BooleanField(read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Thread
        fields = (
            "id", "title", "author", *AudienceSerializer.AUDIENCE_FIELDS, "created_at", "updated_at",
            "last_activity_at", "reply_count", "is_locked", "is_hidden", "web_url",
        )  # fmt: skip

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_title(self, thread):
        # Only a thread's detail says whether its reader moderates it (ThreadViewSet.prepare_rows): a list
        # withholds every hidden title, as the list page does.
        return None if withheld(thread, getattr(thread, "moderator", False)) else thread.title


class ThreadDetailSerializer(ThreadSerializer):
    """A thread with its message, the attachments its reader may see, and what the reader may do with it."""

    body = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(source="shown_attachments", many=True, read_only=True)
    moderator = serializers.BooleanField(read_only=True, help_text="The reader moderates this thread.")
    may_edit = serializers.BooleanField(read_only=True)
    may_reply = serializers.BooleanField(read_only=True)
    posts = serializers.HyperlinkedIdentityField(view_name="api:discussions-thread-posts")

    class Meta(ThreadSerializer.Meta):
        fields = (*ThreadSerializer.Meta.fields, "body", "attachments", "moderator", "may_edit", "may_reply",
                  "posts")  # fmt: skip

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, thread):
        return None if withheld(thread, thread.moderator) else thread.body


class ReplySerializer(serializers.ModelSerializer):
    """A reply in a thread. ``body`` and ``attachments`` are withheld (null, empty) when a moderator hid it,
    unless the reader moderates the thread."""

    author = PersonRef(read_only=True, allow_null=True)
    body = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    is_hidden = serializers.BooleanField(read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Reply
        fields = ("id", "author", "body", "attachments", "created_at", "updated_at", "is_hidden", "web_url")

    def _withheld(self, reply) -> bool:
        return withheld(reply, self.context["moderator"])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, reply):
        return None if self._withheld(reply) else reply.body

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, reply):
        shown = [] if self._withheld(reply) else reply.shown_attachments  # prefetched by selectors.replies_of
        return AttachmentSerializer(shown, many=True).data


ATTACHMENT_LINKS = {
    "required": False,
    "allow_blank": True,
    "max_length": 2000,
    "help_text": "The addresses of library resources to attach, one per line: only resources the writer may "
    "see are accepted.",
}


class ThreadChanges(form_serializer(ThreadForm, "ThreadFields")):
    """A thread's title, message and audience, as the discussions form takes them."""

    attachment_links = serializers.CharField(**ATTACHMENT_LINKS)


class ThreadBody(ThreadChanges):
    """A new thread. If it would leave out people it mentions, or the observers and guests of a
    members-only thread's Working Group, it is refused (400, ``post_anyway`` naming them) unless
    ``post_anyway`` is true — as the page asks before posting."""

    post_anyway = serializers.BooleanField(required=False)


class ReplyBody(form_serializer(ReplyForm, "ReplyFields")):
    """A reply, as the thread page's form takes it."""

    attachment_links = serializers.CharField(**ATTACHMENT_LINKS)


def left_out_messages(left_out: services.LeftOut) -> list[str]:
    """Who a new thread would not reach, in the words of the page's warning."""
    return [
        _("%(org)s, which takes part as %(role)s: a members-only thread leaves it out.")
        % {"org": participation.organization.display_name, "role": participation.get_role_display().lower()}
        for participation in left_out.organizations
    ] + [
        _("%(name)s, whom you mention, cannot see a thread for this audience and will not be notified.")
        % {"name": person.full_name}
        for person in left_out.people
    ]


@extend_schema(tags=["discussions"])
class ThreadViewSet(FormWrites, ReadViewSet):
    """Threads the caller may read, latest activity first, filtered by Working Group as on the discussions
    page. Starting and editing a thread go through the discussions form and service (mentions notified,
    the Working Group told, every change in the history); only its author edits it. Its posts are read and
    replied to under ``posts/``."""

    module = "discussions"
    filterset_class = ThreadFilter
    ordering = ("-last_activity_at", "-pk")
    form_class = ThreadForm

    def get_queryset(self):
        return selectors.threads_for(self.request.user)

    def get_serializer_class(self):
        return ThreadSerializer if self.action == "list" else ThreadDetailSerializer

    def prepare_rows(self, rows):
        if self.action == "list":
            return rows
        user = self.request.user
        for thread in rows:  # one thread: a detail, or the one just written
            selectors.with_attachments(user, thread)
            thread.moderator = rules.can_moderate_thread(user, thread)
            thread.may_edit = rules.can_edit_thread(user, thread)
            thread.may_reply = rules.can_reply_to_thread(user, thread)
        return rows

    def save(self, form, *, by):
        if form.instance.pk is None and not forms.BooleanField(required=False).clean(
            self.request.data.get("post_anyway")
        ):
            left_out = services.left_out(form=form, by=by)
            if left_out:
                raise exceptions.ValidationError({"post_anyway": left_out_messages(left_out)})
        try:
            thread, _report = services.save_thread(form=form, by=by)
        except services.Refused as refused:  # locked since the rule was checked
            raise exceptions.PermissionDenied(refused.message) from None
        return thread

    @extend_schema(request=ThreadBody)
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=ThreadChanges)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=ThreadChanges)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(methods=["GET"], responses=ReplySerializer(many=True))
    @extend_schema(methods=["POST"], request=ReplyBody, responses={201: ReplySerializer})
    @action(
        detail=True, methods=["get", "post"], serializer_class=ReplySerializer, filterset_class=None,
        ordering=("created_at", "pk"),
    )  # fmt: skip
    def posts(self, request, pk=None):
        """The thread's replies, oldest first (cursor-paged); a POST replies to it, while it is neither
        locked nor hidden (403 otherwise)."""
        thread = self.get_object()
        replies = selectors.replies_of(request.user, thread)
        context = {**self.get_serializer_context(), "moderator": thread.moderator}
        if request.method == "POST":
            reply = self._reply(thread)
            return Response(
                ReplySerializer(replies.get(pk=reply.pk), context=context).data,
                status=status.HTTP_201_CREATED,
            )
        page = self.paginator.paginate_queryset(replies, request, view=self)
        return self.get_paginated_response(ReplySerializer(page, many=True, context=context).data)

    def _reply(self, thread: Thread) -> Reply:
        user = self.request.user
        unbound = ReplyForm(user=user)
        form = ReplyForm(form_data(unbound, self.request, start_from_form=False), user=user)
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(messages) for name, messages in form.errors.items()})
        try:
            reply, _report = services.post_reply(thread=thread, by=user, form=form)
        except services.Refused as refused:  # locked or hidden by a moderator
            raise exceptions.PermissionDenied(refused.message) from None
        except PermissionDenied:
            raise exceptions.NotFound from None
        return reply


ROUTES = [("discussions/threads", ThreadViewSet, "discussions-thread")]
