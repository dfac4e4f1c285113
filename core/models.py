"""The security log: sign-ins, failures, lockouts, MFA changes, refusals, exports and restricted downloads.

Writes to content and to the registry are audited by PostgreSQL triggers (django-pghistory); this table
holds the events that are not row changes. Like those, it is append-only in the database itself: an
UPDATE or DELETE is refused by a trigger, whatever code or SQL session attempts it.
"""

import secrets
from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
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


class StagedUpload(models.Model):
    """An uploaded file's rows, read and checked, waiting for their uploader to save them (or not): the rows
    as read (JSON) and the report of their checks. Only its uploader reaches it, by its random token (anyone
    else gets the page of an import that does not exist); it expires after ``TTL`` and is deleted at the next
    upload. Not audited itself: it is the uploader's draft, and what it saves is. Each import (the projects',
    CTED's) has its own concrete model, for the fields of its own."""

    #: How long an upload waits for its save.
    TTL = timedelta(days=1)

    token = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file"), max_length=200)
    #: The rows as read: each ``{"number": row number in the file, "values": column key → text, ...}``.
    rows = models.JSONField(default=list)
    #: Each row's number, errors and what it will write (the ``report()`` of the import's checked rows).
    report = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def stage(cls, *, by, filename: str, rows: list[dict], report: list[dict], **fields):
        """Keep a checked upload for its uploader (and drop the expired ones, anyone's)."""
        now = timezone.now()
        cls.objects.filter(expires_at__lt=now).delete()
        return cls.objects.create(
            token=secrets.token_urlsafe(32), uploaded_by=by, filename=filename[:200], rows=rows,
            report=report, created_at=now, expires_at=now + cls.TTL, **fields,
        )  # fmt: skip

    @classmethod
    def of_uploader(cls, user, token: str, **filters):
        """The user's own staged upload: any other token (someone else's, expired, unknown) is a 404 alike."""
        found = cls.objects.filter(
            token=token, uploaded_by=user, expires_at__gt=timezone.now(), **filters
        ).first()
        if found is None:
            raise Http404("no such import")
        return found

    def save_rows(self, *, check, write, numbers: list[int] | None = None, only_valid: bool = False):
        """Check the staged rows again (``numbers``: a choice of them) and ``write`` the valid ones, in one
        transaction; unless ``only_valid``, one invalid row writes nothing. Rows are checked again because
        the registry or the stored data may have changed since the preview; the report then shows the rows'
        new state. ``check(rows)`` gives checked rows (``number``, ``valid``, ``report()``);
        ``write(valid)`` saves them. Returns what ``write`` returned (None: nothing written) and the invalid
        rows."""
        with transaction.atomic():
            staged = type(self).objects.select_for_update().get(pk=self.pk)
            if staged.saved_at is not None:
                return None, []
            checked = check([row for row in staged.rows if numbers is None or row["number"] in numbers])
            invalid = [row for row in checked if not row.valid]
            if invalid:
                fresh = {row.number: row.report() for row in checked}
                staged.report = [fresh.get(entry["number"], entry) for entry in staged.report]
                staged.save(update_fields=["report"])
                if not only_valid:
                    return None, invalid
            valid = [row for row in checked if row.valid]
            if not valid:
                return None, invalid
            written = write(valid)
            staged.saved_at = timezone.now()
            staged.save(update_fields=["saved_at"])
        return written, invalid
