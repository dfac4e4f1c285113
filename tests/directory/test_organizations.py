"""Organisation pages: the list, one organisation's page, its profile editor, and Member State coverage."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from directory.models import Membership, MembershipRole, Organization, OrganizationKind, Region
from tests.conftest import make_profile, organization, signed_in
from tests.pages import messages

LIST_URL = "/organisations/"
COVERAGE_URL = "/secretariat/coverage/"


def page_url(org: Organization) -> str:
    return f"/organisations/{org.pk}/"


def edit_url(org: Organization) -> str:
    return f"/organisations/{org.pk}/edit/"


@pytest.fixture
def admin_of_ken(compact, make_user):
    return make_user(
        "admin.ken@example.org",
        organization=organization("state:KEN"),
        role=MembershipRole.ORGANIZATION_ADMIN,
    )


# --- The list -----------------------------------------------------------------------------------------------


def test_list_requires_sign_in(client, compact):
    # given an anonymous visitor / when they open the list / then they are sent to sign in
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/organisations/")


def test_list_shows_active_organisations_with_their_current_people(compact, make_user, focal_point):
    # given two people in Kenya (one of them with two roles), one whose role ended, one deactivated,
    # and a deactivated organisation
    kenya = organization("state:KEN")
    first = make_user("one@example.org", organization=kenya)
    Membership.objects.create(user=first, organization=kenya, role=MembershipRole.ORGANIZATION_ADMIN)
    make_user("two@example.org", organization=kenya, role=MembershipRole.ALTERNATE)
    make_user("left@example.org", organization=kenya).memberships.update(ended_at=timezone.now())
    make_user("inactive@example.org", organization=kenya, is_active=False)
    Organization.objects.filter(reference_key="regional:SCO").update(is_active=False)

    # when a focal point lists Member States
    response = signed_in(focal_point).get(LIST_URL, {"kind": "member_state", "q": "kenya"})

    # then Kenya counts its two current, active people once each; the deactivated organisation is not listed
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [(o.name, o.people) for o in rows] == [("Kenya", 2)]
    assert f'href="/organisations/{kenya.pk}/"' in response.content.decode()
    everything = signed_in(focal_point).get(LIST_URL, {"q": "Shanghai"})
    assert list(everything.context["page"]) == []


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("compact_entity", 45),
        ("member_state", 193),
        ("regional_organization", None),  # the starter list, counted from the data
        ("other", None),
    ],
)
def test_list_filters_by_kind(compact, focal_point, kind, expected):
    # given the reference data
    if expected is None:
        expected = Organization.objects.filter(kind=kind, is_active=True).count()
    # when filtering by a kind
    response = signed_in(focal_point).get(LIST_URL, {"kind": kind})
    # then only that kind is listed, paginated
    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected
    assert {o.kind for o in response.context["page"]} <= {kind}
    assert len(response.context["page"]) == min(expected, 50)


def test_list_searches_name_acronym_and_iso_code(compact, focal_point):
    client = signed_in(focal_point)
    # when searching by acronym, by part of the name, by ISO code / then the organisation is found
    assert [o.acronym for o in client.get(LIST_URL, {"q": "cted"}).context["page"]] == ["CTED"]
    names = [
        o.name for o in client.get(LIST_URL, {"q": "Union", "kind": "regional_organization"}).context["page"]
    ]
    assert "African Union" in names
    assert "European Union" in names
    assert [o.name for o in client.get(LIST_URL, {"q": "FRA"}).context["page"]][:1] == ["France"]
    assert list(client.get(LIST_URL, {"q": "no such organisation"}).context["page"]) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "planet"}, "Unknown kind of organisation"),
        ({"kind": "<script>"}, "Unknown kind of organisation"),
        ({"q": "K" * 5000}, "shortened to its first 100 characters"),
        ({"q": "ken\x00ya"}, "cannot be searched for"),
        ({"page": "last' OR 1=1"}, None),
        ({"page": "99999"}, None),
    ],
)
def test_list_bad_input_gives_a_normal_page(compact, focal_point, params, message):
    # given a malformed query string / when it is requested
    response = signed_in(focal_point).get(LIST_URL, params)
    # then the page is normal, the bad value ignored with a message
    assert response.status_code == 200
    if message:
        assert any(message in text for text in messages(response))
    if "kind" in params:
        assert response.context["page"].paginator.count > 193  # all kinds
        assert "&lt;script&gt;" not in response.content.decode()  # the bad value is not echoed back
    if "q" in params and len(params["q"]) > 100:
        assert response.context["filters"]["q"] == "K" * 100


def test_the_secretariats_organisation_list_refuses_a_nul_byte_with_a_message(compact, secretariat_client):
    # when the Secretariat searches its organisation list with a NUL byte (PostgreSQL refuses it in text)
    response = secretariat_client.get("/secretariat/organisations/", {"q": "ken\x00ya"})

    # then the list is shown unfiltered, with a message saying the search could not be made
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 193
    assert any("cannot be searched for" in text for text in messages(response))


@pytest.mark.parametrize("value", ["", "yes", "\x00", "²"])
def test_a_malformed_activation_changes_nothing_and_says_so(compact, secretariat_client, value):
    # given an active organisation
    undp = organization("entity:UNDP")

    # when its deactivate/reactivate button is posted with a value that is neither 0 nor 1
    response = secretariat_client.post(f"/secretariat/organisations/{undp.pk}/active/", {"active": value})

    # then it is still active, and the Secretariat is told the action was not understood
    assert response.status_code == 302
    undp.refresh_from_db()
    assert undp.is_active
    assert "Unknown action." in messages(secretariat_client.get(response["Location"]))


def test_list_query_count_is_constant(compact, make_user, focal_point, django_assert_num_queries):
    # given a signed-in user (the session's first request is made, as it records the session)
    client = signed_in(focal_point)
    client.get(LIST_URL)
    for index, org in enumerate(Organization.objects.filter(kind="member_state")[:20]):
        make_user(f"p{index}@example.org", organization=org)
    # then a page of 50 costs the same as a page of 1: session and user, the navigation's audience context
    # (memberships, groups, Working Groups), the count, the page, and the session's renewed inactivity
    # deadline (savepoint, update, release)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(LIST_URL, {"kind": "member_state"})
    with django_assert_num_queries(LIST_QUERIES):
        client.get(LIST_URL, {"q": "Kenya"})


LIST_QUERIES = 10


# --- One organisation's page --------------------------------------------------------------------------------


def test_page_requires_sign_in(client, compact):
    response = client.get(page_url(organization("state:KEN")))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_shows_profile_people_and_working_group_roles(compact, make_user, focal_point):
    # given CTED with a profile, a focal point with a job title, an alternate and an admin
    cted = organization("entity:CTED")
    Organization.objects.filter(pk=cted.pk).update(
        description="Assesses Member States' implementation.",
        website="https://www.un.org/securitycouncil/ctc/",
        contact_email="cted@un.org",
        contact_phone="+1 212 963 1234",
        address="405 East 42nd Street\nNew York",
    )
    fp = make_user("zoe@example.org", organization=cted, full_name="Zoe Focal")
    make_profile(user=fp, job_title="Legal Officer")
    make_user(
        "alex@example.org", organization=cted, role=MembershipRole.ALTERNATE, full_name="Alex Alternate"
    )
    make_user(
        "ada@example.org", organization=cted, role=MembershipRole.ORGANIZATION_ADMIN, full_name="Ada Admin"
    )

    # when a focal point of another organisation opens CTED's page
    response = signed_in(focal_point).get(page_url(cted))

    # then the profile, the people in role order, and CTED's Working Group roles are shown
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1\b", html)) == 1
    assert "Counter-Terrorism Committee Executive Directorate" in html
    assert "Compact entity" in html
    assert "Assesses Member States&#x27; implementation." in html
    assert 'href="https://www.un.org/securitycouncil/ctc/"' in html
    assert "cted@un.org" in html
    assert "+1 212 963 1234" in html
    assert "405 East 42nd Street<br>New York" in html
    people = [(row.person.full_name, row.roles) for row in response.context["people"]]
    assert people == [
        ("Zoe Focal", ["Focal point"]),
        ("Alex Alternate", ["Alternate focal point"]),
        ("Ada Admin", ["Organisation admin"]),
    ]
    assert f'href="/people/{fp.pk}/"' in html
    assert "Legal Officer" in html
    assert re.search(r"WG 2: Border Management.*?<strong>Chair</strong>", html, re.S)
    assert re.search(r"WG 6: .*?<strong>Co-chair</strong>", html, re.S)
    assert "WG 4:" not in html
    # a focal point of another organisation does not manage CTED
    assert f'href="{edit_url(cted)}"' not in html
    assert f'href="/organisations/{cted.pk}/members/"' not in html


def test_page_shows_a_state_s_iso_code_and_region(compact, focal_point):
    html = signed_in(focal_point).get(page_url(organization("state:KEN"))).content.decode()
    assert "Kenya" in html
    assert "KEN" in html
    assert "African States" in html
    assert "Member State" in html


def test_page_shows_contact_details_only_as_privacy_settings_allow(compact, make_user):
    # given two people of Kenya: one keeps the defaults (email: platform, phones: organisation), one hides
    # both; and viewers from Kenya and from UNODC
    kenya = organization("state:KEN")
    open_person = make_user("open@example.org", organization=kenya)
    make_profile(user=open_person, phone_office="+254 20 111 1111")
    private = make_user("secret.person@example.org", organization=kenya)
    make_profile(
        user=private,
        phone_office="+254 20 999 9999",
        phone_mobile="+254 722 999 999",
        email_visibility="private",
        phone_visibility="private",
    )
    colleague = make_user("colleague@example.org", organization=kenya)
    outsider = make_user("unodc.person@example.org", organization=organization("entity:UNODC"))

    # when a colleague from Kenya opens the page
    html = signed_in(colleague).get(page_url(kenya)).content.decode()
    # then the open person's email and phone show, the private person's do not
    assert "open@example.org" in html
    assert "+254 20 111 1111" in html
    assert "secret.person@example.org" not in html
    assert "999" not in html
    assert "Secret.Person" in html  # the person is still listed, without contact details

    # when someone of another organisation opens it / then phones (organisation only) are hidden too
    html = signed_in(outsider).get(page_url(kenya)).content.decode()
    assert "open@example.org" in html
    assert "+254 20 111 1111" not in html
    assert "secret.person@example.org" not in html
    assert "999" not in html


def test_managers_see_edit_and_people_links(compact, admin_of_ken, secretariat):
    kenya = organization("state:KEN")
    for user in (admin_of_ken, secretariat):
        html = signed_in(user).get(page_url(kenya)).content.decode()
        assert f'href="{edit_url(kenya)}"' in html
        assert f'href="/organisations/{kenya.pk}/members/"' in html


def test_a_deactivated_organisation_is_404_except_for_the_secretariat(compact, make_user, secretariat):
    # given a deactivated organisation and its former admin
    sco = organization("regional:SCO")
    admin = make_user("sco@example.org", organization=sco, role=MembershipRole.ORGANIZATION_ADMIN)
    Organization.objects.filter(pk=sco.pk).update(is_active=False)
    other = make_user("other@example.org", organization=organization("entity:UNODC"))
    # when they open its pages / then it does not exist for them
    for user in (admin, other):
        assert signed_in(user).get(page_url(sco)).status_code == 404
        assert signed_in(user).get(edit_url(sco)).status_code == 404
    # and the Secretariat still sees it, marked as deactivated
    response = signed_in(secretariat).get(page_url(sco))
    assert response.status_code == 200
    assert "Deactivated" in response.content.decode()
    assert signed_in(secretariat).get(edit_url(sco)).status_code == 200


def test_a_missing_organisation_is_404(compact, focal_point):
    assert signed_in(focal_point).get("/organisations/999999/").status_code == 404


# With its projects (the latest few and their count), its part in the Appeal, its CTED assessments and the
# count of its recommendations the reader may read (the consent rule's two reads, the count), its requests for
# support (the latest few and their count), and a Member State's country sections: its profile, upcoming
# events, documents, and showcase (resources and notices).
PAGE_QUERIES = 26


@pytest.mark.parametrize("people", [2, 12])
def test_page_query_count_does_not_grow_with_people(
    compact, make_user, focal_point, django_assert_num_queries, people
):
    # given an organisation with 2 or 12 people, some with profiles and two roles
    kenya = organization("state:KEN")
    for index in range(people):
        person = make_user(f"k{index}@example.org", organization=kenya)
        if index % 2:
            make_profile(user=person, job_title=f"Officer {index}", phone_office="+254 1")
            Membership.objects.create(user=person, organization=kenya, role=MembershipRole.ALTERNATE)
    client = signed_in(focal_point)
    client.get(page_url(kenya))
    # then the page costs the same: session and user, the viewer's audience context (memberships, groups,
    # Working Groups), the organisation, the people with their profiles, their current memberships, the
    # Working Groups, and the session's renewed inactivity deadline (savepoint, update, release)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(page_url(kenya))
    assert len(response.context["people"]) == people


# --- Editing the profile ------------------------------------------------------------------------------------

VALID_PROFILE = {
    "description": "Ministry of Interior focal point network.",
    "website": "https://www.interior.go.ke/",
    "contact_email": "CT.Unit@interior.go.ke",
    "contact_phone": "+254 20 222 2222",
    "address": "Harambee Avenue\nNairobi",
}


def test_edit_permissions(client, compact, make_user, admin_of_ken, secretariat):
    kenya = organization("state:KEN")
    url = edit_url(kenya)
    # anonymous: sign in first
    assert client.get(url).status_code == 302
    # an outsider, a focal point of another organisation and a plain focal point of Kenya: forbidden
    refused = [
        make_user("outsider@example.org"),
        make_user("unodc@example.org", organization=organization("entity:UNODC")),
        make_user("ken.fp@example.org", organization=kenya),
        make_user("fra.admin@example.org", organization=organization("state:FRA"), role="organization_admin"),
    ]
    for user in refused:
        assert signed_in(user).get(url).status_code == 403
        assert signed_in(user).post(url, VALID_PROFILE).status_code == 403
    kenya.refresh_from_db()
    assert kenya.description == ""
    # Kenya's admin and the Secretariat may
    assert signed_in(admin_of_ken).get(url).status_code == 200
    assert signed_in(secretariat).get(url).status_code == 200


def test_admin_saves_the_profile_but_not_the_reference_fields(compact, admin_of_ken):
    # given Kenya's admin
    kenya = organization("state:KEN")
    client = signed_in(admin_of_ken)
    # when they post the profile, trying to rename the State too
    response = client.post(
        edit_url(kenya), {**VALID_PROFILE, "name": "Renamed", "acronym": "XX", "kind": "other", "iso3": "ZZZ"}
    )
    # then the profile is saved and shown; the reference fields are unchanged
    assert response.status_code == 302
    assert response["Location"] == page_url(kenya)
    kenya.refresh_from_db()
    assert kenya.description == VALID_PROFILE["description"]
    assert kenya.website == "https://www.interior.go.ke/"
    assert kenya.contact_email == "ct.unit@interior.go.ke"
    assert kenya.contact_phone == "+254 20 222 2222"
    assert kenya.address == "Harambee Avenue\nNairobi"
    assert (kenya.name, kenya.acronym, kenya.kind, kenya.iso3) == ("Kenya", "", "member_state", "KEN")
    html = client.get(page_url(kenya)).content.decode()
    assert "The profile of Kenya was saved." in html
    assert "Ministry of Interior focal point network." in html


def test_secretariat_saves_the_profile(compact, secretariat):
    cted = organization("entity:CTED")
    response = signed_in(secretariat).post(edit_url(cted), {"website": "www.un.org/ctc"})
    assert response.status_code == 302
    cted.refresh_from_db()
    assert cted.website == "https://www.un.org/ctc"  # a bare domain is taken as https


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("website", "not a web address", "Enter a valid URL."),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("website", "ftp://files.example.org/", "starting with https:// or http://"),
        ("website", "https://example.org/" + "a" * 300, "at most 200 characters"),
        ("contact_email", "not-an-email", "Enter a valid email address."),
        ("contact_phone", "call me maybe", "digits, spaces and + ( ) - only"),
        ("contact_phone", "1" * 41, "at most 40 characters"),
        ("description", "x" * 3001, "at most 3000 characters"),
        ("address", "x" * 501, "at most 500 characters"),
        ("address", "Nairobi\x00", "Null characters are not allowed."),
    ],
)
def test_edit_validation_errors_are_clear(compact, admin_of_ken, field, value, error):
    # given Kenya's admin / when they post an invalid value
    kenya = organization("state:KEN")
    response = signed_in(admin_of_ken).post(edit_url(kenya), {**VALID_PROFILE, field: value})
    # then the form comes back with the error next to the field, and nothing is saved
    assert response.status_code == 200
    form = response.context["form"]
    assert any(error in message for message in form.errors[field]), form.errors
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    kenya.refresh_from_db()
    assert kenya.description == ""


def test_the_service_refuses_people_who_do_not_manage_the_organisation(compact, focal_point):
    from django.core.exceptions import PermissionDenied

    from directory.services import update_organization_profile

    with pytest.raises(PermissionDenied):
        update_organization_profile(organization=organization("state:KEN"), by=focal_point, description="x")


# --- Member State coverage ----------------------------------------------------------------------------------


def test_coverage_is_for_the_secretariat_only(client, compact, focal_point, admin_of_ken, make_user):
    assert client.get(COVERAGE_URL).status_code == 302
    for user in (make_user("outsider@example.org"), focal_point, admin_of_ken):
        assert signed_in(user).get(COVERAGE_URL).status_code == 403


def test_coverage_counts_states_with_an_active_focal_point_or_alternate(compact, make_user, secretariat):
    # given a focal point for Kenya (African), an alternate for France (WEOG), an ended role for Brazil,
    # a deactivated focal point for Japan, and only an admin for India
    make_user("ken@example.org", organization=organization("state:KEN"))
    make_user("fra@example.org", organization=organization("state:FRA"), role=MembershipRole.ALTERNATE)
    make_user("bra@example.org", organization=organization("state:BRA")).memberships.update(
        ended_at=timezone.now()
    )
    make_user("jpn@example.org", organization=organization("state:JPN"), is_active=False)
    make_user(
        "ind@example.org", organization=organization("state:IND"), role=MembershipRole.ORGANIZATION_ADMIN
    )
    # and a Kenyan with a second role, who must not count Kenya twice
    Membership.objects.create(
        user=make_user("ken2@example.org", organization=organization("state:KEN")),
        organization=organization("state:KEN"),
        role=MembershipRole.ALTERNATE,
    )

    # when the Secretariat opens the coverage page
    response = signed_in(secretariat).get(COVERAGE_URL)

    # then two of the 193 Member States are covered
    assert response.status_code == 200
    assert (response.context["covered"], response.context["total"]) == (2, 193)
    html = response.content.decode()
    assert "<strong>2 of 193</strong>" in html
    assert len(re.findall(r"<h1\b", html)) == 1
    # all five regional groups, with covered / total adding up
    regions = {r.region: (r.covered, r.total) for r in response.context["regions"]}
    assert set(regions) == set(Region.values)
    assert sum(total for _covered, total in regions.values()) == 193
    assert regions["african"][0] == 1
    assert regions["western_european_others"][0] == 1
    assert regions["asia_pacific"][0] == regions["latin_american_caribbean"][0] == 0
    assert regions["african"][1] == Organization.objects.filter(region="african").count()
    # the States without a focal point, linked to their pages
    uncovered = {state["iso3"] for state in response.context["uncovered"]}
    assert len(uncovered) == 191
    assert {"BRA", "JPN", "IND"} <= uncovered
    assert not {"KEN", "FRA"} & uncovered
    brazil = organization("state:BRA")
    assert re.search(
        rf'<a href="/organisations/{brazil.pk}/">Brazil</a></td><td>BRA</td><td>Latin American and Caribbean',
        html,
    )
    assert "191 Member States without a focal point" in html


COVERAGE_QUERIES = 9


@pytest.mark.parametrize("states", [1, 6])
def test_coverage_query_count_is_constant(compact, make_user, secretariat, django_assert_num_queries, states):
    for index, state in enumerate(Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE)[:states]):
        make_user(f"s{index}@example.org", organization=state)
    client = signed_in(secretariat)
    client.get(COVERAGE_URL)
    # session and user, the audience context (memberships, groups, Working Groups), the States with their
    # coverage, and the session's renewed inactivity deadline (savepoint, update, release)
    with django_assert_num_queries(COVERAGE_QUERIES):
        response = client.get(COVERAGE_URL)
    assert response.context["covered"] == states
