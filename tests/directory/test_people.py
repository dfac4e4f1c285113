"""The directory of people: search, every filter with its counts, privacy in pages, profiles and photos."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory.models import ContactVisibility, MembershipRole, Organization, Participation, Pillar, User
from directory.people import refresh_search_index
from tests.conftest import make_profile, organization
from tests.pages import parse


def person(make_user, email, org_key, *, role=MembershipRole.FOCAL_POINT, full_name=None, **profile):
    """A person of an organisation with a profile, indexed for search."""
    user = make_user(email, organization=organization(org_key), role=role, full_name=full_name or email)
    pillars = profile.pop("pillars", ())
    record = make_profile(user=user, **profile)
    record.expertise_pillars.set(pillars)
    refresh_search_index([user.pk])
    return user


def names(response) -> list[str]:
    """The names the page lists: the texts of its links to a person's page, in the main region (or in the
    results alone, for an htmx request)."""
    page = parse(response)
    listed = page.first("main") or page
    return [
        link.text() for link in listed.all("a") if re.fullmatch(r"/people/\d+/", link.attrs.get("href", ""))
    ]


@pytest.fixture
def people(compact, make_user):
    lucas = {
        "full_name": "Lucas Moreau", "job_title": "Crime prevention officer", "languages": ["fr", "en"],
        "expertise_tags": ["border security"], "country": "AUT", "pillars": [Pillar.objects.get(number=2)],
        "phone_office": "+43 1 26060 1234",
    }  # fmt: skip
    aya = {
        "full_name": "Aya Kouassi", "job_title": "Conseillère juridique", "languages": ["fr"],
        "expertise_tags": ["victims"], "country": "CIV",
    }  # fmt: skip
    omar = {
        "full_name": "Omar Haddad",
        "role": MembershipRole.ALTERNATE,
        "languages": ["ar", "en"],
        "country": "ETH",
    }
    elena = {"full_name": "Elena Petrova", "languages": ["ru", "en"], "expertise_tags": ["border security"]}
    return {
        "lucas": person(make_user, "lucas@unodc.example", "entity:UNODC", **lucas),
        "aya": person(make_user, "aya@civ.example", "state:CIV", **aya),
        "omar": person(make_user, "omar@au.example", "regional:AU", **omar),
        "elena": person(make_user, "elena@cted.example", "entity:CTED", **elena),
    }


@pytest.fixture
def reader(compact, make_user):
    return make_user("reader@undp.example", organization=organization("entity:UNDP"), full_name="Reader")


def test_directory_needs_sign_in(client, db):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_lists_people_who_represent_an_active_organisation(client, people, reader, make_user):
    make_user("nobody@example.org", full_name="Without organisation")
    people["omar"].is_active = False
    people["omar"].save()
    client.force_login(reader)

    listed = names(client.get("/people/"))

    assert "Without organisation" not in listed
    assert "Omar Haddad" not in listed  # deactivated
    assert {"Lucas Moreau", "Aya Kouassi", "Elena Petrova", "Reader"} <= set(listed)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Moreau", ["Lucas Moreau"]),
        ("mor", ["Lucas Moreau"]),  # a prefix, as typed
        ("UNODC", ["Lucas Moreau"]),  # organisation acronym
        ("executive directorate", ["Elena Petrova"]),  # organisation name
        ("conseillere", ["Aya Kouassi"]),  # accents do not matter
        ("côte d'ivoire", ["Aya Kouassi"]),  # the country's name
        ("border security", ["Elena Petrova", "Lucas Moreau"]),  # expertise
        ("arabic", ["Omar Haddad"]),  # a language
        ('"moreau" -', ["Lucas Moreau"]),  # quotes and operators are ignored
        ("moreau nobody", []),  # every word must match
        ("ova", ["Elena Petrova"]),  # inside a word
        ("petrowa", ["Elena Petrova"]),  # despite a typo or another transliteration
        ("elena trov", ["Elena Petrova"]),  # a word's start and another's middle
        ("zz", []),  # two letters are only ever a word's start
    ],
)
def test_search(client, people, reader, query, found):
    client.force_login(reader)
    assert sorted(names(client.get("/people/", {"q": query}))) == found


def test_a_hidden_phone_number_cannot_be_found_by_searching(client, people, reader):
    client.force_login(reader)
    # Lucas's office phone is for his organisation only (the default); it is in no index either.
    assert names(client.get("/people/", {"q": "26060"})) == []
    assert names(client.get("/people/", {"q": "lucas@unodc.example"})) == []


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"kind": "member_state"}, ["Aya Kouassi"]),
        ({"kind": "regional_organization"}, ["Omar Haddad"]),
        ({"organization": "entity:CTED"}, ["Elena Petrova"]),
        ({"role": "alternate"}, ["Omar Haddad"]),
        ({"country": "CIV"}, ["Aya Kouassi"]),
        ({"language": "ar"}, ["Omar Haddad"]),
        ({"tag": "Border Security"}, ["Elena Petrova", "Lucas Moreau"]),
        ({"pillar": 2}, ["Lucas Moreau"]),
        ({"working_group": 2, "wg_role": "chair"}, ["Elena Petrova"]),  # CTED chairs WG 2
        ({"working_group": 2, "kind": "compact_entity", "language": "fr"}, ["Lucas Moreau"]),
        ({"wg_role": "vice_chair"}, ["Lucas Moreau"]),  # UNODC is vice-chair of WG 2
    ],
)
def test_filters(client, people, reader, filters, found):
    if "organization" in filters:
        filters["organization"] = organization(filters["organization"]).pk
    if "working_group" in filters:
        from directory.models import WorkingGroup

        filters["working_group"] = WorkingGroup.objects.get(number=filters["working_group"]).pk
    if "pillar" in filters:
        filters["pillar"] = Pillar.objects.get(number=filters["pillar"]).pk
    client.force_login(reader)
    listed = names(client.get("/people/", filters))
    assert sorted(set(listed) - {"Reader"}) == found


def test_filter_counts_show_alternatives(client, people, reader):
    client.force_login(reader)
    html = client.get("/people/", {"language": "fr"}).content.decode()
    # with French chosen, the language facet still offers the others, counted without that choice
    assert re.search(r"English</bdi></a> <span[^>]*>\(3\)", html)
    assert re.search(r"French</bdi></a> <span[^>]*>\(2\)", html)
    # and the other facets count within French speakers: one Member State person
    assert re.search(r"Member State</bdi></a> <span[^>]*>\(1\)", html)


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "planet"},
        {"organization": "abc"},
        {"working_group": "999999"},
        {"language": "xx"},
        {"q": "x" * 10_000},
        {"page": "-3"},
        {"tag": "t" * 500},
    ],
)
def test_bad_filters_give_a_message_and_a_normal_page(client, people, reader, query):
    client.force_login(reader)
    response = client.get("/people/", query)
    assert response.status_code == 200
    if set(query) - {"page", "q"}:
        assert "Some filters were not understood and are ignored" in response.content.decode()


def test_htmx_requests_get_only_the_results(client, people, reader):
    client.force_login(reader)
    response = client.get("/people/", {"q": "mor"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert names(response) == ["Lucas Moreau"]


def test_contact_details_follow_each_persons_choices(client, people, reader, make_user):
    lucas = people["lucas"]
    lucas.profile.email_visibility = ContactVisibility.PRIVATE
    lucas.profile.save()
    client.force_login(reader)  # UNDP, a Compact entity but not Lucas's organisation

    listing = client.get("/people/", {"q": "moreau"}).content.decode()
    page = client.get(f"/people/{lucas.pk}/").content.decode()

    for html in (listing, page):
        assert "lucas@unodc.example" not in html
        assert "+43 1 26060 1234" not in html  # phones: his organisation only
    # a colleague of his organisation sees the phone, not the private email
    colleague = make_user("colleague@unodc.example", organization=organization("entity:UNODC"))
    client.force_login(colleague)
    page = client.get(f"/people/{lucas.pk}/").content.decode()
    assert "+43 1 26060 1234" in page
    assert "lucas@unodc.example" not in page
    # and he sees everything of his own
    client.force_login(lucas)
    page = client.get(f"/people/{lucas.pk}/").content.decode()
    assert "lucas@unodc.example" in page


def test_compact_visibility(client, people, make_user):
    elena = people["elena"]
    elena.profile.email_visibility = ContactVisibility.COMPACT
    elena.profile.save()
    state_person = make_user("fp@ken.example", organization=organization("state:KEN"))
    entity_person = make_user("fp@undp.example", organization=organization("entity:UNDP"))

    client.force_login(state_person)
    assert "elena@cted.example" not in client.get(f"/people/{elena.pk}/").content.decode()
    client.force_login(entity_person)
    assert "elena@cted.example" in client.get(f"/people/{elena.pk}/").content.decode()


def test_profile_shows_working_group_roles(client, people, reader):
    client.force_login(reader)
    html = client.get(f"/people/{people['elena'].pk}/").content.decode()
    assert re.search(r"WG 2: Border Management and Law Enforcement — Chair", html)


def test_a_person_outside_the_directory_is_404(client, compact, make_user, reader):
    outsider = make_user("nobody@example.org")
    client.force_login(reader)
    assert client.get(f"/people/{outsider.pk}/").status_code == 404
    assert client.get("/people/99999999/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_directory_page_queries_are_constant(
    client, compact, make_user, reader, django_assert_num_queries, count
):
    for n in range(count):
        person(make_user, f"p{n}@unodc.example", "entity:UNODC", languages=["en"], expertise_tags=["t"])
    client.force_login(reader)
    client.get("/people/")
    # session + user, audience context (3), count + rows + memberships, the facet counts (one query for
    # all facets, one more without the chosen language), the labels of countries and organisations (2),
    # and the session's save (3) — whatever the number of people or the page size
    with django_assert_num_queries(DIRECTORY_QUERIES):
        client.get("/people/", {"q": "p", "language": "en"})


DIRECTORY_QUERIES = 15


def png(size=(800, 600), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def edit_data(user, **overrides) -> dict:
    data = {
        "full_name": user.full_name, "preferred_name": "", "job_title": "Officer", "bio": "",
        "phone_office": "", "phone_mobile": "", "country": "", "time_zone": "Europe/Vienna",
        "email_visibility": "platform", "phone_visibility": "organization", "expertise_tags": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_people_edit_their_own_profile_and_org_admins_their_peoples(client, people, make_user):
    lucas = people["lucas"]
    client.force_login(lucas)
    response = client.post(
        f"/people/{lucas.pk}/edit/",
        edit_data(
            lucas, job_title="Senior officer", expertise_tags="Border security, CBRN", languages=["fr"]
        ),
    )
    assert response.status_code == 302
    lucas.profile.refresh_from_db()
    assert lucas.profile.job_title == "Senior officer"
    assert lucas.profile.expertise_tags == ["border security", "cbrn"]
    # found by the new theme at once
    assert "Lucas Moreau" in names(client.get("/people/", {"q": "cbrn"}))

    admin = make_user("admin@unodc.example", organization=organization("entity:UNODC"),
                      role=MembershipRole.ORGANIZATION_ADMIN)  # fmt: skip
    client.force_login(admin)
    assert client.get(f"/people/{lucas.pk}/edit/").status_code == 200
    other = make_user("other@undp.example", organization=organization("entity:UNDP"))
    client.force_login(other)
    assert client.get(f"/people/{lucas.pk}/edit/").status_code == 403
    assert client.post(f"/people/{lucas.pk}/edit/", edit_data(lucas)).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone_office", "call me maybe", "Write the number with digits"),
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("bio", "b" * 1001, "at most 1000 characters"),
        ("expertise_tags", "x" * 41, "at most 40 characters"),
        ("country", "XXX", "Select a valid choice"),
    ],
)
def test_profile_bad_input(client, people, field, value, message):
    lucas = people["lucas"]
    client.force_login(lucas)
    response = client.post(f"/people/{lucas.pk}/edit/", edit_data(lucas, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"this is plain text, not an image"),
        ("photo.png", b""),
        ("evil.png", b"MZ\x90\x00" + b"\x00" * 200),  # an executable renamed
    ],
)
def test_invalid_photos_are_refused_clearly(client, people, name, content):
    lucas = people["lucas"]
    client.force_login(lucas)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(f"/people/{lucas.pk}/edit/", {**edit_data(lucas), "photo_upload": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "not an image we can read" in html or "The submitted file is empty" in html
    lucas.profile.refresh_from_db()
    assert not lucas.profile.photo


def test_a_photo_is_resized_stored_under_a_generated_name_and_served_privately(
    client, people, reader, settings, tmp_path
):
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    lucas = people["lucas"]
    client.force_login(lucas)
    upload = SimpleUploadedFile("../../etc/passwd.png", png(), content_type="image/png")
    assert (
        client.post(f"/people/{lucas.pk}/edit/", {**edit_data(lucas), "photo_upload": upload}).status_code
        == 302
    )
    lucas.profile.refresh_from_db()
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", lucas.profile.photo.name)

    client.force_login(reader)
    response = client.get(f"/people/{lucas.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert max(image.size) == 400
    client.logout()
    assert client.get(f"/people/{lucas.pk}/photo/").status_code == 302


def test_my_profile_goes_to_the_own_page(client, people):
    client.force_login(people["aya"])
    response = client.get("/people/me/")
    assert response["Location"] == f"/people/{people['aya'].pk}/"


def test_participation_is_read_once(people):
    # Guard for the WG filter's data: UNODC is vice-chair and CTED chair of WG 2 in the reference data.
    roles = dict(
        Participation.objects.filter(working_group__number=2).values_list("organization__acronym", "role")
    )
    assert roles["UNODC"] == "vice_chair"
    assert roles["CTED"] == "chair"


def test_counts_are_cached_but_never_stale_after_a_change(client, people, reader):
    client.force_login(reader)
    html = client.get("/people/").content.decode()
    assert re.search(r"Arabic</bdi></a> <span[^>]*>\(1\)", html)

    # when someone adds a language to their profile, the next page counts it at once
    make_profile(user=people["aya"], languages=["fr", "ar"])

    html = client.get("/people/").content.decode()
    assert re.search(r"Arabic</bdi></a> <span[^>]*>\(2\)", html)


def test_a_profile_edit_refreshes_the_index_once(client, people):
    # saving a profile writes the profile, its pillars and the name: one index refresh for all of them
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lucas = people["lucas"]
    client.force_login(lucas)
    data = edit_data(lucas, full_name="Lucas Moreau-Blanc", expertise_tags="cbrn", languages=["fr"])
    with CaptureQueriesContext(connection) as queries:
        assert (
            client.post(f"/people/{lucas.pk}/edit/", {**data, "expertise_pillars": [1, 2]}).status_code == 302
        )
    refreshes = [q for q in queries if "SET search_vector = to_tsvector" in q["sql"]]
    assert len(refreshes) == 1
    assert "Lucas Moreau-Blanc" in names(client.get("/people/", {"q": "cbrn"}))


def test_a_profile_names_pillars_and_zones_as_people_read_them(client, people, reader):
    # given a person with an expertise pillar and a time zone
    elena = people["elena"]
    elena.profile.expertise_pillars.set([Pillar.objects.get(code="II")])
    make_profile(user=elena, time_zone="America/New_York")
    client.force_login(reader)
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/people/{elena.pk}/").content.decode()).split())
    # then the pillar has its name, and the zone its readable name and offset, not the database's codes
    assert "Pillar II: Measures to prevent and combat terrorism" in page
    assert re.search(r"America/New York \(UTC−0[45]:00\)", page)
    assert "America/New_York" not in page


def test_a_long_filter_shows_its_most_frequent_values_and_all_the_others_on_demand(
    client, people, reader, make_user
):
    # given people in more organisations than a filter shows at once
    for number, key in enumerate(
        ["entity:UNDP", "entity:UNICEF", "entity:UNESCO", "entity:IOM", "entity:ICAO", "entity:IMO",
         "entity:INTERPOL", "entity:OHCHR", "entity:UNHCR", "entity:UN Women", "entity:WCO", "entity:DPO",
         "entity:DPPA", "entity:ODA"]
    ):  # fmt: skip
        found = Organization.objects.filter(reference_key=key).first()
        if found:
            make_user(f"p{number}@example.org", organization=found)
    refresh_search_index(User.objects.values_list("pk", flat=True))
    client.force_login(reader)
    page = client.get("/people/").content.decode()
    # then the organisation filter lists twelve values, and "All n" opens the others, by name
    organisations = page[page.find('aria-label="Organisation"') :]
    organisations = organisations[: organisations.find("</section>")]
    shown = organisations[: organisations.find("<details")]
    assert shown.count("<li>") == 12
    match = re.search(r"<summary>All (\d+)</summary>", organisations)
    assert match
    assert int(match.group(1)) == organisations.count("<li>")


def test_every_page_shows_times_in_the_persons_zone(client, people, reader):
    # given a thread started at 12:00 UTC, and a reader in Nairobi (UTC+3)
    from datetime import UTC, datetime

    from directory.access import Visibility
    from discussions.models import Thread

    thread = Thread.objects.create(
        title="Timed", body="Text.", owner=organization("entity:CTED"), visibility=Visibility.PLATFORM
    )
    Thread.objects.filter(pk=thread.pk).update(created_at=datetime(2027, 3, 10, 12, 0, tzinfo=UTC))
    make_profile(user=reader, time_zone="Africa/Nairobi")
    client.force_login(reader)
    # then the discussion (not only the calendar) says 15:00, with the zone named
    assert "10 Mar 2027, 15:00 EAT" in client.get(f"/discussions/{thread.pk}/").content.decode()
    # and after the reader moves to Geneva in their profile, the next page follows at once
    form = client.get(f"/people/{reader.pk}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data.update(full_name=reader.full_name, time_zone="Europe/Zurich", email_visibility="platform",
                phone_visibility="organization")  # fmt: skip
    assert client.post(f"/people/{reader.pk}/edit/", data).status_code == 302
    assert "10 Mar 2027, 13:00 CET" in client.get(f"/discussions/{thread.pk}/").content.decode()
