"""The home's other blocks, composed from the apps' selectors (docs/dashboard.md, "Home"): new documents in
the person's themes, and what they own that needs updating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from core.freshness import Stale
from countries.selectors import stale_profiles_of
from directory.access import viewer
from directory.selectors import interests_of, stale_organizations_of
from library.selectors import new_in_themes
from library.selectors import stale_of as stale_resources_of
from planning.selectors import stale_activities_of
from projects.selectors import stale_of as stale_projects_of

if TYPE_CHECKING:
    from library.models import Resource


@dataclass(frozen=True)
class ThemeDocuments:
    """The new documents in the person's themes, and where the themes come from: "profile" (the expertise
    they listed) or "working_groups" (their Working Groups, when the profile lists none)."""

    resources: list[Resource]
    source: str


def documents_in_themes(user) -> ThemeDocuments:
    """The themes and pillars of the person's profile if they listed any; otherwise their organisations'
    Working Groups (their documents are the group's themes)."""
    interests = interests_of(user)
    if interests:
        return ThemeDocuments(
            new_in_themes(user, tags=interests.tags, pillar_ids=interests.pillar_ids), "profile"
        )
    who = viewer(user)
    groups = sorted(who.working_group_ids) if who else []
    return ThemeDocuments(new_in_themes(user, working_group_ids=groups), "working_groups")


#: Each module's heading in "Needs updating", in the order shown.
MODULES = {
    "organizations": _("Your organisation's profile"),
    "country_profiles": _("Country profile"),
    "activities": _("Open workplan activities"),
    "projects": _("Ongoing projects"),
    "library": _("Library resources"),
}

STALE_SOURCES = (
    stale_organizations_of,
    stale_profiles_of,
    stale_activities_of,
    stale_projects_of,
    stale_resources_of,
)


@dataclass(frozen=True)
class Module:
    label: str
    stale: Stale


def needs_updating(user) -> list[Module]:
    """The modules with something of the person's organisations not updated for their ``FRESHNESS_DAYS``
    (at most one query each)."""
    found = [source(user) for source in STALE_SOURCES]
    return [Module(str(MODULES[stale.module]), stale) for stale in found if stale.count]
