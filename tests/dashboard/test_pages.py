"""The landing page for visitors and the home page for signed-in users."""

import re

import pytest

from directory.access import Visibility
from directory.models import Membership, MembershipRole, Organization, WorkingGroup
from tests.calendar_app.conftest import make_event
from tests.conftest import organization, signed_in
from tests.pages import links, parse


def test_landing_page_for_anonymous_visitors(client, db):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    # accessible skeleton: language, skip link to the main landmark, navigation landmark with a name
    assert re.search(r'<html lang="en" dir="ltr">', html)
    assert links(html)[0] == ("Skip to main content", "#main")
    assert parse(html).first("main", id="main")
    assert parse(html).first("nav", **{"aria-label": "Main navigation"})
    # explains the platform and leads to sign-in; no open registration
    assert "Global networking" in html
    assert "Joint calendar" in html
    assert 'href="/accounts/login/"' in html
    assert "signup" not in html
    # assets are local (closed networks, strict CSP), never from a CDN
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', html) == []


def test_landing_page_is_translated(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    # Arabic is not translated yet, but the page already switches direction and language attributes.
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert "bootstrap.rtl.min.css" in response.content.decode()


def test_signed_in_users_go_home(client, make_user):
    client.force_login(make_user())
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/home/"


def test_home_requires_sign_in(client, db):
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/home/")


def test_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert (
        client.post("/accounts/signup/", {"email": "x@example.org", "password1": "p" * 14}).status_code == 200
    )


def test_home_shows_organisations_and_working_group_roles(client, compact, make_user):
    cted = Organization.objects.get(reference_key="entity:CTED")
    user = make_user("chair@example.org", organization=cted)
    client.force_login(user)

    html = client.get("/home/").content.decode()

    assert "Counter-Terrorism Committee Executive Directorate" in html
    # CTED chairs WG 2, co-chairs WG 5 and WG 6, is a member of WG 3 and WG 7
    assert re.search(r"WG 2: Border Management.*?through CTED.*?Chair</span>", html, re.S)
    assert re.search(r"WG 6: National and Regional.*?Co-chair</span>", html, re.S)
    assert "WG 4:" not in html


#: The home's queries (tests/dashboard/test_home.py counts them with every source full).
HOME_QUERIES = 30


@pytest.mark.parametrize("extra_memberships", [0, 5])
def test_home_query_count_is_constant(
    client, compact, make_user, django_assert_num_queries, extra_memberships
):
    user = make_user("busy@example.org", organization=Organization.objects.get(reference_key="entity:UNODC"))
    for other in Organization.objects.filter(kind="compact_entity")[:extra_memberships]:
        Membership.objects.get_or_create(user=user, organization=other, role=MembershipRole.ALTERNATE)
    client.force_login(user)
    client.get("/home/")  # the session's first request also records it and checks MFA once

    # whatever the number of organisations and groups: session and user, the audience context
    # (memberships, groups, Working Groups), each source of "waiting for you" and of "needs updating" (one
    # or two queries each), the page's Working Groups, events, themes and new documents, discussions,
    # notices and memberships, and the session's renewed inactivity deadline
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/home/").status_code == 200


def test_home_lists_the_latest_notices_the_user_may_see(client, compact, make_user):
    from directory.access import Visibility
    from tests.conftest import notice, organization

    user = make_user("reader@example.org", organization=organization("state:KEN"))
    notice(organization("entity:CTED"), Visibility.PLATFORM, title="For everyone")
    notice(organization("entity:UNODC"), Visibility.COMPACT, title="For Compact entities")
    client.force_login(user)

    html = client.get("/home/").content.decode()

    assert "For everyone" in html
    assert "For Compact entities" not in html  # a Member State focal point is not a Compact entity


def test_a_restricted_link_answers_a_page_that_says_why_and_whom_to_ask(compact, make_user):
    # given an event for WG 2's members only, and a person whose organisation is not in WG 2
    event = make_event(
        organization("entity:CTED"),
        Visibility.WORKING_GROUP_MEMBERS,
        working_group=WorkingGroup.objects.get(number=2),
    )
    outsider = make_user("someone@au.example.org", organization=organization("regional:AU"))

    # when they open its link, and the link of an event that does not exist
    client = signed_in(outsider)
    restricted = client.get(f"/calendar/events/{event.pk}/")
    missing = client.get(f"/calendar/events/{event.pk + 100}/")

    # then both are the same 404 page, which says why it may be and whom to ask — never which it is
    assert restricted.status_code == missing.status_code == 404
    page = restricted.content.decode()
    assert "shared with an audience you are not part of" in page
    assert "its chairs decide who takes part" in page
    assert "mailto:secretariat@" in page

    def without_csrf(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert without_csrf(page) == without_csrf(missing.content.decode())


def test_every_date_is_written_one_way(client, compact, settings):
    # given the demo's content, read by the Secretariat (its demo account has no second factor)
    settings.MFA_REQUIRED = False
    from io import StringIO

    from django.core.management import call_command

    from directory.models import User

    call_command("seed_demo", "--allow-production", stdout=StringIO())
    client.force_login(User.objects.get(email="secretariat@demo.compact.example"))
    month_first = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")  # 12/05/2026
    abbreviated_first = re.compile(r"\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}\b")  # Dec. 5, 2026
    day_first = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b")  # 5 Dec 2026: the one way
    found_dates = 0
    for url in (
        "/home/", "/notices/", "/library/", "/library/search/", "/discussions/", "/calendar/agenda/",
        "/secretariat/audit/changes/", "/secretariat/audit/security/", "/secretariat/users/",
        "/secretariat/access-requests/", "/groups/2/",
    ):  # fmt: skip
        text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
        assert not month_first.search(text), (url, month_first.search(text).group(0))
        assert not abbreviated_first.search(text), (url, abbreviated_first.search(text).group(0))
        found_dates += len(day_first.findall(text))
    assert found_dates > 20  # the pages do show dates, written the one way
