"""Making and revoking personal access tokens, and recording their use."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from api.models import AccessToken, TokenUse
from api.scopes import ALL_SCOPES
from core.audit import client_ip

#: Every token begins with this, so that secret scanners (and people) recognise one in a file or a log.
TOKEN_PREFIX = "cpat_"  # noqa: S105 -- a prefix, not a secret

#: The longest a token may live.
MAX_LIFETIME = timedelta(days=366)

#: ``last_used_at`` moves at most this often (its row is not rewritten by every request of a busy program;
#: every request is in TokenUse anyway).
LAST_USE_RESOLUTION = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: AccessToken
    #: The secret itself: shown to the person once, never stored.
    secret: str

    @property
    def authorization_header(self) -> str:
        """The HTTP header a program sends (protocol words, not the page's language)."""
        return f"Authorization: Bearer {self.secret}"


@transaction.atomic
def issue_token(*, user, name: str, scopes, expires_at: datetime) -> IssuedToken:
    """A new token for ``user`` (who makes it for themself: there is no way to make one for someone else)."""
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= ALL_SCOPES:
        raise ValueError(f"unknown or no scopes: {scopes}")
    now = timezone.now()
    if not now < expires_at <= now + MAX_LIFETIME:
        raise ValueError("a token expires in the future, within a year")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], digest=digest_of(secret),
        scopes=scopes, expires_at=expires_at,
    )  # fmt: skip
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token: AccessToken, by) -> None:
    """Revoke one of ``by``'s own tokens (at once: the next request made with it is refused)."""
    if token.user_id != by.pk:
        raise PermissionError("a person revokes only their own tokens")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def find_usable(secret: str) -> AccessToken | None:
    """The token this secret opens, with its person, if it is neither revoked nor expired (one query)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return AccessToken.objects.usable().select_related("user").filter(digest=digest_of(secret)).first()


def record_use(token: AccessToken, request, status: int) -> None:
    """One row per request made with the token (its audit trail), and its "last used" moved when stale."""
    now = timezone.now()
    TokenUse.objects.create(
        token=token, method=request.method[:10], path=request.path[:500], status=status,
        ip_address=client_ip(request),
    )  # fmt: skip
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
