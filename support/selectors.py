"""Reads of requests for support, always on behalf of a user: every read starts from
``SupportRequest.objects.visible_to`` — the list, a request's page, an organisation's page — and the projects
linked to a request are those of the matrix the reader may see (``projects.selectors.projects_for``)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from directory.access import readers, viewer
from directory.models import (
    MEMBER_ROLES,
    SECRETARIAT_GROUP,
    Organization,
    OrganizationKind,
    Participation,
    User,
)
from projects.models import Project
from projects.selectors import projects_for
from support.models import Offer, OfferState, RequestStatus, StatusChange, SupportRequest
from support.rules import ASKING_KINDS, ASKING_ROLES, OFFERING, asking_organization_ids

#: An organisation's page lists this many of its requests (newest first), with the count of all.
SECTION_LIMIT = 5


def requests_for(user) -> QuerySet[SupportRequest]:
    """The requests the user may read, newest first, with what a list row shows in the same query."""
    return (
        SupportRequest.objects.visible_to(user)
        .select_related("owner", "theme", "addressed_working_group")
        .order_by("-created_at", "-id")
    )


def request_page(user) -> QuerySet[SupportRequest]:
    """The requests the user may read, with everything a request's page shows fetched in a fixed number of
    queries (its addressees, history and offers)."""
    return requests_for(user).prefetch_related(
        Prefetch("addressed_entities", queryset=Organization.objects.order_by("name")),
        Prefetch("history", queryset=StatusChange.objects.select_related("changed_by")),
        Prefetch("offers", queryset=Offer.objects.select_related("organization", "offered_by")),
    )


def awaiting_answer(user, *, limit: int = 5) -> list[SupportRequest]:
    """The requests waiting for the user's answer, oldest first: their own organisation's requests with
    offers to accept (its focal points and alternates answer, ``support.rules.acts_for_asker``), and the
    requests naming one of their organisations among the addressed entities that still take offers and have
    none from it yet. One query after the asking organisations (themselves one, cached)."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return []
    waiting = Q(pk__in=[])
    asking = asking_organization_ids(user)
    if asking:
        waiting |= Q(owner_id__in=asking, status=RequestStatus.OFFERS)
    addressed = SupportRequest.addressed_entities.through.objects.filter(
        organization_id__in=who.organization_ids
    ).values("supportrequest_id")
    offered = Offer.objects.filter(request=OuterRef("pk"), organization_id__in=who.organization_ids)
    waiting |= (
        Q(pk__in=addressed, status__in=OFFERING) & ~Q(owner_id__in=who.organization_ids) & ~Exists(offered)
    )
    return list(
        SupportRequest.objects.visible_to(user)
        .filter(waiting)
        .select_related("owner")
        .order_by("created_at", "pk")[:limit]
    )


def accepted_offer(request: SupportRequest) -> Offer | None:
    """The accepted offer, from the offers already fetched with the request."""
    return next((offer for offer in request.offers.all() if offer.state == OfferState.ACCEPTED), None)


def linked_projects(user, request: SupportRequest) -> QuerySet[Project]:
    """The projects linked to the request that the user may see: an invisible one is not shown, not even
    counted."""
    return projects_for(user).filter(pk__in=request.project_links.values("project_id")).order_by("title")


def linkable_projects(user) -> QuerySet[Project]:
    """The projects the user may link: those they may see."""
    return projects_for(user).order_by("title")


def addressee_organization_ids(request: SupportRequest) -> set[int]:
    """The named entities and the member organisations (chairs, co-chairs, vice-chairs, members — not
    observers or guests) of the addressed Working Group."""
    ids = set(request.addressed_entities.values_list("pk", flat=True))
    if request.addressed_working_group_id:
        ids |= set(
            Participation.objects.current()
            .filter(working_group_id=request.addressed_working_group_id, role__in=MEMBER_ROLES)
            .values_list("organization_id", flat=True)
        )
    return ids


def focal_points_reading(request: SupportRequest, organization_ids) -> QuerySet[User]:
    """The active focal points and alternates of ``organization_ids`` who may read the request — whom to tell
    about it (never anyone who may not read it)."""
    return (
        readers(request)
        .filter(
            memberships__organization_id__in=organization_ids,
            memberships__ended_at__isnull=True,
            memberships__role__in=ASKING_ROLES,
            memberships__organization__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def secretariat_reading(request: SupportRequest) -> QuerySet[User]:
    """The Secretariat's people who may read the request (the reminder's recipients when it has no
    addressee who may)."""
    return (
        readers(request)
        .filter(
            groups__name=SECRETARIAT_GROUP,
            memberships__organization__reference_key=settings.SECRETARIAT_ORGANIZATION,
            memberships__ended_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def asking_organizations(ids) -> QuerySet[Organization]:
    """The active Member States and regional organisations among ``ids``, by name."""
    return Organization.objects.filter(pk__in=ids, is_active=True, kind__in=ASKING_KINDS).order_by("name")


def organization_section(user, organization: Organization) -> dict:
    """A Member State's or regional organisation's page: its requests the reader may see, with their status
    (two queries; nothing for other organisations)."""
    if organization.kind not in ASKING_KINDS:
        return {"requests": [], "count": 0}
    found = requests_for(user).filter(owner=organization)
    count, more = found.count_capped()
    return {
        "requests": list(found[:SECTION_LIMIT]),
        "count": count,
        "more": more,
        "heading": _("Requests for support"),
        "list_query": f"?organization={organization.pk}",
    }


def entity_choices() -> QuerySet[Organization]:
    """The Compact entities a request may be addressed to."""
    return Organization.objects.filter(kind=OrganizationKind.COMPACT_ENTITY, is_active=True).order_by("name")
