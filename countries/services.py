"""Writing a country profile: the rule checked in the same transaction as the save, every save a version
(pghistory's triggers record the row, with who saved it, in the audit trail)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from countries.models import TEXT_FIELDS, CountryProfile
from countries.rules import can_edit_country_profile
from directory.models import Organization, User


@transaction.atomic
def save_country_profile(
    *, organization: Organization, by: User, priorities: str, challenges: str, good_practices: str
) -> CountryProfile:
    """Create or update the organisation's profile as ``by``; a save that changes nothing adds no version.
    Raises PermissionDenied for anyone but the organisation's own people."""
    # Lock the organisation row: two people of the State saving at once get two versions, one after the other.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not can_edit_country_profile(by, organization):
        raise PermissionDenied
    texts = {"priorities": priorities, "challenges": challenges, "good_practices": good_practices}
    profile = CountryProfile.objects.filter(organization=organization).first()
    if profile is not None and all(getattr(profile, name) == texts[name] for name in TEXT_FIELDS):
        return profile
    if profile is None:
        profile = CountryProfile(organization=organization)
    for name, text in texts.items():
        setattr(profile, name, text)
    profile.updated_by = by
    profile.updated_at = timezone.now()
    profile.save()
    return profile
