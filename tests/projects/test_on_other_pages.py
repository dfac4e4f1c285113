"""An organisation's page and a Working Group's space list their projects: those an entity leads, those
for a Member State, those of a group — only the ones the reader may see, counted, with the list behind."""

from __future__ import annotations

import pytest

from directory.access import Visibility
from tests.conftest import organization, signed_in, wg
from tests.pages import addresses, main_words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def test_an_entitys_page_lists_the_projects_it_leads(ken_person):
    # given two UNODC projects everyone may see, one it keeps to itself, and one of CTED
    make_project("Older UNODC project", start="2020-01-01")
    make_project("Newer UNODC project", start="2025-01-01")
    make_project("UNODC's own", visibility=Visibility.OWNER)
    make_project("CTED project", lead="entity:CTED")
    unodc = organization("entity:UNODC")
    # when Kenya's focal point opens UNODC's page
    page = signed_in(ken_person).get(f"/organisations/{unodc.pk}/")
    text = main_words(page)
    # then the projects it leads are listed, the latest first, and counted; nothing else
    assert "Projects it leads" in text
    assert text.index("Newer UNODC project") < text.index("Older UNODC project")
    assert "UNODC's own" not in text
    assert "CTED project" not in text
    assert "All 2 projects" in text
    assert f"/projects/?lead={unodc.pk}" in addresses(page)


def test_a_member_states_page_lists_the_projects_for_it(unodc_person):
    make_project("Border posts in Kenya", countries=["KEN", "UGA"])
    make_project("Somewhere else", countries=["FRA"])
    page = signed_in(unodc_person).get(f"/organisations/{organization('state:KEN').pk}/")
    text = main_words(page)
    assert "Projects for this country" in text
    assert "Border posts in Kenya" in text
    assert "Somewhere else" not in text
    assert "/projects/?country=KEN" in addresses(page)


def test_a_working_groups_space_lists_its_projects(member):
    make_project("WG 2 project", groups=[2])
    make_project("WG 3 project", groups=[3])
    page = signed_in(member).get(f"/groups/{wg(2).pk}/")
    text = main_words(page)
    assert "The group's projects" in text
    assert "WG 2 project" in text
    assert "WG 3 project" not in text
    assert f"/projects/?working_group={wg(2).pk}" in addresses(page)


def test_no_projects_is_said(member):
    page = signed_in(member).get(f"/groups/{wg(5).pk}/")
    assert "No projects that you may see yet." in main_words(page)
