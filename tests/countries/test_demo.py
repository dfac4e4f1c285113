"""seed_demo's Member State page: Kenya's profile in two versions, written by its demo focal point, and
Kenya's notice to WG 2 on its page's showcase — and a second run that changes nothing."""

from __future__ import annotations

import pytest

from countries import demo as countries_demo
from countries import selectors
from countries.models import CountryProfile
from countries.sections import showcase_section
from notices.models import Notice
from tests.conftest import organization, seed

pytestmark = pytest.mark.django_db


def test_the_demo_writes_kenyas_profile_in_two_versions_and_its_showcase(compact):
    run = seed(countries_demo)
    countries_demo.seed(run)  # a second run adds nothing
    kenya, unodc = organization("state:KEN"), run.users["entity_focal_point"]
    profile = CountryProfile.objects.get()
    assert profile.organization == kenya
    assert profile.updated_by == run.users["state_focal_point"]
    assert "one-stop border posts" in profile.priorities
    versions = selectors.versions(unodc, kenya)
    assert [version.number for version in versions] == [2, 1]
    assert "Limited forensic capacity outside Nairobi." in dict(versions[1].texts).values()
    assert Notice.objects.filter(title=countries_demo.SHOWCASE_TITLE).count() == 1
    assert [n.title for n in showcase_section(unodc, kenya)["notices"]] == [countries_demo.SHOWCASE_TITLE]
