"""Reads of a person's tokens (only ever their own)."""

from django.db.models import QuerySet

from api.models import AccessToken


def tokens_of(user) -> QuerySet[AccessToken]:
    """The person's tokens, newest first: the page lists them all, revoked and expired ones too."""
    return AccessToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
