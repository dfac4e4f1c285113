"""Consent: an assessment and its recommendations are the Member State's and CTED's until the State's people
share them, and access follows each grant, expiry and revocation at once — in every read, since every read
filters on the grants (``visible_to``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cted import services
from cted.models import Assessment, ConsentAudience, ConsentGrant, Recommendation, ReleaseLevel
from tests.conftest import organization

pytestmark = pytest.mark.django_db


def seen(user) -> tuple[bool, set[str]]:
    """Whether the user sees Kenya's assessment, and the recommendations they see (their first words)."""
    return (
        Assessment.objects.visible_to(user).exists(),
        {r.text.split()[0] for r in Recommendation.objects.visible_to(user)},
    )


ALL = {"Border", "Criminalise", "Train"}


def test_an_assessment_is_confidential_to_the_state_and_cted_by_default(
    kenya, cted_person, ken_person, unodc_person, secretariat, au_person
):
    assert seen(cted_person) == (True, ALL)
    assert seen(ken_person) == (True, ALL)
    # the Secretariat has no right of its own: the reports are the State's and CTED's
    for other in (unodc_person, secretariat, au_person):
        assert seen(other) == (False, set())


@pytest.mark.parametrize(
    ("level", "shown"),
    [(ReleaseLevel.FULL, ALL), (ReleaseLevel.PARTIAL, {"Border"}), (ReleaseLevel.NOT_SHARED, set())],
)
def test_sharing_the_assessment_releases_what_its_level_says(
    kenya, ken_person, member, unodc_person, level, shown
):
    # given the State's release level, when its focal point shares the assessment with UNDP
    Assessment.objects.filter(pk=kenya.assessment.pk).update(release_level=level)
    services.grant_consent(
        kenya.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNDP"),
        by=ken_person,
    )  # fmt: skip
    # then UNDP's people see the assessment and the recommendations the level releases; UNODC's nothing
    assert seen(member) == (True, shown)
    assert seen(unodc_person) == (False, set())


def test_one_recommendation_shared_with_every_compact_entity(
    kenya, ken_person, member, unodc_person, au_person
):
    services.grant_consent(
        kenya.assessment,
        recommendation=kenya.training,
        audience=ConsentAudience.COMPACT_ENTITIES,
        by=ken_person,
    )
    for entity_person in (member, unodc_person):
        assert seen(entity_person) == (True, {"Train"})
    # a regional organisation is no Compact entity: it needs a grant naming it
    assert seen(au_person) == (False, set())
    services.grant_consent(
        kenya.assessment, recommendation=kenya.legislation, audience=ConsentAudience.ORGANIZATION,
        organization=organization("regional:AU"), by=ken_person,
    )  # fmt: skip
    assert seen(au_person) == (True, {"Criminalise"})


def test_a_grant_runs_through_its_expiry_day_and_no_longer(kenya, ken_person, member):
    today = timezone.localdate()
    grant = services.grant_consent(
        kenya.assessment, recommendation=kenya.training, audience=ConsentAudience.COMPACT_ENTITIES,
        expires_on=today, by=ken_person,
    )  # fmt: skip
    assert seen(member) == (True, {"Train"})
    # when the day has passed (as tomorrow will see it)
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_on=today - timedelta(days=1))
    assert seen(member) == (False, set())


def test_a_revoked_grant_takes_effect_at_once_and_is_kept(kenya, ken_person, member):
    Assessment.objects.filter(pk=kenya.assessment.pk).update(release_level=ReleaseLevel.FULL)
    grant = services.grant_consent(
        kenya.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNDP"),
        by=ken_person,
    )  # fmt: skip
    assert seen(member) == (True, ALL)
    services.revoke_consent(grant, by=ken_person)
    assert seen(member) == (False, set())
    # the grant is kept, revoked, with who and when; a second revocation is refused
    grant.refresh_from_db()
    assert grant.revoked_by == ken_person
    assert grant.revoked_at is not None
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.revoke_consent(grant, by=ken_person)
    # and every grant and revocation is in the audit trail
    assert list(grant.events.order_by("pgh_id").values_list("pgh_label", flat=True)) == ["insert", "update"]


def test_only_the_states_people_grant_and_revoke(kenya, ken_person, cted_person, member, secretariat):
    for other in (cted_person, member, secretariat):
        with pytest.raises(PermissionDenied):
            services.grant_consent(kenya.assessment, audience=ConsentAudience.COMPACT_ENTITIES, by=other)
    grant = services.grant_consent(kenya.assessment, audience=ConsentAudience.COMPACT_ENTITIES, by=ken_person)
    with pytest.raises(PermissionDenied):
        services.revoke_consent(grant, by=member)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"audience": ConsentAudience.ORGANIZATION}, "Choose the Compact entity or regional organisation"),
        (
            {"audience": ConsentAudience.ORGANIZATION, "organization": "state:NOR"},
            "Choose the Compact entity",
        ),
        ({"audience": "everyone"}, "Not an audience of a consent"),
        ({"audience": ConsentAudience.COMPACT_ENTITIES, "expires_on": -1}, "would end in the past"),
    ],
)
def test_bad_consents_are_refused_with_their_message(kenya, ken_person, options, message):
    if "organization" in options:
        options["organization"] = organization(options["organization"])
    if "expires_on" in options:
        options["expires_on"] = timezone.localdate() + timedelta(days=options["expires_on"])
    with pytest.raises(ValidationError, match=message):
        services.grant_consent(kenya.assessment, by=ken_person, **options)
    assert not ConsentGrant.objects.exists()


def test_a_recommendation_of_another_assessment_is_refused(kenya, ken_person, cted_person):
    from datetime import date

    from cted.models import VisitType

    other = services.record_assessment(
        state=organization("state:KEN"), visit_type=VisitType.FOLLOW_UP, visit_start=date(2025, 9, 1),
        by=cted_person,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not one of this assessment's"):
        services.grant_consent(
            other, recommendation=kenya.training, audience=ConsentAudience.COMPACT_ENTITIES, by=ken_person
        )


def test_anonymous_visitors_read_nothing(kenya):
    from django.contrib.auth.models import AnonymousUser

    assert seen(AnonymousUser()) == (False, set())
