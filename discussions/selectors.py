"""Reads of discussions, always on behalf of a user.

Threads are read through ``Thread.objects.visible_to`` and replies through their thread's, so a reply is
never read by someone who may not read its thread. Each page's data comes in a constant number of queries,
whatever the number of replies, attachments or mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.search import headline
from directory.models import (
    User,
    WorkingGroup,
)
from directory.rules import people_findable_by
from discussions import mentions
from discussions.models import Reply, Thread
from library.selectors import resources_for

HISTORY_LIMIT = 500  # events shown on a history page (the newest), a bound on its cost


def _reply_count():
    counted = (
        Reply.objects.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def threads_for(user) -> QuerySet[Thread]:
    """The threads the user may read, most recent activity first, with what a list row shows (owner,
    author, Working Group, number of replies) in the same query."""
    return (
        Thread.objects.visible_to(user)
        .select_related("owner", "author", "working_group")
        .annotate(reply_count=_reply_count())
        .order_by("-last_activity_at", "-id")
    )


def recent_for_group(user, working_group: WorkingGroup, limit: int = 5) -> list[Thread]:
    """The Working Group's threads the user may read, latest activity first (the space's home page): one
    query, reply counts included."""
    return list(threads_for(user).filter(working_group=working_group)[:limit])


def recent_for(user, limit: int = 5) -> list[Thread]:
    """The threads the user may read with the latest activity (a new thread or reply), not hidden by a
    moderator: the home's "recent discussion" (one query, reply counts included)."""
    return list(threads_for(user).filter(hidden_at__isnull=True)[:limit])


def visible_replies(user) -> QuerySet[Reply]:
    """Replies in threads the user may read."""
    return Reply.objects.filter(thread__in=Thread.objects.visible_to(user).values("pk"))


def people_by_email(user, emails) -> dict[str, User]:
    """The people ``user`` could find in the directory with these addresses, by lower-cased email (one
    query). Any other address — no account, a deactivated one, someone in no organisation — is absent, so
    neither a rendered mention nor a poster's report tells who has an account."""
    wanted = {email.lower() for email in emails}
    if not wanted:
        return {}
    return {person.email: person for person in people_findable_by(user).filter(email__in=wanted)}


@dataclass
class ThreadPage:
    thread: Thread
    replies: list[Reply]
    people: dict[str, User] = field(default_factory=dict)


def _attachable(user) -> QuerySet:
    """The library resources whose title a post may show this reader: those the reader may see (an
    attachment the poster could see but the reader cannot is left out)."""
    return (
        resources_for(user).select_related(None).only("pk", "title", "resource_type").order_by("title", "pk")
    )


def with_attachments(user, thread: Thread) -> Thread:
    """A visible thread with ``shown_attachments``, the attachments the reader may see (one query)."""
    attached = Thread.attachments.through.objects.filter(thread_id=thread.pk).values("resource_id")
    thread.shown_attachments = list(_attachable(user).filter(pk__in=attached))
    return thread


def replies_of(user, thread: Thread) -> QuerySet[Reply]:
    """A visible thread's replies, oldest first, with their authors and (prefetched, as
    ``shown_attachments``) the attachments the reader may see: two queries for any number of replies."""
    return (
        thread.replies.select_related("author", "hidden_by")
        .prefetch_related(Prefetch("attachments", queryset=_attachable(user), to_attr="shown_attachments"))
        .order_by("created_at", "id")
    )


def thread_page(user, thread: Thread) -> ThreadPage:
    """A visible thread's replies with their authors, the attachments the *reader* may see, and every post's
    body rendered with its mentions linked — five queries, whatever the number of replies."""
    with_attachments(user, thread)
    replies = list(replies_of(user, thread))
    emails = mentions.mentioned_emails(thread.body)
    for reply in replies:
        emails += mentions.mentioned_emails(reply.body)
    people = people_by_email(user, emails)
    thread.html = mentions.render(thread.body, people)
    for reply in replies:
        reply.html = mentions.render(reply.body, people)
    return ThreadPage(thread=thread, replies=replies, people=people)


# --- History ------------------------------------------------------------------------------------------------


@dataclass
class Version:
    """One recorded state of a post, and what changed to reach it."""

    post: str  # "thread" or "reply"
    post_id: int
    at: datetime
    by: User | None
    change: str  # posted, edited, hidden, unhidden, locked, unlocked, other
    title: str = ""
    html: str = ""
    withheld: bool = False  # the post is hidden by a moderator: its text is for moderators only


CONTENT_FIELDS = ("title", "body")


def _change(previous, event, post: str) -> str:
    if previous is None or event.pgh_label == "insert":
        return "posted"
    if any(getattr(previous, name, None) != getattr(event, name, None) for name in CONTENT_FIELDS):
        return "edited"
    if (previous.hidden_at is None) != (event.hidden_at is None):
        return "hidden" if event.hidden_at else "unhidden"
    if post == "thread" and previous.is_locked != event.is_locked:
        return "locked" if event.is_locked else "unlocked"
    return "other"


def history(user, thread: Thread, *, moderator: bool) -> list[Version]:
    """Every recorded version of the thread and its replies, newest first, from the database's audit
    events (three queries). The text of a post currently hidden by a moderator is withheld from anyone
    but the moderators, in its older versions too."""
    thread_events = apps.get_model("discussions", "ThreadEvent")
    reply_events = apps.get_model("discussions", "ReplyEvent")
    events = [
        ("thread", event)
        for event in thread_events.objects.filter(pgh_obj_id=thread.pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")[:HISTORY_LIMIT]
    ]
    events += [
        ("reply", event)
        for event in reply_events.objects.filter(thread_id=thread.pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")[:HISTORY_LIMIT]
    ]
    # Two tables, two id sequences: order by time, the thread before its replies within one transaction.
    events.sort(key=lambda pair: (pair[1].pgh_created_at, pair[0] == "reply", pair[1].pgh_id))
    hidden_now = {("thread", thread.pk)} if thread.hidden_at else set()
    hidden_now |= {
        ("reply", pk) for pk in thread.replies.filter(hidden_at__isnull=False).values_list("pk", flat=True)
    }
    user_ids = {
        (event.pgh_context.metadata or {}).get("user") for _post, event in events if event.pgh_context_id
    }
    users = {user.pk: user for user in User.objects.filter(pk__in=[pk for pk in user_ids if pk])}
    texts = [event.body for _post, event in events] + [getattr(event, "title", "") for _post, event in events]
    people = people_by_email(user, [email for text in texts for email in mentions.mentioned_emails(text)])
    previous: dict[tuple[str, int], object] = {}
    versions = []
    for post, event in events:
        key = (post, event.pgh_obj_id)
        if event.pgh_label == "delete":
            continue
        change = _change(previous.get(key), event, post)
        previous[key] = event
        withheld = key in hidden_now and not moderator
        context = event.pgh_context.metadata if event.pgh_context_id else {}
        versions.append(
            Version(
                post=post,
                post_id=event.pgh_obj_id,
                at=event.pgh_created_at,
                by=users.get((context or {}).get("user")),
                change=change,
                title="" if withheld else getattr(event, "title", ""),
                html="" if withheld else mentions.render(event.body, people),
                withheld=withheld,
            )
        )
    versions.reverse()
    return versions


# --- The global search (search/) ----------------------------------------------------------------------------


def threads_matching(user, query: SearchQuery) -> QuerySet[Thread]:
    """The threads the user may read whose title, message or one of whose replies match ``query`` (an English
    web-style query: ``core.search.english_query``), best match first, then the latest activity.

    A reply is found only through its thread's audience (it has none of its own). A post hidden by a
    moderator is never found, nor its text shown, whoever searches: its text is for the moderators, on the
    thread's page. ``snippet`` highlights the thread's message when it matches, else the best-matching reply's
    text."""
    replies = Reply.objects.filter(hidden_at__isnull=True, search_vector=query)
    best_reply = (
        replies.filter(thread=OuterRef("pk"))
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "pk")
    )
    return (
        Thread.objects.visible_to(user)
        .filter(hidden_at__isnull=True)
        .filter(Q(search_vector=query) | Q(pk__in=replies.values("thread_id")))
        .annotate(
            rank=SearchRank(F("search_vector"), query)
            + Coalesce(Subquery(best_reply.values("rank")[:1], output_field=FloatField()), Value(0.0)),
            snippet=Case(
                When(search_vector=query, then=headline("body", query)),
                default=Subquery(best_reply.annotate(text=headline("body", query)).values("text")[:1]),
            ),
        )
        .select_related("owner", "working_group")
        .order_by("-rank", "-last_activity_at", "-pk")
    )
