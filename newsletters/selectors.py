"""Reads of newsletters: the archive for everyone signed in, the Secretariat's list and delivery report,
and the subscribers an issue goes to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from directory.models import User
from newsletters import rules
from newsletters.models import Delivery, DeliveryState, Newsletter, Status, Subscription

#: Uncertain deliveries named on an issue's page; the rest are counted.
UNCERTAIN_LISTED = 50


def archive() -> QuerySet[Newsletter]:
    """The issues sent (or being sent) to the network, the latest first: every signed-in person reads them."""
    return (
        Newsletter.objects.exclude(status=Status.DRAFT)
        .defer("body", "introduction")
        .order_by("-send_started_at", "-id")
    )


def managed() -> QuerySet[Newsletter]:
    """Every issue, the latest opened first, with its deliveries counted by state (one query)."""
    return (
        Newsletter.objects.defer("body", "introduction")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.SENT)),
            uncertain=Count("deliveries", filter=Q(deliveries__state=DeliveryState.CLAIMED)),
        )
        .order_by("-created_at", "-id")
    )


def newsletter_for(user, pk: int) -> Newsletter:
    """The issue ``pk`` if the user may read it; 404 otherwise — a draft is no different from a missing
    issue to anyone but the Secretariat."""
    newsletter = Newsletter.objects.filter(pk=pk).first()
    if newsletter is None or not rules.can_read_newsletter(user, newsletter):
        raise Http404
    return newsletter


def subscribers() -> QuerySet[User]:
    """Everyone a newsletter goes to: every active person with an e-mail address, unless they unsubscribed.
    Accounts exist only through an invitation accepted from a link sent to the address (or an approved
    access request, which ends in the same invitation), so every account's address is a verified one."""
    unsubscribed = Subscription.objects.filter(subscribed=False).values("person_id")
    return User.objects.filter(is_active=True).exclude(email="").exclude(pk__in=unsubscribed).order_by("pk")


def is_subscribed(user) -> bool:
    return not Subscription.objects.filter(person_id=user.pk, subscribed=False).exists()


@dataclass(frozen=True)
class DeliveryReport:
    """How far an issue went: sent, uncertain (claimed, never confirmed) with the first of them named."""

    sent: int
    uncertain: int
    uncertain_people: list[Delivery]


def delivery_report(newsletter: Newsletter) -> DeliveryReport:
    """Two queries: the counts by state, and the first uncertain deliveries with their person."""
    counts = newsletter.deliveries.aggregate(
        sent=Count("pk", filter=Q(state=DeliveryState.SENT)),
        uncertain=Count("pk", filter=Q(state=DeliveryState.CLAIMED)),
    )
    people = list(
        newsletter.deliveries.filter(state=DeliveryState.CLAIMED)
        .select_related("person")
        .only("pk", "claimed_at", "batch", "person__full_name", "person__email")
        .order_by("claimed_at", "pk")[:UNCERTAIN_LISTED]
    )
    return DeliveryReport(sent=counts["sent"], uncertain=counts["uncertain"], uncertain_people=people)
