"""Writing newsletters: opening a period (the compiled draft), editing it, sending it in batches, and people's
choice to receive them. Every write is keyword-only, checked by ``newsletters.rules`` (``PermissionDenied``)
or refused with a message (``ValidationError``), and audited by the models' triggers (pghistory).

**Sending once per person, across crashes.** ``start_sending`` marks the issue "sending" and enqueues the
first batch job (after the commit, ``core.tasks.enqueue``). A batch job sends to at most
``NEWSLETTER_BATCH_SIZE`` people, one at a time: it *claims* the next subscriber — a ``Delivery`` row,
committed, under the issue's row lock, so overlapping jobs never pick the same person and the unique
constraint forbids a second row anyway — then hands the message to the e-mail backend, then marks the row
sent. It enqueues the next batch (its own job) and the last one, finding nobody left, marks the issue sent.
A job that fails (the mail server refuses, the process dies) is retried — by Celery, by
``core.PendingJob``, or by the ``resume_sending`` sweep — and continues after the last person claimed:
claimed and sent rows are never picked again. A row claimed but never marked sent is the crash window:
the person may have the message or not, so it is reported to the Secretariat as uncertain and never
resent automatically.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import enqueue
from newsletters import compiler, emails, rules, selectors
from newsletters.models import Delivery, DeliveryState, Kind, Newsletter, Status, Subscription


def _check(by) -> None:
    if not rules.can_manage_newsletters(by):
        raise PermissionDenied


@transaction.atomic
def open_period(*, kind: str, start, end, by) -> Newsletter:
    """A new draft for the period, compiled from its data (``newsletters.compiler``)."""
    _check(by)
    if end <= start:
        raise ValidationError({"end": _("The period must end after it starts.")})
    kind = Kind(kind)
    draft = compiler.compile_period(kind, start, end)
    return Newsletter.objects.create(
        kind=kind,
        period_start=start,
        period_end=end,
        title=draft.title,
        introduction=draft.introduction,
        body=draft.body,
        created_by=by,
    )


def _locked_draft(newsletter: Newsletter) -> Newsletter:
    locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if not locked.is_draft:
        raise ValidationError(_("This newsletter was sent: it can no longer be changed."))
    return locked


@transaction.atomic
def save_draft(*, form, by) -> Newsletter:
    """Save the edited title, introduction and body of a draft (a valid ``NewsletterForm``)."""
    _check(by)
    _locked_draft(form.instance)
    return form.save()


@transaction.atomic
def start_sending(*, newsletter: Newsletter, by) -> Newsletter:
    """Send a draft to every subscriber: it joins the archive at once, and the batches go out in the
    background."""
    _check(by)
    newsletter = _locked_draft(newsletter)
    newsletter.status = Status.SENDING
    newsletter.sent_by = by
    newsletter.send_started_at = timezone.now()
    newsletter.save(update_fields=["status", "sent_by", "send_started_at", "updated_at"])
    from newsletters.tasks import send_batch  # the tasks wrap this module

    enqueue(send_batch, newsletter.pk)
    return newsletter


def _locked_sending(newsletter_id: int) -> Newsletter | None:
    """The issue under a row lock if it is still sending: claims of parallel jobs take turns on it."""
    return Newsletter.objects.select_for_update().filter(pk=newsletter_id, status=Status.SENDING).first()


@transaction.atomic
def _start_batch(newsletter_id: int) -> int | None:
    """The number of a new batch of an issue still sending, or None (sent meanwhile, or no such issue)."""
    newsletter = _locked_sending(newsletter_id)
    if newsletter is None:
        return None
    newsletter.batches += 1
    newsletter.save(update_fields=["batches"])
    return newsletter.batches


@transaction.atomic
def _claim_next(newsletter_id: int, batch: int) -> Delivery | None:
    """Claim the next subscriber of the issue (committed on return), or mark the issue sent when nobody is
    left and return None. Subscribers are taken in id order after the last one claimed: every claim runs
    under the issue's row lock, so everyone before that id was claimed, or was not subscribed when their
    turn came."""
    newsletter = _locked_sending(newsletter_id)
    if newsletter is None:
        return None
    last = Delivery.objects.filter(newsletter_id=newsletter_id).aggregate(last=Max("person_id"))["last"] or 0
    person = selectors.subscribers().filter(pk__gt=last).first()
    if person is None:
        newsletter.status = Status.SENT
        newsletter.sent_at = timezone.now()
        newsletter.save(update_fields=["status", "sent_at", "updated_at"])
        return None
    delivery = Delivery.objects.create(
        newsletter=newsletter, person=person, batch=batch, state=DeliveryState.CLAIMED
    )
    delivery.newsletter = newsletter
    return delivery


def send_batch(newsletter_id: int) -> int:
    """Send the issue to the next ``NEWSLETTER_BATCH_SIZE`` subscribers, then enqueue the next batch; returns
    how many messages went. Not one transaction on purpose: each claim and each confirmation is committed
    on its own (see the module's docstring). An error of the e-mail backend propagates, so that the job is
    retried; the person being sent to stays claimed — uncertain — and the retry continues after them."""
    batch = _start_batch(newsletter_id)
    if batch is None:
        return 0
    sent = 0
    with get_connection() as connection:  # one connection to the mail server for the whole batch
        for _turn in range(settings.NEWSLETTER_BATCH_SIZE):
            delivery = _claim_next(newsletter_id, batch)
            if delivery is None:
                return sent
            emails.message_for(delivery.newsletter, delivery.person, connection=connection).send()
            Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENT, sent_at=timezone.now())
            sent += 1
    from newsletters.tasks import send_batch as next_batch

    with transaction.atomic():
        enqueue(next_batch, newsletter_id)
    return sent


def resume_sending() -> int:
    """Enqueue a batch for every issue still sending (a sweep that beat runs every 15 minutes): a batch job
    lost with its worker, or given up after its retries, picks up where the last claim left off. Returns how
    many were enqueued. A batch of an issue whose chain is still running only shares the work."""
    from newsletters.tasks import send_batch

    ids = list(Newsletter.objects.filter(status=Status.SENDING).values_list("pk", flat=True))
    with transaction.atomic():
        for pk in ids:
            enqueue(send_batch, pk)
    return len(ids)


@transaction.atomic
def set_subscribed(*, person, subscribed: bool) -> Subscription:
    """Receive the newsletters or not (from one's page, or an issue's unsubscribe link)."""
    if person is None or not person.is_active:
        raise PermissionDenied
    subscription, _created = Subscription.objects.update_or_create(
        person=person, defaults={"subscribed": subscribed}
    )
    return subscription
