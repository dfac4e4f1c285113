"""The audit trail: row changes recorded by database triggers (django-pghistory) with who and where, the
security log of sign-ins and the like, both append-only in PostgreSQL itself, and the Secretariat's pages
that read them."""

from __future__ import annotations

import json
from datetime import timedelta

import pghistory.models
import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.test import Client
from django.utils import timezone

from core import audit
from core.models import SecurityEvent, SecurityEventKind
from directory.models import MembershipRole, Organization, User
from tests.conftest import enrol_totp, organization, totp_code
from tests.pages import main_words

PASSWORD = "a-long-test-password"  # what make_user gives everyone
OrganizationEvent = apps.get_model("directory", "OrganizationEvent")
UserEvent = apps.get_model("directory", "UserEvent")
APPEND_ONLY_REFUSAL = "pgtrigger: Cannot update or delete rows from"


# --- Fixtures and helpers ---------------------------------------------------------------------------------


def organization_form(org: Organization, **changes) -> dict:
    data = {
        "kind": org.kind,
        "compact_status": org.compact_status,
        "acronym": org.acronym,
        "name": org.name,
        "iso3": org.iso3,
        "region": org.region,
    }
    return {**data, **changes}


def edit_through_the_page(client, org: Organization, **changes):
    return client.post(f"/secretariat/organisations/{org.pk}/", organization_form(org, **changes))


def updates_of(org: Organization):
    return OrganizationEvent.objects.filter(pgh_obj=org, pgh_label="update").order_by("pgh_id")


def listed(response) -> list:
    return list(response.context["page"].object_list)


def count(response) -> int:
    return response.context["page"].paginator.count


def days_from_today(days: int) -> str:
    return (timezone.now().date() + timedelta(days=days)).isoformat()


# --- Row changes are recorded, with who and where ---------------------------------------------------------


def test_an_edit_through_the_page_is_recorded_with_the_user_and_url(secretariat_client, secretariat):
    # given UNODC's record, as the reference data left it
    unodc = organization("entity:UNODC")
    old_name = unodc.name
    assert not updates_of(unodc).exists()

    # when the Secretariat renames it through its page
    response = edit_through_the_page(secretariat_client, unodc, name="UN Office on Drugs and Crime (renamed)")

    # then one update is recorded, holding the new row
    assert response.status_code == 302
    event = updates_of(unodc).get()
    assert event.name == "UN Office on Drugs and Crime (renamed)"
    assert event.acronym == "UNODC"
    # attributed to the acting user and the page
    assert event.pgh_context.metadata == {
        "user": secretariat.pk,
        "url": f"/secretariat/organisations/{unodc.pk}/",
    }
    # and read back as a before/after difference
    change = pghistory.models.Events.objects.across("directory.OrganizationEvent").get(
        pgh_obj_id=str(unodc.pk), pgh_label="update"
    )
    assert change.pgh_diff["name"] == [old_name, "UN Office on Drugs and Crime (renamed)"]


def test_a_refused_edit_records_nothing(secretariat_client):
    # when an edit is refused by the form (a Compact entity has no ISO code)
    unodc = organization("entity:UNODC")
    response = edit_through_the_page(secretariat_client, unodc, name="Renamed", iso3="XYZ")

    # then nothing changed, and nothing is recorded
    assert response.status_code == 200
    assert response.context["form"].errors["iso3"]
    assert not updates_of(unodc).exists()
    unodc.refresh_from_db()
    assert unodc.name != "Renamed"


def test_bulk_updates_and_raw_sql_are_recorded_too(compact):
    # given three Member States
    states = list(Organization.objects.filter(reference_key__in=["state:KEN", "state:FRA", "state:BRA"]))
    assert len(states) == 3

    # when a script deactivates them in one bulk UPDATE, attributing it
    with pghistory.context(user=None, url="manage.py shell"):
        updated = Organization.objects.filter(pk__in=[s.pk for s in states]).update(is_active=False)

    # then each row's change is recorded, with the script's context
    assert updated == 3
    events = OrganizationEvent.objects.filter(pgh_obj__in=states, pgh_label="update")
    assert sorted(event.pgh_obj_id for event in events) == sorted(state.pk for state in states)
    assert all(event.is_active is False for event in events)
    assert {event.pgh_context.metadata["url"] for event in events} == {"manage.py shell"}

    # and so is a change made in SQL, past the ORM
    kenya = organization("state:KEN")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_organization SET name = %s WHERE id = %s", ["Kenya (SQL)", kenya.pk])
    assert updates_of(kenya).last().name == "Kenya (SQL)"


# --- The trail is append-only in the database -------------------------------------------------------------


@pytest.fixture
def recorded_rows(compact, make_user):
    """At least one row in each protected table."""
    user = make_user("someone@example.org", organization=organization("state:KEN"), mfa=False)
    User.objects.filter(pk=user.pk).update(full_name="Someone Renamed")
    audit.record(SecurityEventKind.SIGN_IN, user=user)
    Organization.objects.filter(reference_key="entity:UNODC").update(name="Changed once")


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("directory_organizationevent", "name"),
        ("directory_userevent", "full_name"),
        ("directory_membershipevent", "role"),
        ("core_securityevent", "kind"),
    ],
)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET {column} = 'tampered'", "DELETE FROM {table}"])
def test_the_database_refuses_to_change_or_delete_recorded_events(recorded_rows, table, column, statement):
    # given the rows recorded so far
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE {column} = 'tampered') FROM {table}")
        before = cursor.fetchone()
    assert before[0] > 0

    # when any SQL session tries to rewrite or remove them
    with (
        pytest.raises(ProgrammingError, match=f"{APPEND_ONLY_REFUSAL} {table} table"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(table=table, column=column))

    # then they are all still there, untouched
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE {column} = 'tampered') FROM {table}")
        assert cursor.fetchone() == before


def test_the_security_log_refuses_changes_through_the_orm_too(recorded_rows):
    event = SecurityEvent.objects.first()

    event.kind = SecurityEventKind.EXPORT
    with pytest.raises(ProgrammingError, match=APPEND_ONLY_REFUSAL), transaction.atomic():
        event.save()
    with pytest.raises(ProgrammingError, match=APPEND_ONLY_REFUSAL), transaction.atomic():
        SecurityEvent.objects.all().delete()
    with pytest.raises(ProgrammingError, match=APPEND_ONLY_REFUSAL), transaction.atomic():
        OrganizationEvent.objects.all().update(name="tampered")

    event.refresh_from_db()
    assert event.kind == SecurityEventKind.SIGN_IN
    assert not OrganizationEvent.objects.filter(name="tampered").exists()


# --- Security events --------------------------------------------------------------------------------------


def test_a_sign_in_is_recorded_once_the_second_factor_is_given(client, compact, make_user):
    user = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(user)

    # when the password is right, the person is not signed in yet: nothing recorded
    client.post("/accounts/login/", {"login": "fp@example.org", "password": PASSWORD})
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN).exists()

    # when the code is given too
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    # then the sign-in is recorded with the person, their address and the page
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN)
    assert event.user == user
    assert event.ip_address == "127.0.0.1"
    assert event.path == "/accounts/2fa/authenticate/"


@pytest.mark.parametrize("login", ["fp@example.org", "nobody@example.org"])
def test_a_failed_sign_in_is_recorded_with_the_attempted_login(client, compact, make_user, login):
    make_user("fp@example.org", organization=organization("entity:UNODC"))

    # when a wrong password is tried (for an account, or for an address without one)
    response = client.post("/accounts/login/", {"login": login, "password": "wrong-password"})

    # then the failure is recorded under the login typed, attributed to nobody
    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN_FAILED)
    assert event.login == login
    assert event.user is None
    assert event.ip_address == "127.0.0.1"
    assert event.path == "/accounts/login/"
    assert "wrong-password" not in json.dumps(event.detail)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN).exists()


def test_a_sign_out_is_recorded(client, focal_point):
    client.force_login(focal_point)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_OUT)
    assert event.user == focal_point
    assert event.path == "/accounts/logout/"


def test_password_hashes_never_reach_the_audit_trail(secretariat_client, compact, make_user):
    # the users' event table has no column for them (nor for the sign-in timestamp churn)
    columns = {field.name for field in UserEvent._meta.get_fields()}
    assert "password" not in columns
    assert "last_login" not in columns
    assert {"email", "full_name", "is_active"} <= columns

    # given a person, renamed (recorded), then given a new password
    user = make_user("fp@example.org", organization=organization("entity:UNODC"))
    user.full_name = "Renamed Person"
    user.save()
    recorded = UserEvent.objects.filter(pgh_obj=user).count()
    user.set_password("Another-long-password-9")
    user.save()

    # then the password change alone records no row change, and no hash is anywhere in the trail
    assert UserEvent.objects.filter(pgh_obj=user).count() == recorded
    assert UserEvent.objects.filter(pgh_obj=user, full_name="Renamed Person").exists()
    trail = json.dumps(
        list(
            pghistory.models.Events.objects.across("directory.UserEvent").values_list("pgh_data", flat=True)
        ),
        default=str,
    )
    assert "fp@example.org" in trail
    algorithm = user.password.split("$")[0] + "$"  # whichever hasher the settings use
    assert user.password not in trail
    assert algorithm not in trail
    page = secretariat_client.get("/secretariat/audit/changes/?kind=directory.UserEvent")
    assert "fp@example.org" in page.content.decode()
    assert algorithm not in page.content.decode()


# --- The Secretariat's audit pages ------------------------------------------------------------------------


@pytest.fixture
def renamed(secretariat_client):
    """UNODC renamed by the Secretariat through its page: one change attributed to them."""
    unodc = organization("entity:UNODC")
    edit_through_the_page(secretariat_client, unodc, name="Renamed for the audit")
    return unodc


def test_the_changes_page_lists_who_changed_what(secretariat_client, secretariat, renamed):
    response = secretariat_client.get("/secretariat/audit/changes/")

    # the newest changes come first: the rename is on the first page
    assert response.status_code == 200
    first_page = [(e.pgh_model, e.pgh_obj_id, e.pgh_label) for e in listed(response)]
    assert ("directory.OrganizationEvent", str(renamed.pk), "update") in first_page
    assert count(response) > len(first_page)
    text = main_words(response)
    assert f"Organisation #{renamed.pk} changed" in text
    assert f"by {secretariat.full_name} /secretariat/organisations/{renamed.pk}/" in text
    assert "Full name : United Nations Office on Drugs and Crime → Renamed for the audit" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 1),
        ("&kind=directory.OrganizationEvent", 1),
        ("&kind=directory.MembershipEvent", 0),
        ("&since={today}&until={today}", 1),
        ("&since={tomorrow}", 0),
        ("&until={yesterday}", 0),
    ],
)
def test_the_changes_page_filters_by_model_user_and_day(
    secretariat_client, secretariat, renamed, query, expected
):
    # when the Secretariat filters its own changes
    url = f"/secretariat/audit/changes/?person={secretariat.email}" + query.format(
        today=days_from_today(0), tomorrow=days_from_today(1), yesterday=days_from_today(-1)
    )
    response = secretariat_client.get(url)

    # then only the matching ones are listed
    assert response.status_code == 200
    assert count(response) == expected
    assert all(event.pgh_context["user"] == secretariat.pk for event in listed(response))


def test_the_changes_page_ignores_malformed_filters(secretariat_client, renamed, focal_point):
    everything = count(secretariat_client.get("/secretariat/audit/changes/"))
    assert everything > 1
    for query in (
        "kind=auth.Nope&since=2024-13-45&until=yesterday&person=abc&page=x",
        "kind=<script>&since=&until=31/12/2024&person=%00",
        "since=0000-00-00&page=999999",
        "person=" + "9" * 300,
        "since=%C2%B2&until=9999-12-31",
    ):
        # then the filters not understood are dropped, with a message, and the page lists everything
        response = secretariat_client.get(f"/secretariat/audit/changes/?{query}")
        assert response.status_code == 200, query
        assert count(response) == everything, query
    # an address nobody has lists nothing (never an error)
    assert count(secretariat_client.get("/secretariat/audit/changes/?person=nobody@example.org")) == 0


@pytest.fixture
def security_events(client, compact, make_user):
    """A failed sign-in for an unknown address and a successful one for a focal point."""
    user = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(user)
    client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong-password"})
    client.post("/accounts/login/", {"login": "fp@example.org", "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    return user


def test_the_security_page_lists_events_newest_first(secretariat_client, security_events):
    response = secretariat_client.get("/secretariat/audit/security/")

    assert response.status_code == 200
    kinds = [event.kind for event in listed(response)]
    assert kinds[:2] == [SecurityEventKind.SIGN_IN, SecurityEventKind.SIGN_IN_FAILED]
    text = main_words(response)
    assert "Failed sign-in" in text
    assert "nobody@example.org" in text
    assert "fp@example.org" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=sign_in_failed", [("sign_in_failed", "nobody@example.org")]),
        ("login=NOBODY@example.org", [("sign_in_failed", "nobody@example.org")]),
        ("login=fp@example.org", [("sign_in", "fp@example.org")]),
        ("kind=sign_in&login=nobody@example.org", []),
        ("kind=sign_in_failed&since={today}&until={today}", [("sign_in_failed", "nobody@example.org")]),
        ("kind=sign_in_failed&since={tomorrow}", []),
        ("kind=sign_in_failed&until={yesterday}", []),
    ],
)
def test_the_security_page_filters_by_kind_login_and_day(
    secretariat_client, security_events, query, expected
):
    url = "/secretariat/audit/security/?" + query.format(
        today=days_from_today(0), tomorrow=days_from_today(1), yesterday=days_from_today(-1)
    )
    response = secretariat_client.get(url)

    assert response.status_code == 200
    assert [(e.kind, e.user.email if e.user else e.login) for e in listed(response)] == expected


def test_the_security_page_ignores_malformed_filters(secretariat_client, security_events):
    everything = count(secretariat_client.get("/secretariat/audit/security/"))
    assert everything >= 2
    for query in (
        "kind=bogus&since=2024-02-30&until=tomorrow&page=x",
        "kind=&login=&since=31/12/2024",
        "kind=%3Cscript%3E&page=-3",
    ):
        response = secretariat_client.get(f"/secretariat/audit/security/?{query}")
        assert response.status_code == 200, query
        assert count(response) == everything, query
    # an overlong or NUL-carrying login is not understood either: dropped, with a message
    for login in ("x" * 5000, "a%00b"):
        response = secretariat_client.get(f"/secretariat/audit/security/?login={login}")
        assert response.status_code == 200
        assert count(response) == everything
        assert "Some filters were not understood" in main_words(response)


@pytest.mark.parametrize("path", ["/secretariat/audit/changes/", "/secretariat/audit/security/"])
def test_only_the_secretariat_reads_the_audit_trail(client, focal_point, compact, make_user, path):
    # a focal point, and even an organisation admin, is refused
    client.force_login(focal_point)
    response = client.get(path)
    assert response.status_code == 403
    assert "You are not allowed to do this" in response.content.decode()
    admin = make_user(
        "admin@example.org", organization=organization("entity:UNDP"), role=MembershipRole.ORGANIZATION_ADMIN
    )
    admin_client = Client()
    admin_client.force_login(admin)
    assert admin_client.get(path).status_code == 403
    # an anonymous visitor is sent to sign in
    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(f"/accounts/login/?next={path}")


def test_links_without_a_model_of_their_own_are_audited_too(compact, make_user, secretariat):
    # given the tables Django creates for many-to-many fields: a notice's audience organisations, and the
    # membership of groups (the Secretariat's group above all)
    from directory.models import UserGroupEvent
    from notices.models import NoticeAudienceOrganizationEvent
    from tests.conftest import notice

    item = notice(organization("entity:UNODC"))
    # when an organisation is added to the audience, and a person to the Secretariat's group
    item.audience_organizations.add(organization("state:KEN"))
    person = make_user("new@example.org", organization=organization("entity:UNOCT"))
    person.groups.add(*secretariat.groups.all())
    # then both links are in the trail
    assert NoticeAudienceOrganizationEvent.objects.filter(
        notice_id=item.pk, organization=organization("state:KEN"), pgh_label="insert"
    ).exists()
    assert UserGroupEvent.objects.filter(user=person, pgh_label="insert").exists()


def test_the_audit_pages_keep_the_signed_in_person_in_the_header(secretariat_client, secretariat):
    # the page's own "person" filter must never stand in for the signed-in user in the template
    for url in (
        "/secretariat/audit/changes/?person=someone@example.org",
        "/secretariat/audit/security/?login=x",
    ):
        header = secretariat_client.get(url).content.decode().split("<main")[0]
        assert secretariat.get_short_name() in header
        assert "Sign in" not in header
