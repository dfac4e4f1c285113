"""The country sections of a Member State's (or regional organisation's) page, registered on the
organisation page (directory.sections) beside the content apps' own: the State's profile first, CTED's
assessments (cted, order 20), projects with the map (projects, 30), the Appeal (appeal, 40), then upcoming
events, documents about the country and the State's showcase here.

Each context reads through the owning app's selectors only, so each holds what the reader may see and no
more; the brief (countries.brief) is built from these same functions. Every section costs a fixed number of
queries, and none for an organisation of another kind (or, for the sections about a country, without an ISO
code: a regional organisation)."""

from __future__ import annotations

from calendar_app.selectors import upcoming_for
from countries.rules import can_edit_country_profile, has_country_page
from countries.selectors import profile_of
from directory.models import Organization
from library import selectors as library
from notices import selectors as notices

#: How many items a section lists (each links to the full, filtered list where there is one).
LIMIT = 5


def profile_section(user, organization: Organization) -> dict:
    if not has_country_page(organization):
        return {"shown": False}
    return {
        "shown": True,
        "profile": profile_of(user, organization),
        "can_edit": can_edit_country_profile(user, organization),
    }


def events_section(user, organization: Organization, *, limit: int = LIMIT) -> dict:
    """The next events held in the country that the reader may see (one query)."""
    if not (has_country_page(organization) and organization.iso3):
        return {"shown": False}
    return {"shown": True, "occurrences": upcoming_for(user, country=organization.iso3, limit=limit)}


def documents_section(user, organization: Organization, *, limit: int = LIMIT) -> dict:
    """The latest library resources about the country that the reader may see (one query)."""
    if not (has_country_page(organization) and organization.iso3):
        return {"shown": False}
    return {
        "shown": True,
        "resources": library.resources_about_country(user, organization.iso3, limit=limit),
        "link": f"?country={organization.iso3}",
    }


def showcase_section(user, organization: Organization, *, limit: int = LIMIT) -> dict:
    """The State's own resources and notices addressed to a Working Group, as far as the reader may see
    them (two queries): how the State shows its efforts to the Compact's groups."""
    if not has_country_page(organization):
        return {"shown": False}
    return {
        "shown": True,
        "resources": library.showcase_of(user, organization, limit=limit),
        "notices": notices.showcase_of(user, organization, limit=limit),
    }


#: (template, context, order) of each section this app adds to an organisation's page.
REGISTERED = (
    ("countries/includes/profile.html", profile_section, 10),
    ("countries/includes/events.html", events_section, 50),
    ("countries/includes/documents.html", documents_section, 60),
    ("countries/includes/showcase.html", showcase_section, 70),
)
