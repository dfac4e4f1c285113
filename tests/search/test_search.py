"""The one search box as its readers meet it: each group finds its items, ranked and highlighted; nothing a
reader may not open is found, counted or quoted — for every group; words are stemmed as the apps stem them;
bad input gives a normal page; and the page costs the same number of queries whatever the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cted import services as cted_services
from cted.models import ConsentAudience
from directory.access import Visibility
from tests.calendar_app.conftest import make_event
from tests.conftest import count_queries, organization, signed_in
from tests.discussions.conftest import reply, thread
from tests.projects.conftest import make_project
from tests.search.conftest import (
    HIDDEN_EMAIL,
    HIDDEN_PHONE,
    HIDDEN_REPLY,
    REPLY_OF_RESTRICTED_THREAD,
    RESTRICTED,
    groups_of,
    url,
)

pytestmark = pytest.mark.django_db


# --- Each group finds its items -----------------------------------------------------------------------------


def test_a_word_finds_the_resources_events_projects_and_discussions_it_is_in(world):
    response = signed_in(world.reader).get(url("lighthouse"))
    assert response.status_code == 200
    found = groups_of(response)
    assert "Guidance on lighthouse safety" in found["resources"]
    assert "Lighthouse workshop" in found["events"]
    assert "Lighthouse modernisation" in found["projects"]
    assert "Lighthouse rota" in found["discussions"]
    # each with its count, and a link to the module's own search with the words
    page = response.content.decode()
    assert f"{reverse('library:search')}?q=lighthouse" in page
    assert f"{reverse('projects:list')}?q=lighthouse" in page
    assert f"{reverse('search:results')}?q=lighthouse&amp;type=events" in page


def test_snippets_highlight_the_words_found(world):
    page = signed_in(world.reader).get(url("lighthouses")).content.decode()
    assert "<mark>lighthouses</mark>" in page  # the project's description, stemmed: "lighthouses" → lighthous


def test_a_reply_finds_its_thread_with_the_reply_quoted(world):
    found = groups_of(signed_in(world.reader).get(url("beacon")))
    assert "Lighthouse rota" in found["discussions"]
    assert "The beacon needs keepers" in found["discussions"]


def test_people_and_organisations_are_found_by_name(world):
    found = groups_of(signed_in(world.reader).get(url("Wanjiru")))
    assert "Wanjiru Njoroge" in found["people"]
    assert "Passenger data analyst" in found["people"]
    assert "UNDP" in found["people"]
    found = groups_of(signed_in(world.reader).get(url("UNDP")))
    assert "UNDP" in found["organizations"]


def test_a_recommendation_is_found_by_its_state_and_cted(world):
    word = RESTRICTED["recommendations"]
    for reader in (world.kenya, world.cted):
        assert word in groups_of(signed_in(reader).get(url(word.lower())))["recommendations"]


def test_words_are_stemmed_as_the_apps_stem_them(world):
    # English stemming for events, projects, discussions; the library's multilingual query
    found = groups_of(signed_in(world.reader).get(url("workshops")))
    assert "Lighthouse workshop" in found["events"]
    found = groups_of(signed_in(world.reader).get(url("guide")))
    assert "Guidance on lighthouse safety" in found["resources"]  # "guide" meets "guides" in the summary
    # the directory matches the start of words as typed: "Wanj" finds Wanjiru
    assert "Wanjiru Njoroge" in groups_of(signed_in(world.reader).get(url("Wanj")))["people"]


def test_the_type_filter_shows_one_group(world):
    response = signed_in(world.reader).get(url("lighthouse", type="events"))
    assert list(groups_of(response)) == ["events"]
    assert "Lighthouse workshop" in groups_of(response)["events"]


# --- Confidentiality: nothing invisible in results, counts or snippets --------------------------------------


@pytest.mark.parametrize("group", sorted(RESTRICTED))
def test_another_organisations_restricted_item_is_not_found_counted_or_quoted(world, group):
    word = RESTRICTED[group]
    # given a word only UNDP's (Kenya's, for CTED) restricted item holds
    response = signed_in(world.reader).get(url(word))
    page = response.content.decode()
    # then UNODC's focal point gets no result, no count and no snippet: the word appears only as searched
    assert page.count(word) == page.count(f'value="{word}"') + page.count(f"Search: {word}")
    found = groups_of(response)
    assert "Nothing you may see matches" in found[group]
    assert next(f for f in response.context["results"] if f.group.key == group).count == 0
    # while the owner's people find it (the word is searchable)
    owner = world.kenya if group == "recommendations" else world.undp
    assert word in groups_of(signed_in(owner).get(url(word)))[group]


def test_a_reply_in_a_thread_the_reader_may_not_see_is_not_found(world):
    response = signed_in(world.reader).get(url(REPLY_OF_RESTRICTED_THREAD))
    assert REPLY_OF_RESTRICTED_THREAD not in groups_of(response)["discussions"]
    assert next(f for f in response.context["results"] if f.group.key == "discussions").count == 0


def test_a_reply_hidden_by_a_moderator_is_found_by_nobody(world):
    for reader in (world.reader, world.undp):
        response = signed_in(reader).get(url(HIDDEN_REPLY))
        assert "Lighthouse rota" not in groups_of(response)["discussions"]


def test_a_recommendation_is_found_once_the_state_consents(world):
    word = RESTRICTED["recommendations"]
    cted_services.grant_consent(
        world.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNODC"),
        recommendation=world.recommendation, by=world.kenya,
    )  # fmt: skip
    assert word in groups_of(signed_in(world.reader).get(url(word)))["recommendations"]
    # and UNDP, which Kenya did not consent to, still finds nothing
    assert "Nothing you may see matches" in groups_of(signed_in(world.undp).get(url(word)))["recommendations"]


@pytest.mark.parametrize("query", [HIDDEN_EMAIL, "wanjiru.private", HIDDEN_PHONE, "917 4455"])
def test_a_hidden_contact_detail_finds_nobody_and_is_never_shown(world, query):
    response = signed_in(world.reader).get(url(query))
    assert "Wanjiru Njoroge" not in groups_of(response).get("people", "")
    # and the person's result, found by name, quotes neither
    page = signed_in(world.reader).get(url("Wanjiru")).content.decode()
    assert HIDDEN_EMAIL not in page
    assert HIDDEN_PHONE not in page


# --- Bad input ----------------------------------------------------------------------------------------------


def test_an_empty_search_shows_the_empty_page(world):
    response = signed_in(world.reader).get(reverse("search:results"))
    assert response.status_code == 200
    assert groups_of(response) == {}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "lighthouse " * 1000},
        {"q": "light\x01house\x1f"},
        {"q": "light\x00house"},
        {"q": "!!! ??? -- ''"},
        {"q": '"unclosed OR -'},
        {"q": "lighthouse", "type": "<script>alert(1)</script>"},
        {"q": "lighthouse", "type": "events", "page": "999999999999"},
        {"q": "lighthouse", "type": "events", "page": "abc"},
        {"q": "%", "type": "organizations"},
    ],
)
def test_bad_input_gives_a_normal_page(world, params):
    response = signed_in(world.reader).get(reverse("search:results"), params)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_a_very_long_search_is_shortened_with_a_message(world):
    response = signed_in(world.reader).get(url("lighthouse" + " " * 200 + "x" * 5000))
    assert "The search was shortened" in response.content.decode()
    assert "Lighthouse workshop" in groups_of(response)["events"]


def test_a_search_of_punctuation_only_says_so(world):
    response = signed_in(world.reader).get(url("!!! ???"))
    assert "Type some words to search for" in response.content.decode()
    assert groups_of(response) == {}


def test_an_unknown_type_searches_everything(world):
    response = signed_in(world.reader).get(url("lighthouse", type="nonsense"))
    assert {"events", "projects"} <= set(groups_of(response))


# --- Cost ---------------------------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_whatever_the_data(world):
    client = signed_in(world.reader)
    before = count_queries(client, url("lighthouse"))
    # when each group gets many more matches
    for n in range(8):
        make_event(organization("entity:UNODC"), title=f"Lighthouse meeting {n}")
        make_project(f"Lighthouse phase {n}")
        busy = thread(world.undp, "entity:UNDP", Visibility.PLATFORM, title=f"Lighthouse thread {n}")
        reply(busy, world.undp, "Lighthouse keepers agree.")
    assert count_queries(client, url("lighthouse")) == before
    assert before <= 30
