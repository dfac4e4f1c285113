"""Personal access tokens and the record of their use."""

from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens that still open the API: not revoked, not expired (the person's being active is checked
        at every request, with the person)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


# Made, renamed and revoked tokens are in the audit trail; its use is in TokenUse (not one event a minute).
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["digest", "last_used_at"],
)
class AccessToken(models.Model):
    """A token a person made for a program of theirs to call the API as them, within its scopes.

    Only the SHA-256 digest of the secret is stored: the token is shown once, when made, and cannot be read
    back. The secret is 256 random bits, so a fast digest is enough (nothing to guess by brute force), and a
    token is found by its digest in one index lookup. ``prefix`` (the first characters) lets a person tell
    their tokens apart and find one in their programs' configuration."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("begins with"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    scopes = ArrayField(models.CharField(max_length=40), verbose_name=_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def last_day(self):
        """The last day the token works, in the reader's zone (it expires at the end of that day)."""
        return timezone.localtime(self.expires_at - timedelta(seconds=1)).date()

    def described_scopes(self) -> list[str]:
        """What the token may do, in words: "Library: read and write"."""
        from api.scopes import describe

        return describe(self.scopes)


class TokenUse(models.Model):
    """One request made with a token: kept as the token's audit trail (append-only, like the security log)."""

    # Like the security log, the record outlives what it is about: no cascade, no constraint to break.
    token = models.ForeignKey(
        AccessToken,
        on_delete=models.DO_NOTHING,
        related_name="uses",
        verbose_name=_("token"),
        db_constraint=False,
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("address"), max_length=500)
    status = models.PositiveSmallIntegerField(_("answer"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("use of a token")
        verbose_name_plural = _("uses of tokens")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "-at"], name="tokenuse_token_at_idx")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
