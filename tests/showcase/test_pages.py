"""The public pages: an anonymous visitor reads exactly the public items — never a restricted one — in the
pages, their counts and the map's data; the landing page's figures; the cache and the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.figures import landing_figures
from directory.access import Visibility
from library.models import Resource
from tests.calendar_app.conftest import make_event
from tests.conftest import count_queries, organization, signed_in
from tests.projects.conftest import make_project
from tests.showcase.conftest import every_level, open_cycle

PAGES = ["showcase:projects", "showcase:appeal", "showcase:events", "showcase:library", "dashboard:landing"]


def page(client, name: str, query: str = "") -> str:
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_visitor_reads_exactly_the_public_items(showcase):
    # given items of the four models at every visibility (and appeal projects published, unpublished, public,
    # and public but of a project made private again)
    visitor = Client()

    # when a visitor opens the public pages
    pages = {name: page(visitor, name) for name in PAGES}

    # then each shows its public items, and no restricted title appears on any page
    assert showcase.projects["public"] in pages["showcase:projects"]
    assert showcase.events["public"] in pages["showcase:events"]
    assert showcase.resources["public"] in pages["showcase:library"]
    assert showcase.appeal["public"].project.title in pages["showcase:appeal"]
    for title in showcase.hidden_titles():
        for name, content in pages.items():
            assert title not in content, (title, name)
    for title in showcase.hidden_appeal_titles():
        assert title not in pages["showcase:appeal"]
    assert showcase.appeal["stale"].project.title not in pages["showcase:projects"]


def test_the_counts_and_the_map_count_only_public_projects(showcase):
    visitor = Client()
    # when the visitor reads the project list and the map's data
    content = page(visitor, "showcase:projects")
    data = visitor.get(reverse("showcase:map_data")).json()

    # then one public project is counted (the public appeal projects' projects are public too: three more)
    assert "4 public projects" in content
    # Kenya holds one project at every visibility: the map counts the public one, with its budget alone
    kenya = next(country for country in data["countries"] if country["iso3"] == "KEN")
    assert (kenya["projects"], kenya["usd"]) == (1, "1000.00")


def test_the_appeal_figures_come_from_the_public_appeal_projects_alone(showcase):
    # when the visitor searches the Appeal and opens the landing page
    appeal = page(Client(), "showcase:appeal")
    landing = page(Client(), "dashboard:landing")

    # then the public appeal project asks for 1,000 and has 100 of funding (committed 100, of which 50 paid:
    # each dollar once; the pledge is no funding); the other projects' requirements and money, and the
    # unearmarked commitment, count nowhere
    for shown in ("1,000.00", "100.00", "10.0 %"):
        assert shown in appeal
    for shown in ("10.0 %", "US$ 1,000", "US$ 100 "):
        assert shown in landing
    for content in (appeal, landing):
        for hidden in ("7,000", "5,000", "9,000"):
            assert hidden not in content


def test_the_appeal_search_by_words_theme_and_entity(showcase):
    visitor = Client()
    assert showcase.appeal["public"].project.title in page(visitor, "showcase:appeal", "?q=public")
    assert "No public appeal project matches." in page(visitor, "showcase:appeal", "?q=unpublished")
    assert "No public appeal project matches." in page(visitor, "showcase:appeal", "?priority=victims")
    unodc = organization("entity:UNODC").pk
    assert showcase.appeal["public"].project.title in page(visitor, "showcase:appeal", f"?entity={unodc}")
    # a filter that is not understood is ignored with a message, never an error
    assert "not understood" in page(visitor, "showcase:appeal", "?entity=%C2%B2&cycle=9999999999999")


def test_the_landing_figures_name_nothing_and_count_the_platform(showcase, make_user):
    # given people of two Member States and a Compact entity
    make_user("ken@example.org", organization=organization("state:KEN"))
    make_user("nga@example.org", organization=organization("state:NGA"))
    # when a visitor opens the landing page
    landing = page(Client(), "dashboard:landing")
    # then the platform-wide aggregates: the people with a role (the fixtures' UNODC and UNOCT people too), 2
    # Member States, every resource (7, whatever its audience); and the public projects only
    found = landing_figures(AnonymousUser())
    assert (found.focal_points, found.member_states, found.documents, found.public_projects) == (4, 2, 7, 4)
    for figure in (found.focal_points, found.member_states, found.documents, found.public_projects):
        assert f">{figure}<" in landing


def test_a_signed_in_reader_sees_the_public_items_only_with_their_own_header(showcase, unodc_person):
    # when UNODC's focal point, who may read every UNODC project, opens the public project page
    content = page(signed_in(unodc_person), "showcase:projects")
    # then it shows what a visitor sees (the public pages read as a visitor), under their own header
    assert showcase.projects["public"] in content
    assert showcase.projects["owner"] not in content
    assert unodc_person.get_short_name() in content


@pytest.mark.parametrize("name", PAGES[:4])
def test_a_signed_in_readers_page_is_never_served_to_a_visitor(name, unodc_person):
    # given a signed-in reader opened the page first
    page(signed_in(unodc_person), name)
    # when a visitor opens it
    content = page(Client(), name)
    # then the visitor gets the anonymous page, never the reader's header
    assert unodc_person.get_short_name() not in content
    assert "Sign in" in content


def test_a_visitors_page_is_cached_for_a_short_time(compact, unodc_person):
    visitor = Client()
    assert "No public project matches." in page(visitor, "showcase:projects")
    # when a project becomes public
    make_project("Newly public project", visibility=Visibility.PUBLIC)
    # then visitors get the kept page until it expires; signed-in readers, never cached, see it at once
    assert "Newly public project" not in page(Client(), "showcase:projects")
    assert "Newly public project" in page(signed_in(unodc_person), "showcase:projects")
    cache.clear()
    assert "Newly public project" in page(Client(), "showcase:projects")


def test_the_cache_keeps_a_page_per_language_and_query(compact):
    make_project("Public project on borders", visibility=Visibility.PUBLIC, countries=["KEN"])
    visitor = Client()
    assert "Public project on borders" in page(visitor, "showcase:projects")
    assert "No public project matches." in page(visitor, "showcase:projects", "?q=zzz")
    french = Client(headers={"accept-language": "fr"})
    assert french.get(reverse("showcase:projects")).status_code == 200


def test_no_cookie_is_kept_and_no_message_is_replayed(compact):
    # a bad filter's message is about that request: the page with it is not kept
    visitor = Client()
    assert "not understood" in page(visitor, "showcase:appeal", "?entity=abc")
    response = Client().get(reverse("showcase:appeal") + "?entity=abc")
    assert "not understood" in response.content.decode()
    assert not response.cookies or "sessionid" not in response.cookies


def test_the_public_pages_are_rate_limited_per_address(compact, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "public_pages": "3/m/ip"}
    visitor = Client()
    for _ in range(3):
        assert visitor.get(reverse("showcase:events")).status_code == 200
    # then the fourth request within the minute is refused with a normal page
    refused = visitor.get(reverse("showcase:projects"))
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # another address is not affected
    assert Client(REMOTE_ADDR="192.0.2.9").get(reverse("showcase:events")).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_query_counts_do_not_grow_with_the_items(
    name, compact, settings, secretariat, unodc_person
):
    settings.PUBLIC_PAGE_SECONDS = 0  # counted as rendered, not as kept
    every_level(open_cycle(secretariat), secretariat, unodc_person)
    url = reverse(name)
    few = count_queries(Client(), url)
    unodc, soon = organization("entity:UNODC"), timezone.now() + timedelta(days=3)
    for number in range(5):
        make_project(f"More public {number}", visibility=Visibility.PUBLIC, countries=["MLI"])
        make_event(unodc, Visibility.PUBLIC, title=f"More public event {number}", start=soon)
        Resource.objects.create(
            title=f"More {number}", resource_type="report", owner=unodc, visibility="public"
        )
    assert count_queries(Client(), url) == few
