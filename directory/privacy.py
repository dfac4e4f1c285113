"""Who may see a person's contact details: decided here, and only here, for every output.

Pages, search results, vCards and CSV/XLSX exports all build what they show of a person from
``contact_card(viewer, person)``; none of them reads ``user.email`` or the phone fields directly. The
search index holds no contact detail at all, so a hidden phone number can never be found by searching.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.access import Viewer, viewer
from directory.models import ContactVisibility, User


@dataclass(frozen=True)
class ContactCard:
    """The contact details of one person as one viewer may see them ("" where hidden)."""

    email: str
    phone_office: str
    phone_mobile: str

    @property
    def hidden(self) -> bool:
        return not (self.email or self.phone_office or self.phone_mobile)


def may_see(visibility: str, who: Viewer | None, person_id: int, person_organization_ids: set[int]) -> bool:
    if who is None:
        return False
    if who.user_id == person_id:
        return True  # people always see their own details
    if visibility == ContactVisibility.PLATFORM:
        return True
    if visibility == ContactVisibility.COMPACT:
        return who.is_compact
    if visibility == ContactVisibility.ORGANIZATION:
        return bool(who.organization_ids & person_organization_ids)
    return False  # private, or anything unknown: hidden


def organization_ids_of(person: User) -> set[int]:
    """The person's current organisations, from the prefetch the people selectors make."""
    memberships = getattr(person, "current_memberships", None)
    if memberships is None:
        memberships = person.memberships.filter(ended_at__isnull=True)
    return {membership.organization_id for membership in memberships}


def contact_card(viewer_user, person: User) -> ContactCard:
    who = viewer(viewer_user)
    profile = getattr(person, "profile", None)
    organizations = organization_ids_of(person)
    email_visibility = profile.email_visibility if profile else ContactVisibility.PLATFORM
    phone_visibility = profile.phone_visibility if profile else ContactVisibility.ORGANIZATION
    phones = may_see(phone_visibility, who, person.pk, organizations)
    return ContactCard(
        email=person.email if may_see(email_visibility, who, person.pk, organizations) else "",
        phone_office=(profile.phone_office if profile and phones else ""),
        phone_mobile=(profile.phone_mobile if profile and phones else ""),
    )
