"""Writing notifications and sending their emails, each exactly once.

``notify`` is what the other apps call (discussions for mentions, replies and new threads; working_groups
for membership changes). The caller decides who may be told and what the message says: it must only name
people who may see what the notification is about, and only put in the subject and body what they may
read (a notification is shown to its recipient as it was written).

Emails go out once per notification, however often a job runs, is retried, or overlaps another run: every
send first *claims* its notifications with one conditional UPDATE (``SET emailed_at = now() WHERE ...
emailed_at IS NULL RETURNING id``) inside a transaction, and enqueues the email in that transaction
(``core.tasks.enqueue`` hands it over after the commit). Two runs at the same time: the second waits for
the first's row locks, then finds ``emailed_at`` set and claims nothing. A rolled-back claim sends nothing
and leaves the notifications for the next run.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tasks import enqueue, send_email
from directory.access import viewer
from directory.models import Profile, User
from directory.profiles import addressed_to, language_named
from notifications import selectors
from notifications.models import DIGEST_FREQUENCIES, Frequency, Notification, Preference

# Part of the contract other apps code against (reads, kept in selectors).
frequency_for = selectors.frequency_for
unread_count = selectors.unread_count

#: Rows per INSERT statement (PostgreSQL allows 65,535 parameters; a row takes 9).
INSERT_BATCH = 1000
#: Notifications listed in one digest email; the rest are counted, with a link to the list.
DIGEST_LIMIT = 50
#: An immediate notification not emailed after this long lost its job (a crash between the commit and the
#: hand-over): the sweep sends it.
OVERDUE_AFTER = timedelta(minutes=15)
URL_MAX_LENGTH = Notification._meta.get_field("url").max_length

_COLUMNS = (
    "recipient_id",
    "working_group_id",
    "kind",
    "subject",
    "body",
    "url",
    "created_at",
    "delivery",
    "dedupe_key",
)
_TABLE = Notification._meta.db_table
_USERS = User._meta.db_table


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def is_local_path(url: str) -> bool:
    """A path on this site (``/...``): never another host, a scheme, or a protocol-relative ``//host``."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def absolute(path: str) -> str:
    """A link for an email: PLATFORM_URL + path (just the path when PLATFORM_URL is not set, in dev)."""
    return f"{settings.PLATFORM_URL.rstrip('/')}{path}"


# --- Notifying --------------------------------------------------------------------------------------------


@transaction.atomic
def notify(
    *,
    recipients,
    subject: str,
    body: str,
    url: str,
    working_group=None,
    kind: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each active recipient (users or user ids) on the platform, and by email as they chose for
    ``working_group``'s space (None: outside the Working Groups). Returns the notifications created: with a
    ``dedupe_key``, a recipient who already had one with that key gets nothing new (and is not returned).

    ``url`` must be a path on the platform (``reverse(...)``); anything else is a programming error.
    """
    if not is_local_path(url) or len(url) > URL_MAX_LENGTH:
        raise ValueError(f"A notification links to a path on the platform, not {url!r}")
    if isinstance(recipients, QuerySet):
        recipients = recipients.values_list("pk", flat=True)
    wanted = {_pk(recipient) for recipient in recipients} - {None}
    if not wanted:
        return []
    active = list(
        User.objects.filter(pk__in=wanted, is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    if not active:
        return []
    chosen = selectors.frequencies_for(active, working_group)
    words = _in_languages_of(active, subject=subject, body=body)
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=user_id,
            working_group_id=_pk(working_group),
            kind=kind[:30],
            subject=words[user_id][0],
            body=words[user_id][1],
            url=url,
            created_at=now,
            delivery=chosen.get(user_id, Frequency.IMMEDIATE),
            dedupe_key=dedupe_key[:200],
        )
        for user_id in active
    ]
    created = _insert(rows)
    from notifications.tasks import send_notification_email  # the tasks wrap this module

    for notification in created:
        if notification.delivery == Frequency.IMMEDIATE:
            enqueue(send_notification_email, notification.pk)
    recipients = {notification.recipient_id for notification in created}
    transaction.on_commit(lambda: selectors.forget_unread(recipients))
    return created


def _insert(rows: list[Notification]) -> list[Notification]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the rows the database took (a recipient who already
    holds the dedupe key is skipped, even by a concurrent call), with their ids."""
    created = []
    columns = ", ".join(_COLUMNS)
    row_placeholder = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        # Table and column names come from the model, never from input; values are parameters.
        sql = (
            f"INSERT INTO {_TABLE} ({columns}) VALUES {', '.join([row_placeholder] * len(batch))} "  # noqa: S608
            "ON CONFLICT DO NOTHING RETURNING id, recipient_id"
        )
        params = [getattr(row, column) for row in batch for column in _COLUMNS]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = {recipient_id: pk for pk, recipient_id in cursor.fetchall()}
        for row in batch:
            if row.recipient_id in ids:
                row.pk = ids[row.recipient_id]
                row._state.adding = False
                row._state.db = connection.alias
                created.append(row)
    return created


# --- Reading ----------------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(user, ids=None) -> int:
    """Mark the person's unread notifications (all, or those of ``ids``) as read; returns how many. Other
    people's ids are ignored."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=[int(pk) for pk in ids])
    marked = unread.update(read_at=timezone.now())
    selectors.forget_unread([user.pk])
    return marked


# --- Preferences ------------------------------------------------------------------------------------------


@transaction.atomic
def save_preferences(*, user, choices: dict[int | None, str]) -> None:
    """Save the person's frequency per space (Working Group id, or None for outside the Working Groups),
    in one statement. Only spaces they take part in may be chosen.

    Notifications still waiting for a digest of a space follow the new choice: another digest takes them,
    "none" drops their email, and "immediately" hands them to the next daily digest (no burst of emails).
    """
    who = viewer(user)
    if who is None:
        raise ValidationError(_("Sign in to choose your notifications."))
    allowed = {None, *who.working_group_ids}
    if set(choices) - allowed:
        raise ValidationError(_("You can only choose for the Working Groups you take part in."))
    choices = {group_id: Frequency(value) for group_id, value in choices.items()}
    before = selectors.preferences_of(user)
    Preference.objects.bulk_create(
        [Preference(user=user, working_group_id=group_id, frequency=f) for group_id, f in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "working_group"],
        update_fields=["frequency", "updated_at"],
    )
    for group_id, frequency in choices.items():
        if frequency == before.get(group_id, Frequency.IMMEDIATE):
            continue
        Notification.objects.filter(
            recipient_id=user.pk,
            working_group_id=group_id,
            emailed_at__isnull=True,
            delivery__in=DIGEST_FREQUENCIES,
        ).update(delivery=Frequency.DAILY if frequency == Frequency.IMMEDIATE else frequency)


# --- Emails -----------------------------------------------------------------------------------------------


def claim(*, delivery: str, ids=None, recipient_id: int | None = None) -> list[int]:
    """Claim un-emailed notifications of active recipients for sending: sets ``emailed_at`` and returns the
    ids this call claimed. One conditional UPDATE: a notification is claimed by exactly one caller, even
    when runs overlap (call it inside the transaction that enqueues the email)."""
    conditions = ["n.emailed_at IS NULL", "n.delivery = %s"]
    params: list = [timezone.now(), delivery]
    if ids is not None:
        conditions.append("n.id = ANY(%s)")
        params.append([int(pk) for pk in ids])
    if recipient_id is not None:
        conditions.append("n.recipient_id = %s")
        params.append(recipient_id)
    # Table names come from the models' metadata, never from input.
    sql = (
        f"UPDATE {_TABLE} AS n SET emailed_at = %s WHERE {' AND '.join(conditions)} "  # noqa: S608
        f"AND EXISTS (SELECT 1 FROM {_USERS} u WHERE u.id = n.recipient_id AND u.is_active) "
        "RETURNING n.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(pk for (pk,) in cursor.fetchall())


def _in_languages_of(user_ids: list[int], *, subject, body) -> dict[int, tuple[str, str]]:
    """Each recipient's subject and text in the language they chose (the platform's default without one):
    written once per language, so a message made with ``core.i18n.translated_later`` reads in French for
    one person and in Arabic for the next, whoever caused it."""
    chosen = dict(Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "language"))
    written: dict[str, tuple[str, str]] = {}
    for language in {language_named(chosen.get(pk)) or settings.LANGUAGE_CODE for pk in user_ids}:
        with translation.override(language):
            written[language] = (" ".join(str(subject).split())[:200], str(body))
    return {pk: written[language_named(chosen.get(pk)) or settings.LANGUAGE_CODE] for pk in user_ids}


def send_notification_email(notification_id: int) -> int:
    """Email one notification of an "immediately" recipient; 0 if it was already sent (a retry, a second
    job) or its recipient was deactivated meanwhile."""
    with transaction.atomic():
        if not claim(delivery=Frequency.IMMEDIATE, ids=[notification_id]):
            return 0
        notification = Notification.objects.select_related("recipient", "working_group").get(
            pk=notification_id
        )
        with addressed_to(notification.recipient):
            body = render_to_string(
                "notifications/email/notification.txt",
                {
                    "notification": notification,
                    "person": notification.recipient,
                    "link": absolute(notification.get_absolute_url()),
                    "preferences_link": absolute(reverse("notifications:preferences")),
                },
            )
        enqueue(
            send_email, subject=notification.subject, body=body, recipients=[notification.recipient.email]
        )
    return 1


def send_overdue(*, now=None) -> int:
    """Send the immediate emails whose job was lost (enqueued after a commit the process did not survive);
    returns how many went. Each is claimed like any other, so a job that turns up late sends nothing."""
    cutoff = (now or timezone.now()) - OVERDUE_AFTER
    overdue = Notification.objects.filter(
        delivery=Frequency.IMMEDIATE,
        emailed_at__isnull=True,
        created_at__lt=cutoff,
        recipient__is_active=True,
    ).order_by("created_at", "id")
    return sum(send_notification_email(pk) for pk in list(overdue.values_list("pk", flat=True)[:1000]))


def send_digests(frequency: str) -> int:
    """One digest email per person with notifications of this frequency waiting; returns how many emails
    were enqueued. Safe to run twice or concurrently (each person's notifications are claimed first)."""
    frequency = Frequency(frequency)
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"No digest for {frequency!r}")
    waiting = (
        Notification.objects.filter(delivery=frequency, emailed_at__isnull=True, recipient__is_active=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(send_digest(recipient_id=recipient_id, frequency=frequency) for recipient_id in list(waiting))


def send_digest(*, recipient_id: int, frequency: str) -> int:
    """Claim one person's waiting notifications of this frequency and enqueue their digest email; 1 if an
    email was enqueued, 0 if another run had claimed them all."""
    frequency = Frequency(frequency)
    with transaction.atomic():
        ids = claim(delivery=frequency, recipient_id=recipient_id)
        if not ids:
            return 0
        notifications = list(
            Notification.objects.filter(pk__in=ids)
            .select_related("working_group")
            .order_by(F("working_group__number").asc(nulls_last=True), "-created_at", "-id")[:DIGEST_LIMIT]
        )
        person = User.objects.get(pk=recipient_id)
        groups = [
            {"working_group": group, "notifications": [(n, absolute(n.get_absolute_url())) for n in items]}
            for group, items in groupby(notifications, key=lambda n: n.working_group)
        ]
        # In the recipient's language, times in their zone, as on their pages.
        with addressed_to(person):
            subject = digest_subject(frequency, len(ids))
            body = render_to_string(
                "notifications/email/digest.txt",
                {
                    "person": person,
                    "frequency": frequency,
                    "groups": groups,
                    "count": len(ids),
                    "more": len(ids) - len(notifications),
                    "list_link": absolute(reverse("notifications:list")),
                    "preferences_link": absolute(reverse("notifications:preferences")),
                },
            )
        enqueue(send_email, subject=subject, body=body, recipients=[person.email])
    return 1


def digest_subject(frequency: Frequency, count: int) -> str:
    if frequency == Frequency.WEEKLY:
        text = ngettext(
            "Your weekly digest: %(count)s notification", "Your weekly digest: %(count)s notifications", count
        )
    else:
        text = ngettext(
            "Your daily digest: %(count)s notification", "Your daily digest: %(count)s notifications", count
        )
    return f"{settings.PLATFORM_NAME} · " + text % {"count": count}
