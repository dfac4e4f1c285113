"""Reads of the registry, always on behalf of a user."""

from __future__ import annotations

from django.db.models import QuerySet

from directory.models import Membership, MembershipRequest, Participation


def current_memberships(user) -> QuerySet[Membership]:
    """The user's current roles in organisations (a person sees their own, always)."""
    return (
        Membership.objects.filter(user=user, ended_at__isnull=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name", "role")
    )


def working_groups_of(user) -> QuerySet[Participation]:
    """The Working Groups the user's organisations take part in, with each organisation's role."""
    # A subquery on organisation ids rather than a join: a person with two roles in one organisation
    # must not see its Working Groups twice.
    organizations = current_memberships(user).values("organization_id")
    return (
        Participation.objects.filter(organization__in=organizations, working_group__is_active=True)
        .select_related("working_group", "organization")
        .order_by("working_group__number", "organization__name")
    )


def waiting_membership_requests(user) -> int:
    """How many organisations wait for the person's answer to a role they were asked to take."""
    return MembershipRequest.objects.pending().filter(user_id=user.pk).count()
