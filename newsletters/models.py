"""Newsletters: an issue compiled for a period, its deliveries (one per issue and person, the record that
makes sending resumable without a second copy), and people's choice to receive them or not."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    BIMONTHLY = "bimonthly", _("Bi-monthly")
    ANNUAL = "annual", _("Annual")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Newsletter(models.Model):
    """One issue: the period it covers, and its title, introduction and body — plain text, compiled from the
    period's data when the Secretariat opens the period, then edited by hand until it is sent. Shown as
    paragraphs (Django's ``linebreaks``, escaped like every text of the platform), never as HTML."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=5_000, blank=True)
    body = models.TextField(_("body"), max_length=100_000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("sent by"),
    )  # fmt: skip
    #: When the Secretariat pressed "Send": the issue is in the archive from then on.
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    #: When the last batch found nobody left to send to.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: How many batch jobs started; each numbers its deliveries with its own (``Delivery.batch``).
    batches = models.PositiveIntegerField(_("batches"), default=0, editable=False)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="newsletter_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(send_started_at__isnull=False),
                name="newsletter_sending_dated",
            ),
        ]
        indexes = [models.Index(fields=["status", "-send_started_at"], name="newsletter_archive_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("newsletters:issue", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class DeliveryState(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, not confirmed")
    SENT = "sent", _("Sent")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Delivery(models.Model):
    """One issue to one person: claimed (and committed) before the message is handed to the email backend,
    marked sent once the backend took it. The unique constraint makes a second copy impossible whatever runs
    twice; a row left claimed (the process died between the two writes) is *uncertain* — the person may or
    may not have the message — and is shown to the Secretariat, never sent again automatically."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("newsletter")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    batch = models.PositiveIntegerField(_("batch"))
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        ordering = ["newsletter_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "person"], name="delivery_once_per_person"),
            models.CheckConstraint(
                condition=Q(state="claimed") | Q(sent_at__isnull=False), name="delivery_sent_dated"
            ),
        ]
        indexes = [models.Index(fields=["newsletter", "state"], name="delivery_state_idx")]

    def __str__(self) -> str:
        return f"{self.newsletter_id} → {self.person_id}: {self.state}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Subscription(models.Model):
    """A person's choice about the newsletters. Without a row a person is subscribed: the newsletters go to
    the whole network, and one unsubscribes (from a link in any issue, without signing in, or from their
    own page) and may subscribe again."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    subscribed = models.BooleanField(_("receives the newsletters"), default=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        ordering = ["person_id"]
        indexes = [
            # The unsubscribed are few: the subscribers' query excludes them by this small partial index.
            models.Index(fields=["person"], condition=Q(subscribed=False), name="subscription_out_idx")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {'in' if self.subscribed else 'out'}"
