"""Reads for a Member State's page, always on behalf of a user: the State's profile and its versions here;
what other apps hold about the country through those apps' selectors (countries.sections)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse

from appeal.selectors import organization_section as appeal_section
from core.freshness import Stale, stale
from countries.models import PROFILE_KINDS, TEXT_FIELDS, CountryProfile
from countries.rules import can_read_country_page
from cted.selectors import organization_section as cted_section
from directory.access import viewer
from directory.models import MembershipRole, Organization, User
from directory.people import ROLE_ORDER, organization_people
from directory.views.organizations import organizations_for
from projects.selectors import organization_section as projects_section
from support.selectors import organization_section as support_section

#: The history page lists this many versions, newest first.
HISTORY_LIMIT = 200


def profile_of(user, organization: Organization) -> CountryProfile | None:
    """The organisation's profile if the user may read its page and it has one (one query)."""
    if not can_read_country_page(user, organization):
        return None
    return CountryProfile.objects.filter(organization=organization).select_related("updated_by").first()


def stale_profiles_of(user) -> Stale:
    """The country profiles of the user's own State or regional organisation not saved for
    ``FRESHNESS_DAYS["country_profiles"]``: those the user may edit (``countries.rules.
    can_edit_country_profile``: its current people), one query; a profile never written is not listed."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return Stale("country_profiles", 0)
    return stale(
        "country_profiles",
        CountryProfile.objects.filter(
            organization_id__in=who.organization_ids,
            organization__kind__in=PROFILE_KINDS,
            organization__is_active=True,
        ).select_related("organization"),
        label=lambda profile: profile.organization.display_name,
        url=lambda profile: reverse("countries:edit", args=[profile.organization_id]),
    )


@dataclass(frozen=True)
class Version:
    """One saved version of a profile: when, by whom, which texts it changed, and the texts as saved."""

    number: int
    saved_at: datetime
    saved_by: User | None
    changed: list[str]
    texts: list[tuple[str, str]]


def field_label(name: str) -> str:
    return str(CountryProfile._meta.get_field(name).verbose_name).capitalize()


def versions(user, organization: Organization) -> list[Version]:
    """Every saved version of the organisation's profile, newest first (one query), for whoever may read
    its page (none for anyone else). Each names the texts it changed from the version before it."""
    if not can_read_country_page(user, organization):
        return []
    events = apps.get_model("countries", "CountryProfileEvent")
    found = list(
        events.objects.filter(organization_id=organization.pk, pgh_label__in=("insert", "update"))
        .select_related("updated_by")
        .order_by("pgh_id")
    )
    result, previous = [], None
    for number, event in enumerate(found, start=1):
        changed = [
            field_label(name)
            for name in TEXT_FIELDS
            if getattr(event, name) != (getattr(previous, name) if previous else "")
        ]
        result.append(
            Version(
                number=number,
                saved_at=event.updated_at,
                saved_by=event.updated_by,
                changed=changed,
                texts=[(field_label(name), getattr(event, name)) for name in TEXT_FIELDS],
            )
        )
        previous = event
    return list(reversed(result))[:HISTORY_LIMIT]


def country_pages_for(user) -> QuerySet[Organization]:
    """The Member States and regional organisations whose page the user may open (``can_read_country_page``,
    as a query: the active ones; the Secretariat also the deactivated ones), by name."""
    if viewer(user) is None:
        return Organization.objects.none()
    return organizations_for(user).filter(kind__in=PROFILE_KINDS).order_by("name", "pk")


@dataclass(frozen=True)
class Figures:
    """A State's page in numbers, each counted among what its reader may see there: the focal points the
    directory shows them, CTED's assessments and recommendations (consent decides), its requests for
    support and the projects for it (capped counts: ``more`` when there are more), and its part in the
    Appeal."""

    focal_points: int
    assessments: int
    recommendations: int
    support_requests: int
    support_requests_more: bool
    projects: int
    projects_more: bool
    appeal_donor: bool
    appeal_projects_led: int
    appeal_projects_for_country: int


def figures(user, organization: Organization) -> Figures:
    """The numbers of the organisation's page for this reader, from the same selectors as its sections (and
    the brief): a count never includes a row the reader may not see there. A fixed number of queries."""
    focal_point = ROLE_ORDER[MembershipRole.FOCAL_POINT]
    people = organization_people(user, organization)
    cted, support = cted_section(user, organization), support_section(user, organization)
    projects = projects_section(user, organization)["summary"]
    appeal = appeal_section(user, organization)
    return Figures(
        focal_points=sum(1 for row in people if row.rank == focal_point),
        assessments=len(cted["assessments"]),
        recommendations=cted["recommendations"],
        support_requests=support["count"],
        support_requests_more=bool(support.get("more")),
        projects=projects.count,
        projects_more=projects.more,
        appeal_donor=bool(appeal["donor"]),
        appeal_projects_led=appeal["leads"],
        appeal_projects_for_country=appeal["for_country"],
    )
