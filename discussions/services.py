"""Writing discussions: threads, replies, mentions, notifications and moderation.

Every write checks who may make it (``discussions.rules``; threads are saved through the content save
path, ``directory.policy.content_write``), runs in one transaction and is recorded by the database's audit
triggers. Notifications go only to people who may read the thread (``selectors.readers``):
a mention of anyone else notifies no one and is reported back to the poster with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.i18n import in_each_readers_language
from directory.access import Visibility, readers
from directory.models import MEMBER_ROLES, Membership, Participation, User
from directory.policy import content_write
from discussions import mentions, rules, selectors
from discussions.models import Reply, Thread
from notifications.services import notify

EXCERPT_CHARS = 300


class Refused(ValidationError):
    """A write that cannot be made as asked (a reply to a locked thread...): told to the user, not a 500."""


@dataclass
class MentionReport:
    """What became of a post's mentions, to tell the poster."""

    notified: list[User] = field(default_factory=list)
    cannot_see: list[tuple[User, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def messages(self) -> list[tuple[str, str]]:
        """(level, text) pairs for ``django.contrib.messages``."""
        out = []
        if self.notified:
            names = ", ".join(person.full_name or person.email for person in self.notified)
            out.append(("info", _("Notified of your mention: %(names)s.") % {"names": names}))
        for person, audience in self.cannot_see:
            out.append(
                (
                    "warning",
                    _(
                        "%(name)s cannot see this thread (%(audience)s): not notified. Share it with them "
                        "first if they should."
                    )
                    % {"name": person.full_name or person.email, "audience": audience},
                )
            )
        for email in self.unknown:
            out.append(
                (
                    "warning",
                    _("Nobody in the directory has the address %(email)s: that mention notified no one.")
                    % {"email": email},
                )
            )
        return out


def audience_phrase(thread: Thread) -> str:
    """Who can see the thread, in a few words, for the "cannot see this thread (…)" message."""
    group = thread.working_group
    phrases = {
        Visibility.PLATFORM: _("signed-in people only"),
        Visibility.COMPACT: _("Compact entities and the Secretariat only"),
        Visibility.WORKING_GROUP: _("people in the WG %(number)s space only")
        % {"number": group.number if group else "?"},
        Visibility.WORKING_GROUP_MEMBERS: _("members of WG %(number)s only")
        % {"number": group.number if group else "?"},
        Visibility.ORGANIZATIONS: _("%(owner)s and the organisations it listed only")
        % {"owner": thread.owner.display_name},
        Visibility.OWNER: _("people of %(owner)s only") % {"owner": thread.owner.display_name},
    }
    return phrases[thread.visibility]


# --- Notifications -----------------------------------------------------------------------------------------


def _excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def _notify_mentions(*, thread: Thread, post: Thread | Reply, by) -> MentionReport:
    """Notify the people the post mentions who may read the thread, once per post and person (an edit
    adding a mention notifies the newcomer only); report the others to the poster."""
    report = MentionReport()
    emails = mentions.mentioned_emails(post.body)
    if not emails:
        return report
    people = selectors.people_by_email(by, emails)
    report.unknown = [email for email in emails if email not in people]
    others = [person for person in people.values() if person.pk != by.pk]
    reading = set(readers(thread).filter(pk__in=[p.pk for p in others]).values_list("pk", flat=True))
    phrase = audience_phrase(thread) if len(reading) < len(others) else ""
    subject = in_each_readers_language(
        lambda: _("%(author)s mentioned you in “%(title)s”") % {"author": by.full_name, "title": thread.title}
    )
    for person in others:
        if person.pk not in reading:
            report.cannot_see.append((person, phrase))
            continue
        created = notify(
            recipients=[person],
            subject=subject,
            body=_excerpt(post.body),
            url=post.get_absolute_url(),
            working_group=thread.working_group,
            kind="mention",
            dedupe_key=f"mention:{post.mention_key}:{person.pk}",
        )
        if created:
            report.notified.append(person)
    return report


def _notify_new_thread(thread: Thread, *, skip: set[int]) -> None:
    """A new thread in a Working Group's space: its people who may read it (members only for a
    members-only thread), but the author and those already told by a mention."""
    if not thread.working_group_id:
        return
    today = timezone.localdate()
    taking_part = Participation.objects.filter(working_group_id=thread.working_group_id).exclude(
        until__lt=today
    )
    people = Membership.objects.filter(
        ended_at__isnull=True, organization__in=taking_part.values("organization_id")
    ).values("user_id")
    recipients = readers(thread).filter(pk__in=people).exclude(pk__in=skip)
    notify(
        recipients=list(recipients.values_list("pk", flat=True)),
        subject=in_each_readers_language(
            lambda: (
                _("New thread in WG %(number)s: %(title)s")
                % {"number": thread.working_group.number, "title": thread.title}
            )
        ),
        body=_excerpt(thread.body),
        url=thread.get_absolute_url(),
        working_group=thread.working_group,
        kind="thread",
        dedupe_key=f"thread:{thread.pk}",
    )


def _notify_reply(reply: Reply, *, skip: set[int]) -> None:
    """A reply: the thread's author and everyone who replied before, if they may still read the thread."""
    thread = reply.thread
    involved = {thread.author_id, *thread.replies.exclude(pk=reply.pk).values_list("author_id", flat=True)}
    involved -= {None, reply.author_id, *skip}
    if not involved:
        return
    recipients = readers(thread).filter(pk__in=involved).values_list("pk", flat=True)
    notify(
        recipients=list(recipients),
        subject=in_each_readers_language(
            lambda: (
                _("%(author)s replied in “%(title)s”")
                % {"author": reply.author.full_name if reply.author else "", "title": thread.title}
            )
        ),
        body=_excerpt(reply.body),
        url=reply.get_absolute_url(),
        working_group=thread.working_group,
        kind="reply",
        dedupe_key=f"reply:{reply.pk}",
    )


# --- Who a new thread would leave out ----------------------------------------------------------------------


@dataclass
class LeftOut:
    """Who a new thread, as written, would not reach: told before it is posted, not after."""

    #: Organisations in the thread's Working Group as observers or guests, left out by "members only".
    organizations: list = field(default_factory=list)
    #: People the text mentions who could not read the thread.
    people: list[User] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.organizations or self.people)


def left_out(*, form, by) -> LeftOut:
    """Who the thread of a valid ThreadForm would leave out, read from the audience rule itself: a copy is
    saved in a savepoint, its readers are asked (``directory.access.readers``), and everything is rolled
    back — nothing is stored, audited or notified."""
    result = LeftOut()
    draft = form.instance
    if draft.working_group_id and draft.visibility == Visibility.WORKING_GROUP_MEMBERS:
        result.organizations = list(
            Participation.objects.current()
            .filter(working_group_id=draft.working_group_id)
            .exclude(role__in=MEMBER_ROLES)
            .select_related("organization")
            .order_by("organization__name")
        )
    mentioned = selectors.people_by_email(by, mentions.mentioned_emails(draft.body))
    mentioned = {email: person for email, person in mentioned.items() if person.pk != by.pk}
    if mentioned:
        with transaction.atomic():
            trial = Thread.objects.create(
                title=draft.title, body=draft.body, owner_id=draft.owner_id, author=by,
                visibility=draft.visibility, working_group_id=draft.working_group_id,
            )  # fmt: skip
            trial.audience_organizations.set(form.cleaned_data.get("audience_organizations") or [])
            reading = set(
                readers(trial).filter(pk__in=[p.pk for p in mentioned.values()]).values_list("pk", flat=True)
            )
            transaction.set_rollback(True)
        result.people = [person for person in mentioned.values() if person.pk not in reading]
    return result


# --- Threads and replies -----------------------------------------------------------------------------------


@transaction.atomic
def save_thread(*, form, by) -> tuple[Thread, MentionReport]:
    """Start (form.instance unsaved) or edit a thread from a valid ThreadForm. Only its author edits it."""
    thread = form.instance
    creating = thread.pk is None
    if not creating:
        before = Thread.objects.get(pk=thread.pk)
        if before.author_id != by.pk:
            raise PermissionDenied
        if before.is_locked and not rules.can_moderate_thread(by, before):
            raise Refused(_("This thread is locked: it can no longer be edited."))
    with content_write(thread, by=by):
        if creating:
            thread.author = by
        thread = form.save()
        thread.attachments.set(form.attachments)
    report = _notify_mentions(thread=thread, post=thread, by=by)
    if creating:
        _notify_new_thread(thread, skip={by.pk, *(person.pk for person in report.notified)})
    return thread, report


@transaction.atomic
def post_reply(*, thread: Thread, by, form) -> tuple[Reply, MentionReport]:
    """Add a reply from a valid ReplyForm to a thread the user may read (the caller fetched it through
    ``visible_to``; checked again here, since a service trusts no caller)."""
    thread = Thread.objects.select_for_update().visible_to(by).filter(pk=thread.pk).first()
    if thread is None:
        raise PermissionDenied
    if thread.is_locked:
        raise Refused(_("This thread is locked by a moderator: it takes no new replies."))
    if thread.is_hidden:
        raise Refused(_("This thread is hidden by a moderator: it takes no new replies."))
    reply = form.save(commit=False)
    reply.thread = thread
    reply.author = by
    reply.save()
    reply.attachments.set(form.attachments)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=reply.created_at)
    report = _notify_mentions(thread=thread, post=reply, by=by)
    _notify_reply(reply, skip={person.pk for person in report.notified})
    return reply, report


@transaction.atomic
def edit_reply(*, reply: Reply, by, form) -> tuple[Reply, MentionReport]:
    """The author edits their reply (the earlier text stays in the history)."""
    if reply.author_id != by.pk:
        raise PermissionDenied
    thread = reply.thread
    if not rules.can_edit_reply(by, reply):
        raise Refused(_("This thread is locked: its replies can no longer be edited."))
    reply = form.save()
    reply.attachments.set(form.attachments)
    return reply, _notify_mentions(thread=thread, post=reply, by=by)


# --- Moderation ---------------------------------------------------------------------------------------------


def _check_moderator(by, thread: Thread) -> None:
    if not rules.can_moderate_thread(by, thread):
        raise PermissionDenied


@transaction.atomic
def set_hidden(*, post: Thread | Reply, hidden: bool, by) -> None:
    """Hide a post from everyone but the moderators (its text stays, in the post and its history), or show
    it again."""
    thread = post if isinstance(post, Thread) else post.thread
    _check_moderator(by, thread)
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = by if hidden else None
    post.save(update_fields=["hidden_at", "hidden_by", "updated_at"])


@transaction.atomic
def set_locked(*, thread: Thread, locked: bool, by) -> None:
    """Lock a thread (no new replies, no more edits by their authors) or unlock it."""
    _check_moderator(by, thread)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked", "updated_at"])
