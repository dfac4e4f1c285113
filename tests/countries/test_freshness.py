"""``countries.selectors.stale_profiles_of``: a State's own profile, not saved for a while, for its people."""

from datetime import timedelta

from django.utils import timezone

from countries.models import CountryProfile
from countries.selectors import stale_profiles_of
from tests.conftest import organization


def test_the_profile_goes_stale_for_the_states_people_only(ken_person, unodc_person, settings):
    kenya = organization("state:KEN")
    CountryProfile.objects.create(
        organization=kenya, priorities="Borders.", updated_by=ken_person,
        updated_at=timezone.now() - timedelta(days=366),
    )  # fmt: skip

    found = stale_profiles_of(ken_person)
    assert [(row.label, row.url) for row in found.oldest] == [
        ("Kenya", f"/countries/{kenya.pk}/profile/edit/")
    ]
    assert stale_profiles_of(unodc_person).count == 0
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "country_profiles": 400}
    assert stale_profiles_of(ken_person).count == 0
    # a deactivated State's profile is nobody's to update
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "country_profiles": 30}
    kenya.__class__.objects.filter(pk=kenya.pk).update(is_active=False)
    assert stale_profiles_of(ken_person).count == 0
