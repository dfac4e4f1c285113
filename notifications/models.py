"""Notifications: what the platform tells one person (a mention, a reply, a new thread, a membership
change), on the platform and by email, immediately or in a daily / weekly digest, as each person chooses
per Working Group space.

Notifications are derived data (the thread, the reply or the membership change is what is audited), so
they are not tracked by pghistory; their ``created_at``, ``read_at`` and ``emailed_at`` say what happened
to them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import WorkingGroup


def space_field() -> models.ForeignKey:
    """The Working Group space a row is about; empty for everything outside the Working Groups."""
    return models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Working Group"),
    )


class Frequency(models.TextChoices):
    """When a person receives the emails of one space."""

    IMMEDIATE = "immediate", _("Immediately, one email each")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NONE = "none", _("No email (on the platform only)")


#: The frequencies whose emails wait for a digest.
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)
#: The frequencies that email at all.
EMAILED_FREQUENCIES = (Frequency.IMMEDIATE, *DIGEST_FREQUENCIES)


class Notification(models.Model):
    """One message to one person, shown on the platform and emailed once (at most) as ``delivery`` says.

    ``url`` is a path on the platform (never an absolute URL: emails add ``PLATFORM_URL``, and opening a
    notification only ever redirects within the site). ``dedupe_key`` (optional) makes a second
    notification about the same thing to the same person a no-op.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    working_group = space_field()
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    #: When the email was claimed for sending (immediately or in a digest); never set for ``none``.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    #: The recipient's choice for this space when the notification was made (kept up to date for the
    #: pending ones when the choice changes, see services.save_preferences).
    delivery = models.CharField(
        _("email delivery"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [
            # The list page, the unread count and "mark all as read".
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recent_idx"),
            # The digests (and the sweep of lost immediate emails) read only what is still waiting: a small
            # partial index, whatever the history.
            models.Index(
                fields=["delivery", "recipient"],
                condition=Q(emailed_at__isnull=True, delivery__in=EMAILED_FREQUENCIES),
                name="notification_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", kwargs={"pk": self.pk})

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A person's email frequency for one Working Group space (``working_group`` empty: everything outside
    the Working Groups). Without a row, notifications are emailed immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    working_group = space_field()
    frequency = models.CharField(
        _("email frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user_id", "working_group_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "working_group"], nulls_distinct=False, name="preference_once_per_space"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.working_group or _('outside the Working Groups')}: {self.frequency}"
