"""Who sees what of the Appeal: published appeal projects and their figures for everyone signed in,
unpublished ones for their lead entity's people and the Secretariat; pledges for their donor's people and
the Secretariat only; nothing for anonymous visitors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from appeal import selectors, services
from appeal.models import AppealProject, Flow, Requirement, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished(world, cted_person):
    """CTED withdraws Victims' support from publication."""
    services.change_appeal_project(world.victims, is_published=False, by=cted_person)
    return world


def test_unpublished_requirements_are_hidden_from_other_entities(unpublished, unodc_person, member):
    world = unpublished
    for person in (unodc_person, member):
        # then they see neither the appeal project nor its requirements, flows or figures
        assert list(AppealProject.objects.visible_to(person)) == [world.border]
        assert set(Requirement.objects.visible_to(person).values_list("appeal_project", flat=True)) == {
            world.border.pk
        }
        assert not Flow.objects.visible_to(person).filter(appeal_project=world.victims).exists()
        found = selectors.coverage(person, world.cycle)
        assert [row.key for row in found.by_entity] == [str(world.border.project.owner_id)]
        assert found.cycle.requirements == Decimal("1500000.00")
        assert "victims" not in {row.key for row in found.by_priority}


def test_the_lead_entity_and_the_secretariat_see_an_unpublished_project(
    unpublished, cted_person, secretariat
):
    for person in (cted_person, secretariat):
        assert unpublished.victims in AppealProject.objects.visible_to(person)
        assert selectors.coverage(person, unpublished.cycle).cycle.requirements == Decimal("1900000.00")


def test_a_donor_sees_its_own_pledges_only(world, ken_person, unodc_person):
    # Kenya's focal point sees Kenya's pledge, not Norway's; everyone sees commitments and payments
    pledges = Flow.objects.visible_to(ken_person).filter(stage=Stage.PLEDGE)
    assert list(pledges) == [world.flows["ken pledge"]]
    assert not Flow.objects.visible_to(unodc_person).filter(stage=Stage.PLEDGE).exists()
    assert Flow.objects.visible_to(unodc_person).filter(stage=Stage.PAID).count() == 5
    # and pledged totals follow: Kenya's pledge outstanding only
    assert selectors.coverage(ken_person, world.cycle).cycle.pledged == Decimal("144666.66")
    assert selectors.coverage(unodc_person, world.cycle).cycle.pledged == 0


def test_anonymous_visitors_read_nothing(world):
    nobody = AnonymousUser()
    assert not selectors.cycles_for(nobody).exists()
    assert not selectors.appeal_projects_for(nobody).exists()
    assert not selectors.flows_for(nobody).exists()
    assert selectors.coverage(nobody, world.cycle).cycle.funding == 0
