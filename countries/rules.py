"""Who may do what with a country profile (docs/countries.md).

Reading follows the organisation's page: every signed-in person who may open it (an active organisation;
the Secretariat also opens deactivated ones). Writing is the State's own: its current focal points,
alternates and organisation admins — nobody else, not the Secretariat (which administers the platform, not
what a State says about itself) nor CTED.
"""

from __future__ import annotations

from countries.models import PROFILE_KINDS
from directory.access import viewer
from directory.models import Organization
from directory.rules import can_administer_platform


def has_country_page(organization: Organization) -> bool:
    """Member States and regional organisations have a profile and the country sections; others do not."""
    return organization.kind in PROFILE_KINDS


def can_read_country_page(user, organization: Organization) -> bool:
    """The organisation page's own rule (directory.views.organizations.organizations_for)."""
    if viewer(user) is None or not has_country_page(organization):
        return False
    return organization.is_active or can_administer_platform(user)


def can_edit_country_profile(user, organization: Organization) -> bool:
    """The organisation's current people: every current membership is a focal point's, an alternate's or an
    organisation admin's (directory.models.MembershipRole), so "one of its people" is exactly the rule."""
    who = viewer(user)
    return (
        who is not None
        and has_country_page(organization)
        and organization.is_active
        and organization.pk in who.organization_ids
    )
