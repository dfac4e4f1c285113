"""The directory's API (directory/api.py): a token reads the people, organisations and Working Groups its
person reads on the directory's pages — people through the directory's selector and filters, their contact
details as the privacy rules show them to that reader, never an inactive person or one who represents no
organisation, in lists, details, searches and filters alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.models import ContactVisibility, MembershipRole, Organization, Pillar
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization, wg
from tests.directory.test_people import person

PEOPLE = reverse("api:directory-person-list")
ORGANIZATIONS = reverse("api:directory-organization-list")
GROUPS = reverse("api:directory-working-group-list")
PILLARS = reverse("api:directory-pillar-list")

#: Fields about an account that no answer of the API may ever hold.
ACCOUNT_FIELDS = {"password", "last_login", "is_superuser", "is_staff", "groups", "user_permissions"}


def person_url(user) -> str:
    return reverse("api:directory-person-detail", args=[user.pk])


def organization_url(org) -> str:
    return reverse("api:directory-organization-detail", args=[org.pk])


def names(rows) -> set[str]:
    return {row["full_name"] for row in rows}


@pytest.fixture
def lucas(compact, make_user):
    """Lucas Moreau of UNODC: his phones for his organisation (the default), his email only for himself."""
    return person(
        make_user, "lucas@unodc.example", "entity:UNODC", full_name="Lucas Moreau",
        job_title="Crime prevention officer", phone_office="+43 1 26060 1234", phone_mobile="+43 660 1234",
        email_visibility=ContactVisibility.PRIVATE, languages=["fr", "en"],
        expertise_tags=["border security"], pillars=[Pillar.objects.get(number=2)],
    )  # fmt: skip


@pytest.fixture
def reader(compact, make_user):
    """A focal point of UNDP (a Compact entity, not Lucas's organisation)."""
    return make_user("reader@undp.example", organization=organization("entity:UNDP"), full_name="Reader")


@pytest.fixture
def unlisted(compact, make_user):
    """People the directory lists to nobody: one with no organisation, one deactivated, one whose
    organisation is deactivated — all with words a search or a filter could reach."""
    outsider = make_user("outsider@example.org", full_name="Olga Outsider")
    gone = person(make_user, "gone@unodc.example", "entity:UNODC", full_name="Gustav Gone", languages=["fr"])
    gone.is_active = False
    gone.save()
    closed = Organization.objects.create(kind="other", name="Closed Institute", acronym="CLI")
    ghost = make_user("ghost@cli.example", organization=closed, full_name="Greta Ghost")
    closed.is_active = False
    closed.save()
    return {"outsider": outsider, "gone": gone, "ghost": ghost, "closed": closed}


def test_people_are_those_the_directory_lists_and_nothing_of_an_account(lucas, reader, unlisted):
    client = bearer(reader, "directory:read")
    rows = all_rows(client, PEOPLE)
    # then Lucas and the reader are listed; nobody the directory does not list is
    assert {"Lucas Moreau", "Reader"} <= names(rows)
    assert not names(rows) & {"Olga Outsider", "Gustav Gone", "Greta Ghost"}
    for hidden in unlisted.values():
        if hasattr(hidden, "full_name"):
            missing = client.get(reverse("api:directory-person-detail", args=[hidden.pk + 100000]))
            answer = client.get(person_url(hidden))
            assert answer.status_code == missing.status_code == 404
            assert answer.json() == missing.json()  # "not listed" and "not there" are the same answer
    # and no row says anything of an account
    assert not any(ACCOUNT_FIELDS & row.keys() for row in rows)


def test_searches_and_filters_never_reach_an_unlisted_person(lucas, reader, unlisted):
    client = bearer(reader, "directory:read")
    for words in ("Olga Outsider", "Gustav", "Greta Ghost", "outsider@example.org"):
        assert all_rows(client, PEOPLE, q=words) == []
    assert "Gustav Gone" not in names(all_rows(client, PEOPLE, language="fr"))
    assert "Gustav Gone" not in names(all_rows(client, PEOPLE, organization=organization("entity:UNODC").pk))
    # a deactivated organisation is no filter value: a 400, not its people
    response = client.get(PEOPLE, {"organization": unlisted["closed"].pk})
    assert response.status_code == 400
    assert "organization" in response.json()


def test_contact_details_are_those_the_pages_show_each_reader(lucas, reader, make_user):
    # given a reader of another organisation
    seen = bearer(reader, "directory:read").get(person_url(lucas)).json()
    # then Lucas's private email and his organisation-only phones are null for them
    assert seen["email"] is seen["phone_office"] is seen["phone_mobile"] is None
    assert seen["profile"]["job_title"] == "Crime prevention officer"
    listed = all_rows(bearer(reader, "directory:read"), PEOPLE, q="Moreau")
    assert [(row["email"], row["phone_office"], row["phone_mobile"]) for row in listed] == [
        (None, None, None)
    ]
    # a colleague of UNODC reads his phones and still not his email
    colleague = make_user("colleague@unodc.example", organization=organization("entity:UNODC"))
    seen = bearer(colleague, "directory:read").get(person_url(lucas)).json()
    assert (seen["email"], seen["phone_office"], seen["phone_mobile"]) == (
        None,
        "+43 1 26060 1234",
        "+43 660 1234",
    )
    # and he reads all of his own
    seen = bearer(lucas, "directory:read").get(person_url(lucas)).json()
    assert seen["email"] == "lucas@unodc.example"


def test_a_hidden_contact_detail_finds_nobody(lucas, reader):
    client = bearer(reader, "directory:read")
    assert all_rows(client, PEOPLE, q="26060 1234") == []
    assert all_rows(client, PEOPLE, q="lucas@unodc.example") == []


def test_compact_only_email_is_null_for_a_member_state(compact, make_user):
    elena = person(make_user, "elena@cted.example", "entity:CTED", full_name="Elena Petrova",
                   email_visibility=ContactVisibility.COMPACT)  # fmt: skip
    state = make_user("fp@ken.example", organization=organization("state:KEN"))
    entity = make_user("fp@undp.example", organization=organization("entity:UNDP"))
    assert bearer(state, "directory:read").get(person_url(elena)).json()["email"] is None
    assert bearer(entity, "directory:read").get(person_url(elena)).json()["email"] == "elena@cted.example"


def test_a_person_reads_as_their_page_shows_them(lucas, reader):
    body = bearer(reader, "directory:read").get(person_url(lucas)).json()
    assert body["organizations"] == [
        {
            "organization": {"id": organization("entity:UNODC").pk, "name": organization("entity:UNODC").name,
                             "acronym": "UNODC"},
            "role": MembershipRole.FOCAL_POINT,
        }
    ]  # fmt: skip
    assert body["profile"]["languages"] == ["fr", "en"]
    assert body["profile"]["expertise_tags"] == ["border security"]
    assert [pillar["number"] for pillar in body["profile"]["expertise_pillars"]] == [2]
    assert body["web_url"] == f"/people/{lucas.pk}/"
    assert body["is_stale"] is False


def test_a_person_reads_the_working_groups_of_their_organisations(chair, reader):
    body = bearer(reader, "directory:read").get(person_url(chair)).json()
    roles = {(row["working_group"]["number"], row["role"], row["organization"]["acronym"])
             for row in body["working_groups"]}  # fmt: skip
    assert (2, "chair", "CTED") in roles


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"organization": "²"}, "organization"),
        ({"organization": "abc"}, "organization"),
        ({"organization": "99999999999999999999"}, "organization"),
        ({"pillar": "abc"}, "pillar"),
        ({"working_group": "²"}, "working_group"),
        ({"role": "president"}, "role"),
        ({"wg_role": "king"}, "wg_role"),
        ({"kind": "club"}, "kind"),
        ({"country": "Kenya"}, "country"),
        ({"language": "xx"}, "language"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_a_bad_people_filter_is_a_400_naming_it(reader, params, field):
    response = bearer(reader, "directory:read").get(PEOPLE, params)
    assert response.status_code == 400
    assert field in response.json()


def test_people_filters_are_the_directory_pages(lucas, chair, reader, make_user):
    client = bearer(reader, "directory:read")
    assert names(all_rows(client, PEOPLE, q="moreau")) == {"Lucas Moreau"}
    assert "Lucas Moreau" in names(all_rows(client, PEOPLE, organization=organization("entity:UNODC").pk))
    assert "Lucas Moreau" not in names(all_rows(client, PEOPLE, organization=organization("entity:CTED").pk))
    assert names(all_rows(client, PEOPLE, working_group=wg(2).pk, wg_role="chair")) >= {"Carla Chair"}
    assert "Lucas Moreau" in names(all_rows(client, PEOPLE, tag="border security"))
    assert "Lucas Moreau" not in names(all_rows(client, PEOPLE, kind="member_state"))


@pytest.mark.parametrize(
    ("params", "field"),
    [({"kind": "club"}, "kind"), ({"q": "x" * 101}, "q")],
)
def test_a_bad_organisation_filter_is_a_400_naming_it(reader, params, field):
    response = bearer(reader, "directory:read").get(ORGANIZATIONS, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url",
    [
        PEOPLE + "?cursor=not-a-cursor",
        PEOPLE + "99999999999999999999999/",
        PEOPLE + "²/",
        ORGANIZATIONS + "abc/",
        GROUPS + "99999999999999999999999/",
        PILLARS + "²/",
    ],
)
def test_bad_addresses_are_404s_not_errors(reader, url):
    assert bearer(reader, "directory:read").get(url).status_code == 404


def test_organisations_read_as_their_pages_show_them(reader, unlisted):
    client = bearer(reader, "directory:read")
    cted = organization("entity:CTED")
    body = client.get(organization_url(cted)).json()
    assert (body["kind"], body["compact_status"], body["acronym"]) == ("compact_entity", "member", "CTED")
    assert {(row["working_group"]["number"], row["role"]) for row in body["working_groups"]} >= {(2, "chair")}
    kenya = client.get(organization_url(organization("state:KEN"))).json()
    assert (kenya["iso3"], kenya["region"]) == ("KEN", "african")
    # the list and the search: active organisations only; a deactivated one is a 404 but to the Secretariat
    assert [row["acronym"] for row in all_rows(client, ORGANIZATIONS, q="CTED")] == ["CTED"]
    assert all_rows(client, ORGANIZATIONS, q="Closed Institute") == []
    assert {row["kind"] for row in all_rows(client, ORGANIZATIONS, kind="member_state")} == {"member_state"}
    assert client.get(organization_url(unlisted["closed"])).status_code == 404


def test_the_secretariat_opens_a_deactivated_organisation_as_on_its_page(secretariat, unlisted):
    client = bearer(secretariat, "directory:read")
    body = client.get(organization_url(unlisted["closed"])).json()
    assert body["is_active"] is False
    assert body["people"] == 1
    assert all_rows(client, ORGANIZATIONS, q="Closed Institute") == []  # the list is the page's: active ones


def test_working_groups_and_pillars(reader):
    client = bearer(reader, "directory:read")
    groups = all_rows(client, GROUPS)
    assert [group["number"] for group in groups] == sorted(group["number"] for group in groups)
    two = client.get(reverse("api:directory-working-group-detail", args=[wg(2).pk])).json()
    assert two["short_name"] == wg(2).short_name
    assert two["participants"][0]["role"] == "chair"  # who runs the group first, as on its page
    assert any(p["organization"]["acronym"] == "CTED" for p in two["participants"])
    assert two["pillars"]
    assert [pillar["number"] for pillar in all_rows(client, PILLARS)] == [1, 2, 3, 4]


def test_an_inactive_working_group_is_a_404(reader):
    group = wg(2)
    group.is_active = False
    group.save()
    client = bearer(reader, "directory:read")
    assert client.get(reverse("api:directory-working-group-detail", args=[group.pk])).status_code == 404
    assert 2 not in {row["number"] for row in all_rows(client, GROUPS)}


def test_a_token_without_the_directory_scope_reads_nothing(reader, lucas):
    client = bearer(reader, "library:read")
    assert client.get(PEOPLE).status_code == 403
    assert client.get(person_url(lucas)).status_code == 403


def test_a_people_page_costs_the_same_queries_whatever_its_length(compact, make_user, reader):
    client = bearer(reader, "directory:read")
    person(
        make_user,
        "p0@unodc.example",
        "entity:UNODC",
        languages=["en"],
        pillars=[Pillar.objects.get(number=1)],
    )
    few = queries_of(client, PEOPLE)
    for n in range(1, 8):
        org = ("entity:CTED", "state:KEN", "regional:AU")[n % 3]
        person(make_user, f"p{n}@example.org", org, languages=["en"], pillars=[Pillar.objects.get(number=2)])
    assert queries_of(client, PEOPLE) == few
    assert queries_of(client, PEOPLE, q="p", language="en") == queries_of(client, PEOPLE, language="en")


def test_organisation_and_group_pages_cost_the_same_queries_whatever_their_length(reader):
    client = bearer(reader, "directory:read")
    assert queries_of(client, ORGANIZATIONS, page_size=2) == queries_of(client, ORGANIZATIONS, page_size=100)
    assert queries_of(client, GROUPS, page_size=1) == queries_of(client, GROUPS, page_size=50)
