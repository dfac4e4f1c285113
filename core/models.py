"""The security log: sign-ins, failures, lockouts, MFA changes, refusals, exports and restricted downloads.

Writes to content and to the registry are audited by PostgreSQL triggers (django-pghistory); this table
holds the events that are not row changes. Like those, it is append-only in the database itself: an
UPDATE or DELETE is refused by a trigger, whatever code or SQL session attempts it.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKOUT = "lockout", _("Account locked out")
    SIGN_OUT = "sign_out", _("Signed out")
    MFA_CHANGED = "mfa_changed", _("MFA changed")
    ACCESS_DENIED = "access_denied", _("Access denied")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Restricted download")
    SUPERUSER = "superuser", _("Superuser access")
    SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
    PURGE = "purge", _("Purged from the trash")


class SecurityEvent(models.Model):
    """One security-relevant event, kept forever and never changed."""

    kind = models.CharField(_("event"), max_length=20, choices=SecurityEventKind.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,  # the log outlives accounts: no cascade, no constraint to break
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # For failed sign-ins the attempted login is kept as typed (the account may not exist).
    login = models.CharField(_("login attempted"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="securityevent_kind_idx")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class PendingJob(models.Model):
    """A background job that could not be handed over (broker unreachable, or an in-process job that
    failed): kept here and sent again by ``send_pending_jobs``, so a Redis outage never drops a job."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("first tried"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last tried"), auto_now=True)

    class Meta:
        verbose_name = _("pending job")
        verbose_name_plural = _("pending jobs")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} ({self.attempts} attempts)"
