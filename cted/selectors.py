"""Reads of CTED's assessments, always on behalf of a user: every read starts from a model's
``visible_to(user)`` (consent included, ``cted.access``)."""

from __future__ import annotations

from django.db.models import QuerySet

from cted.models import Assessment, ConsentGrant, Recommendation


def assessments_for(user) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related("state")


def recommendations_for(user, assessment: Assessment) -> QuerySet[Recommendation]:
    return Recommendation.objects.visible_to(user).filter(assessment=assessment).select_related("theme")


def grants_for(user, assessment: Assessment) -> QuerySet[ConsentGrant]:
    """The consents given on the assessment, newest first, for its State's people and CTED (none for the
    others)."""
    return (
        ConsentGrant.objects.visible_to(user)
        .filter(assessment=assessment)
        .select_related("organization", "recommendation", "granted_by", "revoked_by")
    )
