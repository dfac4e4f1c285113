"""Notices through the browser's eyes: listing, reading, posting, editing and sharing, per user."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from directory.access import Visibility
from directory.models import SECRETARIAT_GROUP, Membership, Participation, WorkingGroup
from notices import services
from notices.forms import NoticeForm
from notices.models import Notice, NoticeUserGrant
from tests.conftest import notice, organization, signed_in
from tests.pages import addresses, field_error, headings, links, list_items, options, words

NOTICES_QUERIES = 10


def listed_titles(response) -> list[str]:
    """The titles of the listed notices: the texts of the links to a notice."""
    return [title for title, href in links(response) if re.fullmatch(r"/notices/\d+/", href)]


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def valid_post(**overrides) -> dict:
    data = {
        "title": "Call for contributions",
        "body": "Send us your good practices by Friday.",
        "owner": organization("entity:UNODC").pk,
        "visibility": Visibility.ORGANIZATIONS,
        "working_group": "",
        "audience_organizations": [organization("state:KEN").pk],
    }
    data.update(overrides)
    return data


# --- The list -------------------------------------------------------------------------------------------


def test_the_list_shows_exactly_what_the_user_may_see_newest_first(unodc_person, client):
    # given notices of every audience, posted over the last days
    unodc, cted, ken = organization("entity:UNODC"), organization("entity:CTED"), organization("state:KEN")
    now = timezone.now()
    visible = [
        notice(ken, Visibility.PLATFORM, title="Kenya to everyone", created_at=now - timedelta(days=5)),
        notice(cted, Visibility.COMPACT, title="CTED to the Compact", created_at=now - timedelta(days=1)),
        notice(
            cted,
            Visibility.WORKING_GROUP,
            working_group=WorkingGroup.objects.get(number=2),
            title="CTED to WG 2",
            created_at=now - timedelta(days=3),
        ),
        notice(unodc, title="UNODC internal", created_at=now - timedelta(days=2)),
        notice(ken, title="Kenya to UNODC", audience=[unodc], created_at=now - timedelta(days=4)),
    ]
    restricted = [
        notice(cted, title="CTED internal"),
        notice(
            ken, Visibility.ORGANIZATIONS, title="Kenya to the AU", audience=[organization("regional:AU")]
        ),
        notice(
            cted,
            Visibility.WORKING_GROUP,
            working_group=WorkingGroup.objects.get(number=4),
            title="CTED to WG 4",
        ),
    ]
    assert not Participation.objects.filter(working_group__number=4, organization=unodc).exists()
    # when the UNODC focal point opens the list
    client.force_login(unodc_person)
    response = client.get("/notices/")
    # then it holds the visible notices, newest first, and no foreign restricted row
    assert response.status_code == 200
    assert listed_titles(response) == [
        "CTED to the Compact",
        "UNODC internal",
        "CTED to WG 2",
        "Kenya to UNODC",
        "Kenya to everyone",
    ]
    for item in restricted:
        assert item.title not in words(response)
        assert not any(f"/notices/{item.pk}/" in href for href in addresses(response))
    assert f"Notices {len(visible)}" in headings(response)


def test_the_list_of_a_person_without_organisation_holds_only_platform_notices(compact, make_user):
    notice(organization("entity:CTED"), Visibility.COMPACT, title="For the Compact")
    notice(organization("entity:CTED"), Visibility.PLATFORM, title="For everyone")
    response = signed_in(make_user("outsider@example.org")).get("/notices/")
    assert listed_titles(response) == ["For everyone"]


def test_the_list_count_is_capped(unodc_person, client, monkeypatch):
    # given more visible notices than the cap
    monkeypatch.setattr("notices.views.COUNT_CAP", 5)
    for number in range(7):
        notice(organization("entity:UNODC"), title=f"Notice {number}")
    client.force_login(unodc_person)
    # then the count says "5+", not an exact count, and the list is counted once (the paginator reuses it)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notices/")
    assert "Notices 5+" in headings(response)
    sqls = [query["sql"] for query in queries.captured_queries]
    counts = [sql for sql in sqls if "COUNT(" in sql.upper() and "notices_notice" in sql]
    assert len(counts) == 1
    # and at the cap or below it is exact
    Notice.objects.filter(title__in=["Notice 5", "Notice 6"]).delete()
    assert "Notices 5" in headings(client.get("/notices/"))


def test_the_list_reads_in_a_constant_number_of_queries(
    unodc_person, ken_person, client, django_assert_num_queries
):
    unodc, cted = organization("entity:UNODC"), organization("entity:CTED")
    group = Group.objects.create(name="Border experts")
    unodc_person.groups.add(group)

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            notice(unodc, title=f"own {number}")
            notice(cted, Visibility.PLATFORM, title=f"platform {number}")
            shared = notice(cted, title=f"shared {number}", audience=[organization("state:KEN")])
            assign_perm("notices.view_notice", unodc_person, shared)
            assign_perm("notices.view_notice", group, notice(cted, title=f"group {number}"))
            notice(cted, title=f"hidden {number}")

    client.force_login(unodc_person)
    add(3, 0)
    assert client.get("/notices/").status_code == 200  # warm-up: the session's one-off checks
    with CaptureQueriesContext(connection) as few:
        response = client.get("/notices/")
    assert len(listed_titles(response)) == 12
    # pinned: session, user, MFA check, audience context (3), the page and its capped count, the bell
    assert len(few.captured_queries) == NOTICES_QUERIES
    add(27, 3)
    # thirty times the notices and grants, the same queries
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/notices/")
    assert len(listed_titles(response)) == 50  # one page
    assert "Notices 120" in headings(response)


def test_the_list_needs_sign_in(client, db):
    response = client.get("/notices/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/notices/")


# --- One notice -----------------------------------------------------------------------------------------


def test_a_visible_notice_explains_who_can_see_it(unodc_person, ken_person, client):
    item = notice(organization("entity:UNODC"), Visibility.OWNER, title="Change of focal point")
    client.force_login(unodc_person)
    response = client.get(f"/notices/{item.pk}/")
    assert response.status_code == 200
    page = words(response)
    assert "Change of focal point" in page
    assert "Who can see this?" in page
    assert "Only the people of UNODC." in page
    # the owner's people are offered to edit and share it
    assert f"/notices/{item.pk}/edit/" in addresses(response)
    assert f"/notices/{item.pk}/share/" in addresses(response)


@pytest.mark.parametrize(
    ("visibility", "summary"),
    [
        (Visibility.PLATFORM, "Everyone signed in to the platform."),
        (Visibility.COMPACT, "People of the Compact entities and the Secretariat"),
        (Visibility.WORKING_GROUP, "People of the organisations taking part in WG 2: "),
        (Visibility.ORGANIZATIONS, "People of UNODC and of the organisations listed below."),
    ],
)
def test_the_panel_names_the_audience_in_plain_words(unodc_person, client, visibility, summary):
    item = notice(
        organization("entity:UNODC"),
        visibility,
        working_group=WorkingGroup.objects.get(number=2) if visibility == Visibility.WORKING_GROUP else None,
        audience=[organization("state:KEN")],
    )
    client.force_login(unodc_person)
    response = client.get(f"/notices/{item.pk}/")
    assert summary.strip() in words(response)
    assert "Also the people of:" in words(response)
    assert "Kenya" in list_items(response)


def test_a_reader_who_may_not_change_gets_no_edit_or_share_link(unodc_person, ken_person):
    item = notice(organization("entity:UNODC"), Visibility.PLATFORM)
    response = signed_in(ken_person).get(f"/notices/{item.pk}/")
    assert response.status_code == 200
    assert f"/notices/{item.pk}/edit/" not in addresses(response)
    assert f"/notices/{item.pk}/share/" not in addresses(response)


def test_an_invisible_notice_is_the_same_404_as_a_missing_one(unodc_person, ken_person, client):
    hidden = notice(organization("entity:UNODC"), title="Internal planning")
    client.force_login(ken_person)
    invisible = client.get(f"/notices/{hidden.pk}/")
    missing = client.get(f"/notices/{hidden.pk + 1000}/")
    assert invisible.status_code == missing.status_code == 404
    assert "Internal planning" not in invisible.content.decode()
    assert without_tokens(invisible.content.decode()) == without_tokens(missing.content.decode())


def test_the_secretariat_reads_platform_notices_but_not_restricted_ones(compact, make_user):
    person = make_user("secretariat@example.org", organization=organization("entity:UNOCT"))
    person.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    public = notice(organization("entity:UNODC"), Visibility.PLATFORM, title="For everyone")
    internal = notice(organization("entity:UNODC"), title="UNODC internal")
    client = signed_in(person)
    response = client.get(f"/notices/{public.pk}/")
    assert response.status_code == 200
    assert f"/notices/{public.pk}/edit/" not in addresses(response)
    assert client.get(f"/notices/{internal.pk}/").status_code == 404
    assert client.get(f"/notices/{public.pk}/edit/").status_code == 403
    assert "UNODC internal" not in words(client.get("/notices/"))


def test_a_notice_needs_sign_in(unodc_person, client):
    item = notice(organization("entity:UNODC"), Visibility.PLATFORM)
    response = client.get(f"/notices/{item.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/notices/{item.pk}/"


# --- Posting --------------------------------------------------------------------------------------------


def test_the_form_offers_only_the_users_organisations_and_working_groups(unodc_person, client):
    # given a person of UNODC and of Kenya
    Membership.objects.create(user=unodc_person, organization=organization("state:KEN"), role="focal_point")
    client.force_login(unodc_person)
    response = client.get("/notices/new/")
    assert response.status_code == 200
    # then the owner is one of the person's organisations, the WG one of their WGs
    owners = options(response, "Owner organisation")
    assert set(owners) == {str(organization("entity:UNODC").pk), str(organization("state:KEN").pk)}
    unodc_wgs = set(
        Participation.objects.filter(organization__reference_key="entity:UNODC").values_list(
            "working_group_id", flat=True
        )
    )
    assert 0 < len(unodc_wgs) < WorkingGroup.objects.count()
    assert {value for value in options(response, "Working Group (optional)") if value} == {
        str(pk) for pk in unodc_wgs
    }


def test_a_person_in_no_working_group_is_offered_none(ken_person):
    response = signed_in(ken_person).get("/notices/new/")
    assert set(options(response, "Owner organisation")) == {str(organization("state:KEN").pk)}
    assert {value for value in options(response, "Working Group (optional)") if value} == set()


def test_posting_for_another_organisation_is_refused(unodc_person, client):
    client.force_login(unodc_person)
    response = client.post("/notices/new/", valid_post(owner=organization("entity:CTED").pk))
    assert response.status_code == 200
    assert "Select a valid choice" in field_error(response, "owner")
    assert not Notice.objects.exists()


def test_posting_for_a_working_group_one_is_not_in_is_refused(unodc_person, client):
    client.force_login(unodc_person)
    wg4 = WorkingGroup.objects.get(number=4)
    response = client.post(
        "/notices/new/", valid_post(visibility=Visibility.WORKING_GROUP, working_group=wg4.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in field_error(response, "working_group")
    assert not Notice.objects.exists()


def test_working_group_visibility_needs_a_working_group(unodc_person, client):
    client.force_login(unodc_person)
    response = client.post("/notices/new/", valid_post(visibility=Visibility.WORKING_GROUP, working_group=""))
    assert response.status_code == 200
    assert "Choose the Working Group whose members may see it." in field_error(response, "working_group")
    assert not Notice.objects.exists()


@pytest.mark.parametrize(("field", "length"), [("title", 201), ("body", 10_001)])
def test_overlong_text_is_a_form_error(unodc_person, client, field, length):
    client.force_login(unodc_person)
    response = client.post("/notices/new/", valid_post(**{field: "x" * length}))
    assert response.status_code == 200
    assert "Ensure this value has at most" in field_error(response, field)
    assert not Notice.objects.exists()


def test_a_valid_post_creates_the_notice_and_shows_it(unodc_person, ken_person, au_person, client):
    client.force_login(unodc_person)
    response = client.post("/notices/new/", valid_post())
    created = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{created.pk}/"
    assert created.author == unodc_person
    assert created.owner == organization("entity:UNODC")
    assert created.visibility == Visibility.ORGANIZATIONS
    assert list(created.audience_organizations.all()) == [organization("state:KEN")]
    assert "Call for contributions" in words(client.get(response["Location"]))
    # and its audience sees it, nobody else
    assert signed_in(ken_person).get(f"/notices/{created.pk}/").status_code == 200
    assert signed_in(au_person).get(f"/notices/{created.pk}/").status_code == 404


def test_a_working_group_notice_drops_nothing_and_keeps_its_group(unodc_person, client):
    client.force_login(unodc_person)
    wg2 = WorkingGroup.objects.get(number=2)
    response = client.post(
        "/notices/new/", valid_post(visibility=Visibility.WORKING_GROUP, working_group=wg2.pk)
    )
    assert response.status_code == 302
    assert Notice.objects.get().working_group == wg2


def test_posting_needs_sign_in(client, compact):
    response = client.post("/notices/new/", {"title": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Notice.objects.exists()


def test_the_write_service_checks_the_owner_itself(unodc_person, ken_person):
    # a form filled for a UNODC person cannot be saved on behalf of a Kenyan one (the service does not trust
    # the view to have built the form for the right user)
    form = NoticeForm(valid_post(), user=unodc_person)
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.save_notice(form=form, by=ken_person)
    assert not Notice.objects.exists()


def test_the_write_service_checks_the_change_permission(unodc_person, ken_person):
    item = notice(organization("entity:UNODC"), Visibility.PLATFORM, title="Old title")
    form = NoticeForm(valid_post(title="Hijacked"), instance=item, user=unodc_person)
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.save_notice(form=form, by=ken_person)
    item.refresh_from_db()
    assert item.title == "Old title"


# --- Editing --------------------------------------------------------------------------------------------


def test_the_owner_organisations_people_may_edit(unodc_person, make_user, client):
    # given a notice posted by another UNODC focal point
    item = notice(organization("entity:UNODC"), title="Old title", author=make_user("colleague@example.org"))
    client.force_login(unodc_person)
    assert client.get(f"/notices/{item.pk}/edit/").status_code == 200
    response = client.post(
        f"/notices/{item.pk}/edit/",
        valid_post(title="New title", visibility=Visibility.PLATFORM, audience_organizations=[]),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{item.pk}/"
    item.refresh_from_db()
    assert (item.title, item.visibility) == ("New title", Visibility.PLATFORM)
    assert item.author.email == "colleague@example.org"  # the author stays the one who posted it


def test_a_reader_who_may_not_change_gets_403(unodc_person, ken_person):
    item = notice(organization("entity:UNODC"), Visibility.PLATFORM, title="Old title")
    client = signed_in(ken_person)
    assert client.get(f"/notices/{item.pk}/edit/").status_code == 403
    response = client.post(
        f"/notices/{item.pk}/edit/", valid_post(title="Hijacked", owner=organization("state:KEN").pk)
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.title, item.owner) == ("Old title", organization("entity:UNODC"))


def test_editing_an_invisible_notice_is_404(unodc_person, ken_person):
    item = notice(organization("entity:UNODC"), title="Old title")
    client = signed_in(ken_person)
    assert client.get(f"/notices/{item.pk}/edit/").status_code == 404
    assert client.post(f"/notices/{item.pk}/edit/", valid_post(title="Hijacked")).status_code == 404
    item.refresh_from_db()
    assert item.title == "Old title"


def test_a_change_grant_does_not_allow_taking_the_notice_over(unodc_person, ken_person):
    # given a Kenyan focal point allowed to change a UNODC notice
    item = notice(organization("entity:UNODC"), title="Old title")
    assign_perm("notices.change_notice", ken_person, item)
    client = signed_in(ken_person)
    assert client.get(f"/notices/{item.pk}/edit/").status_code == 200
    # when the editor names their own organisation as the owner
    client.post(
        f"/notices/{item.pk}/edit/", valid_post(title="Taken over", owner=organization("state:KEN").pk)
    )
    # then the notice stays UNODC's (the change is refused, or saved without the new owner): owning it
    # would give Kenya's people share and delete
    item.refresh_from_db()
    assert item.owner == organization("entity:UNODC")
    assert not Notice.objects.filter(owner=organization("state:KEN")).exists()


def test_a_change_grant_allows_editing_the_text(unodc_person, ken_person):
    # given a Kenyan focal point allowed to change a UNODC notice
    item = notice(organization("entity:UNODC"), title="Old title")
    assign_perm("notices.change_notice", ken_person, item)
    client = signed_in(ken_person)
    # when the editor saves the form with its owner unchanged
    response = client.post(
        f"/notices/{item.pk}/edit/",
        valid_post(title="New title", visibility=Visibility.OWNER, audience_organizations=[]),
    )
    # then the text changes and the owner stays UNODC
    assert response.status_code == 302, field_error(response, "owner")
    item.refresh_from_db()
    assert (item.title, item.owner) == ("New title", organization("entity:UNODC"))


# --- Sharing --------------------------------------------------------------------------------------------


def test_sharing_with_a_person_lets_them_see_it(unodc_person, ken_person, client):
    item = notice(organization("entity:UNODC"), title="Internal planning")
    assert signed_in(ken_person).get(f"/notices/{item.pk}/").status_code == 404
    client.force_login(unodc_person)
    assert client.get(f"/notices/{item.pk}/share/").status_code == 200
    response = client.post(f"/notices/{item.pk}/share/", {"emails": "KEN@example.org", "action": "share"})
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{item.pk}/share/"
    # then the person reads it, and the panel names them
    assert signed_in(ken_person).get(f"/notices/{item.pk}/").status_code == 200
    assert "Kamau Kenya" in list_items(client.get(f"/notices/{item.pk}/"))
    assert "Kamau Kenya" in list_items(client.get(f"/notices/{item.pk}/share/"))
    # with a view grant only
    assert list(
        NoticeUserGrant.objects.filter(content_object=item).values_list("user__email", "permission__codename")
    ) == [("ken@example.org", "view_notice")]


def test_sharing_with_an_organisation_lets_its_people_see_it(unodc_person, ken_person, au_person, client):
    item = notice(organization("entity:UNODC"), title="Internal planning")
    client.force_login(unodc_person)
    response = client.post(
        f"/notices/{item.pk}/share/", {"organizations": [organization("state:KEN").pk], "action": "share"}
    )
    assert response.status_code == 302
    assert signed_in(ken_person).get(f"/notices/{item.pk}/").status_code == 200
    assert "Internal planning" in words(signed_in(ken_person).get("/notices/"))
    assert signed_in(au_person).get(f"/notices/{item.pk}/").status_code == 404
    assert "Kenya" in list_items(client.get(f"/notices/{item.pk}/"))


def test_sharing_names_every_address_outside_the_directory_the_same_way(
    unodc_person, ken_person, make_user, client
):
    # given a deactivated account and an account in no organisation: neither is in the directory
    make_user("gone@example.org", is_active=False)
    make_user("loose@example.org")
    item = notice(organization("entity:UNODC"))
    client.force_login(unodc_person)
    response = client.post(
        f"/notices/{item.pk}/share/",
        {
            "emails": "ken@example.org, nobody@example.org\ngone@example.org loose@example.org",
            "action": "share",
        },
    )
    # then they are answered exactly like an address without an account
    assert response.status_code == 200
    assert (
        "Nobody in the directory has these addresses: gone@example.org, loose@example.org, nobody@example.org"
        in field_error(response, "emails")
    )
    assert not NoticeUserGrant.objects.exists()


def test_sharing_with_nobody_is_an_error(unodc_person, client):
    item = notice(organization("entity:UNODC"))
    client.force_login(unodc_person)
    response = client.post(f"/notices/{item.pk}/share/", {"emails": "", "action": "share"})
    assert response.status_code == 200
    assert "Name at least one person or organisation." in words(response)


def test_stop_sharing_removes_access(unodc_person, ken_person, au_person, client):
    item = notice(organization("entity:UNODC"), title="Internal planning")
    client.force_login(unodc_person)
    client.post(
        f"/notices/{item.pk}/share/",
        {"emails": "ken@example.org", "organizations": [organization("regional:AU").pk], "action": "share"},
    )
    assert signed_in(ken_person).get(f"/notices/{item.pk}/").status_code == 200
    assert signed_in(au_person).get(f"/notices/{item.pk}/").status_code == 200
    response = client.post(
        f"/notices/{item.pk}/share/",
        {"emails": "ken@example.org", "organizations": [organization("regional:AU").pk], "action": "unshare"},
    )
    assert response.status_code == 302
    assert signed_in(ken_person).get(f"/notices/{item.pk}/").status_code == 404
    assert signed_in(au_person).get(f"/notices/{item.pk}/").status_code == 404
    page = words(client.get(f"/notices/{item.pk}/"))
    assert "Kamau Kenya" not in page
    assert "African Union" not in page


def test_only_the_owner_organisation_may_share(unodc_person, ken_person, au_person):
    item = notice(
        organization("entity:UNODC"), Visibility.ORGANIZATIONS, audience=[organization("state:KEN")]
    )
    # a reader outside the owner organisation: 403, nothing shared
    reader = signed_in(ken_person)
    assert reader.get(f"/notices/{item.pk}/share/").status_code == 403
    response = reader.post(f"/notices/{item.pk}/share/", {"emails": "au@example.org", "action": "share"})
    assert response.status_code == 403
    # someone who cannot see it: 404
    outsider = signed_in(au_person)
    assert outsider.get(f"/notices/{item.pk}/share/").status_code == 404
    response = outsider.post(
        f"/notices/{item.pk}/share/", {"organizations": [organization("regional:AU").pk], "action": "share"}
    )
    assert response.status_code == 404
    assert not NoticeUserGrant.objects.exists()
    assert list(item.audience_organizations.all()) == [organization("state:KEN")]


def test_a_change_grant_does_not_allow_sharing(unodc_person, ken_person):
    item = notice(organization("entity:UNODC"))
    assign_perm("notices.change_notice", ken_person, item)
    client = signed_in(ken_person)
    assert client.get(f"/notices/{item.pk}/").status_code == 200
    assert client.get(f"/notices/{item.pk}/share/").status_code == 403
    response = client.post(f"/notices/{item.pk}/share/", {"emails": "au@example.org", "action": "share"})
    assert response.status_code == 403
