"""Who may do what with requests for support (docs/support.md); reading is the audience rule
(``SupportRequest.objects.visible_to``) and nothing else.

- Asking is for the focal points and alternates of a Member State or a regional organisation, for it; the
  same people act for the asking organisation afterwards (accept an offer, mark delivered, close, link
  projects). A Compact entity's people never ask, and an organisation admin administers people, not requests.
- Offering is for the people of a Compact entity who may read the request, and the people of the organisations
  chairing the addressed Working Group — never for the asker's own organisation.
- Linking projects is the asker's, and, once an offer is accepted, its organisation's people's.

Rights come from current roles on every check: the organisations a person acts for are read once per request
and dropped with the audience context (``directory.access.forget_viewer``).
"""

from __future__ import annotations

from django.db.models import Q

from directory.access import DERIVED_CACHES, viewer
from directory.models import (
    LEADERSHIP_ROLES,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Participation,
)
from directory.rules import can_share_content, register_content_rules
from support.models import RequestStatus, SupportRequest

#: The organisations that ask for support, and the roles that ask for them.
ASKING_KINDS = (OrganizationKind.MEMBER_STATE, OrganizationKind.REGIONAL_ORGANIZATION)
ASKING_ROLES = (MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE)
#: Offers are made while the request is waiting for one.
OFFERING = (RequestStatus.OPEN, RequestStatus.OFFERS)

ASKING_CACHE = "_support_asking_organizations"
DERIVED_CACHES.append(ASKING_CACHE)


def asking_organization_ids(user) -> frozenset[int]:
    """The Member States and regional organisations the user is a focal point or alternate of (one query,
    cached on the user for the request)."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return frozenset()
    cached = getattr(user, ASKING_CACHE, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(
                user_id=who.user_id,
                ended_at__isnull=True,
                role__in=ASKING_ROLES,
                organization__is_active=True,
                organization__kind__in=ASKING_KINDS,
            ).values_list("organization_id", flat=True)
        )
        setattr(user, ASKING_CACHE, cached)
    return cached


def can_ask(user) -> bool:
    return bool(asking_organization_ids(user))


def acts_for_asker(user, request: SupportRequest) -> bool:
    """The asking organisation's focal points and alternates."""
    return request.owner_id in asking_organization_ids(user)


def offering_organization_ids(user, request: SupportRequest) -> set[int]:
    """The user's organisations that may offer help with ``request`` (which the caller has read through
    ``visible_to``): Compact entities, and organisations chairing the addressed Working Group — the asker's
    own organisation never."""
    who = viewer(user)
    if who is None:
        return set()
    candidates = who.organization_ids - {request.owner_id}
    if not candidates:
        return set()
    may_offer = Q(kind=OrganizationKind.COMPACT_ENTITY)
    if request.addressed_working_group_id in who.led_group_ids:
        chairs = Participation.objects.current().filter(
            working_group_id=request.addressed_working_group_id, role__in=LEADERSHIP_ROLES
        )
        may_offer |= Q(pk__in=chairs.values("organization_id"))
    return set(
        Organization.objects.filter(may_offer, pk__in=candidates, is_active=True).values_list("pk", flat=True)
    )


def can_offer(user, request: SupportRequest) -> bool:
    """Whether the user is one who offers on this request (whether offers are still taken is the
    workflow's: ``is_taking_offers``)."""
    return bool(offering_organization_ids(user, request))


def can_accept_offer(user, request: SupportRequest) -> bool:
    return acts_for_asker(user, request)


def is_taking_offers(request: SupportRequest) -> bool:
    return request.status in OFFERING


def can_change_status(user, request: SupportRequest) -> bool:
    """Delivered and closed are the asker's to say (the workflow says from which status)."""
    return acts_for_asker(user, request)


def can_link_projects(user, request: SupportRequest, accepted_organization_id: int | None) -> bool:
    """The asker, and the people of the organisation whose offer was accepted."""
    if acts_for_asker(user, request):
        return True
    who = viewer(user)
    return (
        who is not None
        and accepted_organization_id is not None
        and accepted_organization_id in (who.organization_ids)
    )


def can_change_request(user, request: SupportRequest) -> bool:
    """A request is changed through its workflow only (offers, status, links): the generic "change" of content
    (edit its text and audience) is the asker's."""
    return acts_for_asker(user, request)


register_content_rules(SupportRequest, change=can_change_request, share=can_share_content)
