"""The registry's part of the home: a person's reconfirmation, their interests, and the profiles of the
organisations they administer not updated for a while."""

from datetime import timedelta

from django.utils import timezone

from directory.models import Membership, Organization, Pillar, Profile, User
from directory.selectors import interests_of, reconfirmation_due, stale_organizations_of
from tests.conftest import make_profile, organization


def test_only_focal_points_and_alternates_reconfirm(undp_admin, ken_person):
    # an organisation admin (and nothing else) is not asked, whenever they joined
    long_ago = timezone.now() - timedelta(days=800)
    make_profile(user=undp_admin, reconfirmed_at=long_ago)
    make_profile(user=ken_person, reconfirmed_at=long_ago)
    assert reconfirmation_due(undp_admin) is None
    assert reconfirmation_due(ken_person).due == long_ago + timedelta(days=365)
    # an ended role asks nothing either
    Membership.objects.filter(user=ken_person).update(ended_at=timezone.now())
    assert reconfirmation_due(ken_person) is None


def test_a_person_without_a_profile_counts_as_confirmed_when_they_joined(make_user, compact):
    person = make_user("new@example.org", organization=organization("state:KEN"))
    Profile.objects.filter(user=person).delete()
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=400))
    assert reconfirmation_due(person) is not None


def test_interests_are_the_profiles_themes_and_pillars(ken_person):
    assert not interests_of(ken_person)
    profile = make_profile(user=ken_person, expertise_tags=["victims"])
    profile.expertise_pillars.set([Pillar.objects.get(number=2)])
    interests = interests_of(ken_person)
    assert interests.tags == ("victims",)
    assert interests.pillar_ids == (Pillar.objects.get(number=2).pk,)


def test_an_organisation_profile_goes_stale_for_its_admins(undp_admin, member, make_user, settings):
    Organization.objects.update(updated_at=timezone.now() - timedelta(days=366))
    found = stale_organizations_of(undp_admin)
    assert [row.label for row in found.oldest] == ["UNDP"]
    assert stale_organizations_of(member).count == 0  # a focal point does not edit the profile
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "organizations": 400}
    assert stale_organizations_of(undp_admin).count == 0
