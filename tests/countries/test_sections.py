"""Kenya's page, section by section, against the data and the reader: each section lists what its reader
may see — a consent not given means no CTED item and no CTED count — in a fixed order, in a constant number
of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cted import services as cted_services
from directory.access import Visibility
from tests.calendar_app.conftest import make_event
from tests.conftest import count_queries, notice, organization, signed_in, wg
from tests.countries.conftest import (
    CONFIDENTIAL,
    KENYA_ONLY,
    NOWHERE,
    PRIORITIES,
    PUBLIC,
    SHOWCASE,
    UNDP_ONLY,
    kenya_page,
    kenya_url,
    resource,
)
from tests.pages import headings, links, main_words, parse
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

ORDER = [
    "Counter-terrorism priorities, challenges and good practices",
    "CTED assessments",
    "Projects for this country",
    "Upcoming events in the country",
    "Documents about the country",
    "Its efforts, shared with the Working Groups",
]


def section(page, name: str) -> str:
    found = parse(page).first("section", **{"aria-labelledby": f"{name}-title"})
    return found.text() if found else ""


def test_the_sections_come_in_order_after_the_people(world, member):
    page = kenya_page(member)
    assert page.status_code == 200
    found = [heading for heading in headings(page, 2) if heading in ORDER]
    assert found == ORDER
    assert headings(page, 2).index("People") < headings(page, 2).index(ORDER[0])


def test_a_consented_entity_sees_everything_meant_for_it(world, member):
    text = main_words(kenya_page(member))
    for title in [*PUBLIC, *UNDP_ONLY, SHOWCASE, PRIORITIES]:
        assert title in text
    assert "The recommendation you may read" in section(kenya_page(member), "cted")


def test_an_entity_without_consent_sees_no_cted_item_nor_count_and_no_restricted_item(world, unodc_person):
    page = kenya_page(unodc_person)
    text = main_words(page)
    for title in PUBLIC:
        assert title in text
    for hidden in [*UNDP_ONLY, KENYA_ONLY, CONFIDENTIAL, "CTED assessments", "recommendation"]:
        assert hidden not in text
    main = parse(page).first("main")
    assert not [href for _text, href in links(main) if re.match(r"/assessments/(\d|recommendations)", href)]


def test_the_state_sees_its_own_note_to_the_group_and_cted_but_not_undps_items(world, ken_person):
    text = main_words(kenya_page(ken_person))
    assert KENYA_ONLY in text
    assert SHOWCASE in text
    assert "CTED assessments" in text
    for hidden in UNDP_ONLY:
        assert hidden not in text


def test_global_projects_past_events_and_events_elsewhere_are_not_the_countrys(world, member):
    text = main_words(kenya_page(member))
    for title in NOWHERE:
        assert title not in text


def test_the_projects_section_links_to_the_map_filtered_on_the_country(world, member):
    assert ("On the map", "/projects/map/?country=KEN") in links(kenya_page(member))


def test_documents_link_to_the_library_filtered_on_the_country(world, member):
    assert ("All documents about the country", "/library/search/?country=KEN") in links(kenya_page(member))


def test_the_profile_says_who_saved_it_and_offers_the_brief(world, member, ken_person):
    page = kenya_page(member)
    profile = section(page, "country-profile")
    assert PRIORITIES in profile
    assert "by Kamau Kenya" in profile
    hrefs = [href for _text, href in links(page)]
    pk = organization("state:KEN").pk
    assert f"/countries/{pk}/brief.pdf" in hrefs
    assert f"/countries/{pk}/brief.docx" in hrefs
    assert f"/countries/{pk}/profile/history/" in hrefs
    # only the State's own people are offered the editor
    assert f"/countries/{pk}/profile/edit/" not in hrefs
    assert f"/countries/{pk}/profile/edit/" in [href for _text, href in links(kenya_page(ken_person))]


def test_a_state_without_a_profile_says_so(compact, member):
    page = signed_in(member).get(f"/organisations/{organization('state:MAR').pk}/")
    assert "Its people have not written this profile yet." in section(page, "country-profile")


def test_a_regional_organisation_has_the_profile_and_showcase_but_no_country_lists(world, au_person):
    page = signed_in(au_person).get(f"/organisations/{organization('regional:AU').pk}/")
    titles = headings(page, 2)
    assert ORDER[0] in titles
    assert "Upcoming events in the country" not in titles
    assert "Documents about the country" not in titles


def test_an_entity_page_has_no_country_sections(world, member):
    page = signed_in(member).get(f"/organisations/{organization('entity:UNDP').pk}/")
    for heading in (ORDER[0], ORDER[3], ORDER[4], ORDER[5]):
        assert heading not in headings(page, 2)


def test_the_page_takes_as_many_queries_whatever_the_number_of_items(world, member, cted_person):
    client = signed_in(member)
    before = count_queries(client, kenya_url())
    kenya, soon = organization("state:KEN"), timezone.now() + timedelta(days=20)
    for n in range(4):
        make_project(f"Another project in Kenya {n}", countries=["KEN"])
        make_event(organization("entity:UNODC"), title=f"Another event {n}", start=soon, country="KEN")
        resource(f"Another study {n}", "entity:UNODC", countries=["KEN"])
        resource(f"Another showcase {n}", "state:KEN", working_group=wg(2))
        notice(kenya, Visibility.PLATFORM, title=f"Another notice {n}", working_group=wg(2))
        cted_services.add_recommendation(world.assessment, text=f"Another need {n}", by=cted_person)
    page = client.get(kenya_url())
    assert "Another event 3" in main_words(page)
    assert "Another showcase 3" in main_words(page)
    assert "The 5 recommendations you may read" in section(page, "cted")
    assert count_queries(client, kenya_url()) == before
