"""Newsletters in the permission matrix (see tests/permission_matrix.py).

The Secretariat opens periods, edits, previews and sends (403 for everyone else, the pages being no secret);
a draft is the Secretariat's: its page is a 404 for everyone else and the archive never lists it. A sent
issue is read by every signed-in person. Everyone signed in changes their own subscription; the unsubscribe
link of an e-mail works without signing in (focal_a's link, opened and posted by every role).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from newsletters.emails import unsubscribe_token
from newsletters.models import Kind, Newsletter, Status, Subscription
from tests import permission_matrix as pm

SENT_TITLE = "Newsletter sent to the network"
DRAFT_TITLE = "Draft newsletter of the Secretariat"
SIGNED_IN = ("outsider", "focal_a", "focal_b", "wg_chair", "org_admin", "secretariat")


def _newsletter(title: str, **fields) -> Newsletter:
    return Newsletter.objects.create(
        kind=Kind.BIMONTHLY,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 28),
        title=title,
        body="Events held\n- Coordination Committee",
        **fields,
    )


def build(world) -> None:
    now = timezone.now()
    world.extra.update(
        newsletter_sent=_newsletter(SENT_TITLE, status=Status.SENT, send_started_at=now, sent_at=now),
        newsletter_draft=_newsletter(DRAFT_TITLE),
        newsletter_to_send=_newsletter(f"{DRAFT_TITLE} (to send)"),
        newsletter_token=unsubscribe_token(world.users["focal_a"]),
    )


def _token(world) -> dict:
    return {"token": world.extra["newsletter_token"]}


ROWS = [
    pm.Row("newsletters:archive", pm.everyone(200), hidden=dict.fromkeys(SIGNED_IN, DRAFT_TITLE)),
    pm.Row("newsletters:manage", pm.secretariat_only()),
    pm.Row("newsletters:new", pm.secretariat_only()),
    # one row per URL: the draft's page, the confidential case (a sent issue's is everyone's: test_pages.py)
    pm.Row("newsletters:issue", pm.everyone(404, secretariat=200), kwargs=pm.pk_of("newsletter_draft")),
    pm.Row("newsletters:edit", pm.secretariat_only(), kwargs=pm.pk_of("newsletter_draft")),
    pm.Row("newsletters:preview", pm.secretariat_only(), kwargs=pm.pk_of("newsletter_draft")),
    # POST only: the Secretariat's GET is 405, everyone else is refused before the method is looked at
    pm.Row("newsletters:send", pm.secretariat_only(405), kwargs=pm.pk_of("newsletter_to_send")),
    pm.Row("newsletters:subscription", pm.everyone(200)),
    pm.Row("newsletters:unsubscribe", pm.everyone(200, anonymous=200), kwargs=_token),
]


def _subscribed(value: bool):
    return lambda w: Subscription.objects.filter(person=w.actor, subscribed=value).exists()


POST_ROWS = [
    pm.PostRow(
        "newsletters:new",
        pm.secretariat_only(pm.DONE),
        data=lambda w: {"kind": Kind.ANNUAL, "start": "2031-01-01", "end": "2031-12-31"},
        done=lambda w: Newsletter.objects.filter(kind=Kind.ANNUAL, period_start=date(2031, 1, 1)).exists(),
    ),
    pm.PostRow(
        "newsletters:edit",
        pm.secretariat_only(pm.DONE),
        kwargs=pm.pk_of("newsletter_draft"),
        data=lambda w: {"title": pm.EDITED, "introduction": "Dear colleagues,", "body": "Events held"},
        done=lambda w: Newsletter.objects.filter(pk=w.extra["newsletter_draft"].pk, title=pm.EDITED).exists(),
    ),
    pm.PostRow(
        "newsletters:send",
        pm.secretariat_only(pm.DONE),
        kwargs=pm.pk_of("newsletter_to_send"),
        done=lambda w: (
            Newsletter.objects.filter(pk=w.extra["newsletter_to_send"].pk)
            .exclude(status=Status.DRAFT)
            .exists()
        ),
    ),
    pm.PostRow(
        "newsletters:subscription",
        pm.everyone(pm.DONE),
        label="unsubscribe",
        data=lambda w: {"action": "unsubscribe"},
        done=_subscribed(False),
    ),
    pm.PostRow(
        "newsletters:subscription",
        pm.everyone(pm.DONE),
        label="subscribe",
        data=lambda w: {"action": "subscribe"},
        done=_subscribed(True),
    ),
    # the e-mail's link, without sign-in: whoever holds focal_a's link unsubscribes focal_a (and only them)
    pm.PostRow(
        "newsletters:unsubscribe",
        pm.everyone(pm.DONE, anonymous=pm.DONE),
        kwargs=_token,
        done=lambda w: Subscription.objects.filter(person=w.users["focal_a"], subscribed=False).exists(),
    ),
]
