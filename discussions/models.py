"""Discussions: threads and replies for an audience (mostly a Working Group's space).

A thread is content like any other (``AudienceModel``: owner, author, visibility, Working Group, audience
organisations, guardian shares); its replies have no audience of their own — they are read through their
thread's ``visible_to``. Every write is recorded by pghistory triggers (threads, replies, attachments,
shares, audience organisations): those events *are* the edit history shown on the history page.
"""

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from directory.access import AudienceModel

BODY_MAX_LENGTH = 10_000


def tracked():
    """Fresh trackers for one model (a tracker binds to the model it tracks: never share one)."""
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


def search_vector(*weighted: tuple[str, str]) -> models.GeneratedField:
    """What the global search matches in a post: its fields, English-stemmed like projects and CTED's
    recommendations, each with its weight. Computed by PostgreSQL from the row itself (a stored generated
    column): every write keeps it current, the bench's set-based rows included, with no hook to forget.
    Whether a hidden post may be found is the search's decision (``discussions.selectors``), not the
    index's."""
    vector = None
    for name, weight in weighted:
        part = SearchVector(name, config="english", weight=weight)
        vector = part if vector is None else vector + part
    return models.GeneratedField(expression=vector, output_field=SearchVectorField(), db_persist=True)


class Moderated(models.Model):
    """A post a moderator may hide (its text stays, in the post and its history)."""

    hidden_at = models.DateTimeField(_("hidden by a moderator"), null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("hidden by"),
    )  # fmt: skip

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


# ``last_activity_at`` moves with every reply (set by a queryset update): it is derived data, not an edit,
# so it is left out of the history (an update touching only it records no event).
@pghistory.track(*tracked(), exclude=["last_activity_at", "search_vector"])
class Thread(Moderated, AudienceModel):
    """A conversation started by a person for their organisation, with the audience they chose."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    attachments = models.ManyToManyField(
        "library.Resource", blank=True, related_name="+", verbose_name=_("attachments")
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, editable=False)
    is_locked = models.BooleanField(_("locked"), default=False, editable=False)
    search_vector = search_vector(("title", "A"), ("body", "B"))

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            # The audience filters, each arm of visible_to's OR an index scan, in the lists' order.
            models.Index(fields=["visibility", "-last_activity_at"], name="thread_visibility_idx"),
            models.Index(fields=["owner", "-last_activity_at"], name="thread_owner_idx"),
            # The Working Group space's "recent discussion" and the list filtered by group.
            models.Index(fields=["working_group", "-last_activity_at"], name="thread_wg_activity_idx"),
            models.Index(fields=["-last_activity_at", "-id"], name="thread_recent_idx"),
            GinIndex(fields=["search_vector"], name="thread_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:detail", kwargs={"pk": self.pk})

    @property
    def mention_key(self) -> str:
        return f"thread-{self.pk}"


@pghistory.track(*tracked(), exclude=["search_vector"])
class Reply(Moderated):
    """An answer in a thread; whoever may read the thread reads its replies."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("author"),
    )  # fmt: skip
    body = models.TextField(_("reply"), max_length=BODY_MAX_LENGTH)
    attachments = models.ManyToManyField(
        "library.Resource", blank=True, related_name="+", verbose_name=_("attachments")
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = search_vector(("body", "B"))

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="reply_thread_idx"),
            GinIndex(fields=["search_vector"], name="reply_search_idx"),
        ]

    def __str__(self) -> str:
        return _("Reply %(number)s in “%(thread)s”") % {"number": self.pk, "thread": self.thread_id}

    def get_absolute_url(self) -> str:
        return f"{reverse('discussions:detail', kwargs={'pk': self.thread_id})}#reply-{self.pk}"

    @property
    def mention_key(self) -> str:
        return f"reply-{self.pk}"


class ThreadUserGrant(UserObjectPermissionBase):
    """A thread shared with one person (guardian, direct foreign key: filtered by index)."""

    content_object = models.ForeignKey(Thread, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("thread shared with a person")


class ThreadGroupGrant(GroupObjectPermissionBase):
    """A thread shared with a group of people."""

    content_object = models.ForeignKey(Thread, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("thread shared with a group")


# Sharing, audience organisations and attachments are writes like any other: audited too.
track_links(
    Thread,
    grants=(ThreadUserGrant, ThreadGroupGrant),
    links={
        "audience_organizations": "ThreadAudienceOrganizationEvent",
        "attachments": "ThreadAttachmentEvent",
    },
)
pghistory.track(
    pghistory.InsertEvent(),
    pghistory.DeleteEvent(),
    model_name="ReplyAttachmentEvent",
    app_label="discussions",
)(Reply.attachments.through)
