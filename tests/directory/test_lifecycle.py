"""Keeping the directory current: the yearly reconfirmation reminder (sent once per cycle), stale flags, the
reconfirmation page, and handing a leaver's roles over to a successor without losing history."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.postgres.search import SearchQuery
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from core.models import SecurityEvent, SecurityEventKind
from directory import lifecycle
from directory.models import Membership, MembershipRole, Organization, Profile, User
from directory.people import refresh_search_index
from directory.tasks import request_reconfirmations as reconfirmation_task
from tests.conftest import enrol_totp, organization, signed_in, totp_code
from tests.pages import messages

YEAR = timedelta(days=365)


# --- Fixtures and helpers ---------------------------------------------------------------------------------


def confirmed(user: User, ago: timedelta, *, asked_ago: timedelta | None = None) -> Profile:
    """Give ``user`` a profile last confirmed ``ago`` (and asked ``asked_ago``, if given)."""
    now = timezone.now()
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={
            "reconfirmed_at": now - ago,
            "reconfirmation_requested_at": None if asked_ago is None else now - asked_ago,
        },
    )
    return profile


def run_reminders(capture, **kwargs) -> tuple[int, list]:
    """Run the reminder job with its after-commit emails; returns (people asked, emails sent by this run)."""
    before = len(mail.outbox)
    with capture(execute=True):
        asked = lifecycle.request_reconfirmations(**kwargs)
    return asked, mail.outbox[before:]


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def form_errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


@pytest.fixture
def undp(compact) -> Organization:
    return organization("entity:UNDP")


@pytest.fixture
def leaver(undp, make_user):
    """A UNDP focal point who also holds UNDP's alternate role: two roles to hand over."""
    user = make_user("leaver@example.org", organization=undp, full_name="Leila Leaver", mfa=False)
    user.totp_secret = enrol_totp(user)
    Membership.objects.create(user=user, organization=undp, role=MembershipRole.ALTERNATE)
    return user


@pytest.fixture
def successor(undp, make_user):
    return make_user("successor@example.org", organization=undp, full_name="Samuel Successor")


def sign_in(client, user) -> None:
    """The real sign-in (password, then the TOTP code), which records the session like a browser's."""
    response = client.post("/accounts/login/", {"login": user.email, "password": "a-long-test-password"})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(user.totp_secret)})
    assert response.status_code == 302


def current_roles(user, org) -> list[str]:
    return sorted(
        Membership.objects.filter(user=user, organization=org, ended_at__isnull=True).values_list(
            "role", flat=True
        )
    )


# --- The reconfirmation reminder --------------------------------------------------------------------------


def test_the_reminder_is_sent_once_however_often_the_job_runs(
    focal_point, django_capture_on_commit_callbacks
):
    # given a focal point whose details were confirmed more than a year ago
    confirmed(focal_point, YEAR + timedelta(days=1))

    # when the job runs, and runs again (beat runs it every six hours)
    first, first_mail = run_reminders(django_capture_on_commit_callbacks, base_url="https://compact.example/")
    second, second_mail = run_reminders(
        django_capture_on_commit_callbacks, base_url="https://compact.example/"
    )

    # then one email went out, with the link to the reconfirmation page, and the second run sent nothing
    assert (first, second) == (1, 0)
    assert recipients(first_mail) == [focal_point.email]
    assert second_mail == []
    assert "https://compact.example/people/me/reconfirm/" in first_mail[0].body
    assert "confirm your details" in first_mail[0].subject
    # and the request is recorded on the profile
    assert Profile.objects.get(user=focal_point).reconfirmation_requested_at is not None


def test_the_scheduled_task_runs_the_service_with_the_platform_address(
    focal_point, settings, django_capture_on_commit_callbacks
):
    # given a focal point due for reconfirmation and the platform's public address configured
    settings.PLATFORM_URL = "https://compact.example"
    confirmed(focal_point, 2 * YEAR)

    # when beat's task runs
    with django_capture_on_commit_callbacks(execute=True):
        asked = reconfirmation_task.apply().get()

    # then the person is asked, with an absolute link
    assert asked == 1
    assert "https://compact.example/people/me/reconfirm/" in mail.outbox[-1].body


def test_a_reconfirmed_person_is_asked_again_only_after_the_next_cycle(
    focal_point, django_capture_on_commit_callbacks
):
    # given a focal point who was asked and then reconfirmed
    confirmed(focal_point, 2 * YEAR)
    assert run_reminders(django_capture_on_commit_callbacks)[0] == 1
    now = timezone.now()
    profile = lifecycle.reconfirm(user=focal_point, now=now)
    assert profile.reconfirmation_requested_at is None

    # when the job runs during the following year, then at the end of the cycle
    during = run_reminders(django_capture_on_commit_callbacks, now=now + YEAR - timedelta(days=1))
    after = run_reminders(django_capture_on_commit_callbacks, now=now + YEAR + timedelta(hours=6))

    # then they are not asked during the year, and asked once when the cycle is over
    assert during == (0, [])
    assert after[0] == 1
    assert recipients(after[1]) == [focal_point.email]


def test_only_current_focal_points_and_alternates_of_active_organisations_are_asked(
    compact, make_user, django_capture_on_commit_callbacks
):
    # given people of every kind, all confirmed two years ago
    undp, unodc = organization("entity:UNDP"), organization("entity:UNODC")
    asked = [
        make_user("fp@example.org", organization=undp),
        make_user("alternate@example.org", organization=unodc, role=MembershipRole.ALTERNATE),
    ]
    admin_only = make_user("admin@example.org", organization=undp, role=MembershipRole.ORGANIZATION_ADMIN)
    inactive = make_user("inactive@example.org", organization=undp, is_active=False)
    former = make_user("former@example.org", organization=unodc)
    Membership.objects.filter(user=former).update(ended_at=timezone.now())
    no_role = make_user("nobody@example.org")
    closed = Organization.objects.create(kind="other", name="A closed partner", is_active=False)
    of_closed = make_user("closed@example.org", organization=closed)
    recent = make_user("recent@example.org", organization=undp)
    for person in [*asked, admin_only, inactive, former, no_role, of_closed]:
        confirmed(person, 2 * YEAR)
    confirmed(recent, YEAR - timedelta(days=1))

    # when the job runs
    count, sent = run_reminders(django_capture_on_commit_callbacks)

    # then exactly the current focal point and alternate are asked, one email each
    assert count == 2
    assert recipients(sent) == sorted(person.email for person in asked)
    assert Profile.objects.filter(reconfirmation_requested_at__isnull=False).count() == 2


def test_a_focal_point_with_two_roles_gets_one_email(compact, make_user, django_capture_on_commit_callbacks):
    # given a person who is focal point of one organisation and alternate of another
    person = make_user("two@example.org", organization=organization("entity:UNDP"))
    Membership.objects.create(
        user=person, organization=organization("entity:UNODC"), role=MembershipRole.ALTERNATE
    )
    confirmed(person, 2 * YEAR)

    # when the job runs
    count, sent = run_reminders(django_capture_on_commit_callbacks)

    # then one email is sent
    assert count == 1
    assert recipients(sent) == [person.email]


def test_people_without_a_profile_count_from_when_they_joined(
    compact, make_user, django_capture_on_commit_callbacks
):
    # given two focal points without a profile: one joined two years ago, one yesterday
    old = make_user(
        "old@example.org", organization=organization("entity:UNDP"), date_joined=timezone.now() - 2 * YEAR
    )
    new = make_user(
        "new@example.org",
        organization=organization("entity:UNDP"),
        date_joined=timezone.now() - timedelta(days=1),
    )
    Profile.objects.filter(user__in=[old, new]).delete()

    # when the job runs
    count, sent = run_reminders(django_capture_on_commit_callbacks)

    # then both get a profile confirmed when they joined, and only the one who joined long ago is asked
    assert count == 1
    assert recipients(sent) == [old.email]
    assert Profile.objects.get(user=old).reconfirmed_at == User.objects.get(pk=old.pk).date_joined
    assert Profile.objects.get(user=new).reconfirmation_requested_at is None


def test_an_unanswered_reminder_is_repeated_once_per_cycle_not_more(
    focal_point, django_capture_on_commit_callbacks
):
    # given a focal point asked a month ago, who never answered
    confirmed(focal_point, 2 * YEAR, asked_ago=timedelta(days=30))

    # when the job runs now, and again a cycle after the reminder
    now_run = run_reminders(django_capture_on_commit_callbacks)
    later = timezone.now() + YEAR
    later_run = run_reminders(django_capture_on_commit_callbacks, now=later)
    again = run_reminders(django_capture_on_commit_callbacks, now=later + timedelta(hours=6))

    # then they are not asked twice in a cycle, but reminded once in the next one
    assert now_run == (0, [])
    assert later_run[0] == 1
    assert again == (0, [])


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_run_skips_the_people_another_run_is_asking(make_user):
    # given a focal point due for reconfirmation, whose profile another run has locked
    partner = Organization.objects.create(kind="other", name="A partner")
    person = make_user("fp@example.org", organization=partner)
    confirmed(person, 2 * YEAR)
    locked, release = threading.Event(), threading.Event()

    def other_run():
        try:
            with transaction.atomic():
                list(Profile.objects.select_for_update().filter(user=person))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=other_run)
    other.start()
    assert locked.wait(10)

    # when this run starts meanwhile
    try:
        during = lifecycle.request_reconfirmations()
    finally:
        release.set()
        other.join()

    # then it neither waits nor asks that person; the next run does, once
    assert during == 0
    assert mail.outbox == []
    assert lifecycle.request_reconfirmations() == 1
    assert lifecycle.request_reconfirmations() == 0
    assert recipients(mail.outbox) == [person.email]


def test_reconfirming_clears_the_request_and_starts_a_new_cycle(focal_point):
    # given a focal point who was asked to reconfirm
    confirmed(focal_point, 2 * YEAR, asked_ago=timedelta(days=3))

    # when they confirm their details
    before = timezone.now()
    profile = lifecycle.reconfirm(user=focal_point)

    # then the request is cleared and the confirmation dated now
    profile.refresh_from_db()
    assert profile.reconfirmation_requested_at is None
    assert profile.reconfirmed_at >= before


def test_reconfirming_without_a_profile_creates_one(focal_point):
    Profile.objects.filter(user=focal_point).delete()
    profile = lifecycle.reconfirm(user=focal_point)
    assert Profile.objects.get(user=focal_point).reconfirmed_at == profile.reconfirmed_at


# --- Stale profiles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("confirmed_days_ago", "signed_in_days_ago", "stale"),
    [
        (600, 600, True),  # neither reconfirmed nor used
        (600, None, True),  # never signed in counts as never used
        (100, 600, False),  # reconfirmed recently
        (600, 10, False),  # used recently
        (100, None, False),
    ],
)
def test_a_profile_is_stale_when_neither_reconfirmed_nor_used(
    compact, make_user, settings, confirmed_days_ago, signed_in_days_ago, stale
):
    # given the default period (548 days) and a person last confirmed and signed in that long ago
    assert settings.STALE_AFTER_DAYS == 548
    person = make_user("person@example.org", organization=organization("entity:UNDP"))
    confirmed(person, timedelta(days=confirmed_days_ago))
    last_login = None if signed_in_days_ago is None else timezone.now() - timedelta(days=signed_in_days_ago)
    User.objects.filter(pk=person.pk).update(last_login=last_login)

    # when the directory's query is annotated
    row = lifecycle.annotate_stale(User.objects.filter(pk=person.pk)).get()

    # then the flag follows both dates
    assert row.is_stale is stale


def test_the_stale_period_is_configurable_and_a_missing_profile_counts_from_joining(
    compact, make_user, settings
):
    # given a shorter period, a person without a profile who joined 40 days ago and never signed in
    settings.STALE_AFTER_DAYS = 30
    person = make_user("person@example.org", date_joined=timezone.now() - timedelta(days=40))
    Profile.objects.filter(user=person).delete()

    # then they are stale, and are not any more once they sign in
    assert lifecycle.annotate_stale(User.objects.filter(pk=person.pk)).get().is_stale is True
    User.objects.filter(pk=person.pk).update(last_login=timezone.now())
    assert lifecycle.annotate_stale(User.objects.filter(pk=person.pk)).get().is_stale is False


# --- The reconfirmation page ------------------------------------------------------------------------------


def test_the_reconfirmation_page_shows_the_persons_details_and_confirms_them(client, focal_point):
    # given a focal point who was asked to reconfirm, signed in
    profile = confirmed(focal_point, 2 * YEAR, asked_ago=timedelta(days=1))
    Profile.objects.filter(pk=profile.pk).update(job_title="Programme officer")
    client.force_login(focal_point)

    # when they open the page from the email
    page = client.get("/people/me/reconfirm/")

    # then it shows their details, a link to correct them and the confirmation button
    assert page.status_code == 200
    html = page.content.decode()
    assert focal_point.email in html
    assert "Programme officer" in html
    assert f'href="/people/{focal_point.pk}/edit/"' in html
    assert "My details are correct" in html

    # when they confirm
    response = client.post("/people/me/reconfirm/")

    # then they are sent to their profile with a thank-you, and the request is cleared
    assert response.status_code == 302
    assert response["Location"] == f"/people/{focal_point.pk}/"
    profile.refresh_from_db()
    assert profile.reconfirmation_requested_at is None
    assert profile.reconfirmed_at > timezone.now() - timedelta(minutes=1)
    assert "Thank you: your details are confirmed as current." in messages(
        client.get("/people/me/reconfirm/")
    )


def test_the_reconfirmation_page_requires_sign_in(client, db):
    for response in (client.get("/people/me/reconfirm/"), client.post("/people/me/reconfirm/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# --- Handover ---------------------------------------------------------------------------------------------


def handover_data(leaving, taking_over, /, **overrides) -> dict:
    """The handover form's fields; ``overrides`` replaces any of them with raw values."""
    return {"leaver": leaving.pk, "successor": taking_over.pk, "confirm": "on", **overrides}


@pytest.mark.parametrize("who", ["undp_admin", "secretariat"])
def test_a_handover_moves_the_roles_keeps_history_and_signs_the_leaver_out(
    request, undp, leaver, successor, who
):
    # given a leaver with two roles, signed in on their own browser, and a successor already focal point
    confirmed(leaver, timedelta(days=1))
    confirmed(successor, timedelta(days=1))
    refresh_search_index([leaver.pk, successor.pk])
    by = signed_in(request.getfixturevalue(who))
    leaver_browser = Client()
    sign_in(leaver_browser, leaver)
    assert leaver_browser.get("/home/").status_code == 200
    session_key = leaver_browser.session.session_key
    assert UserSession.objects.filter(user=leaver).exists()
    old_roles = list(Membership.objects.filter(user=leaver, organization=undp))

    # when an admin of the organisation (or the Secretariat) hands over
    response = by.post(f"/organisations/{undp.pk}/handover/", handover_data(leaver, successor))

    # then they are sent to the organisation's people with a summary
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{undp.pk}/members/"
    texts = messages(by.get(response["Location"]))
    assert any("Samuel Successor now holds the roles of Leila Leaver" in text for text in texts)
    # the successor holds both roles, the one they already had only once
    assert current_roles(successor, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]
    # the leaver's memberships are ended, not deleted
    for membership in old_roles:
        membership.refresh_from_db()
        assert membership.ended_at is not None
    assert current_roles(leaver, undp) == []
    # the leaver is deactivated and signed out at once
    leaver.refresh_from_db()
    assert leaver.is_active is False
    assert not Session.objects.filter(session_key=session_key).exists()
    assert leaver_browser.get("/home/")["Location"].startswith("/accounts/login/")
    assert SecurityEvent.objects.get(kind=SecurityEventKind.SESSIONS_ENDED, user=leaver).detail == {
        "reason": "handover",
        "count": 1,
    }
    # and the search index no longer finds the leaver under the organisation
    undp_query = SearchQuery("undp", config="simple")
    assert not Profile.objects.filter(user=leaver, search_vector=undp_query).exists()
    assert Profile.objects.filter(user=successor, search_vector=undp_query).exists()


def test_a_handover_to_someone_of_another_organisation_is_an_invalid_choice(
    undp, undp_admin, leaver, make_user
):
    # given a person of another organisation
    outsider = make_user("unodc@example.org", organization=organization("entity:UNODC"), full_name="Otto")
    client = signed_in(undp_admin)

    # when the UNDP admin tries to hand over to them (a crafted form: the list does not offer them)
    page = client.post(f"/organisations/{undp.pk}/handover/", handover_data(leaver, outsider))

    # then it is the same "not one of the choices" as an id that does not exist: the form says nothing of
    # the person, and nothing changed
    unknown = client.post(
        f"/organisations/{undp.pk}/handover/", handover_data(leaver, leaver, successor="999999")
    )
    assert page.status_code == unknown.status_code == 200
    assert form_errors(page)["successor"] == form_errors(unknown)["successor"]
    assert "Otto" not in page.content.decode()
    assert current_roles(leaver, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]
    assert current_roles(outsider, undp) == []
    leaver.refresh_from_db()
    assert leaver.is_active is True


def test_the_service_refuses_the_same_cases(undp, secretariat, leaver, successor, make_user):
    outsider = make_user("unodc@example.org", organization=organization("entity:UNODC"))
    with pytest.raises(ValidationError, match="is not a member of UNDP: invite them first"):
        lifecycle.handover(by=secretariat, organization=undp, leaver=leaver, successor=outsider)
    with pytest.raises(ValidationError, match="someone other than the person leaving"):
        lifecycle.handover(by=secretariat, organization=undp, leaver=leaver, successor=leaver)
    with pytest.raises(ValidationError, match="holds no current role in UNDP"):
        lifecycle.handover(by=secretariat, organization=undp, leaver=outsider, successor=successor)
    with pytest.raises(PermissionDenied):
        lifecycle.handover(by=successor, organization=undp, leaver=leaver, successor=successor)
    assert current_roles(leaver, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]


def test_a_handover_to_the_leaver_themselves_is_refused(undp, undp_admin, leaver):
    client = signed_in(undp_admin)
    page = client.post(f"/organisations/{undp.pk}/handover/", handover_data(leaver, leaver))
    assert page.status_code == 200
    assert form_errors(page)["successor"] == ["The successor must be someone other than the person leaving."]
    leaver.refresh_from_db()
    assert leaver.is_active is True


def test_a_handover_to_a_deactivated_colleague_is_not_offered(undp, undp_admin, leaver, successor):
    User.objects.filter(pk=successor.pk).update(is_active=False)
    client = signed_in(undp_admin)
    form = client.get(f"/organisations/{undp.pk}/handover/")
    assert (
        f'value="{successor.pk}"'
        not in form.content.decode().split('name="successor"')[1].split("</select>")[0]
    )
    page = client.post(f"/organisations/{undp.pk}/handover/", handover_data(leaver, successor))
    assert page.status_code == 200
    assert "successor" in form_errors(page)
    assert current_roles(leaver, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"leaver": "not-a-number"}, "leaver"),
        ({"successor": "999999999"}, "successor"),
        ({"successor": ""}, "successor"),
        ({"leaver": "1 OR 1=1"}, "leaver"),
        ({"confirm": ""}, "confirm"),
    ],
)
def test_bad_input_gives_form_errors_not_a_server_error(
    undp, undp_admin, leaver, successor, overrides, field
):
    page = signed_in(undp_admin).post(
        f"/organisations/{undp.pk}/handover/", handover_data(leaver, successor, **overrides)
    )
    assert page.status_code == 200
    assert field in form_errors(page)
    assert current_roles(leaver, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]


def test_an_organisation_admin_cannot_hand_over_an_admins_role(undp, undp_admin, successor, make_user):
    # given a second UNDP admin (only the Secretariat grants that role)
    other_admin = make_user("admin2@example.org", organization=undp, role=MembershipRole.ORGANIZATION_ADMIN)

    # when one admin hands the other's role over
    page = signed_in(undp_admin).post(
        f"/organisations/{undp.pk}/handover/", handover_data(other_admin, successor)
    )

    # then it is refused with the reason
    assert form_errors(page)["leaver"] == [
        "Only the Secretariat can hand over the role of an organisation admin."
    ]
    assert current_roles(other_admin, undp) == [MembershipRole.ORGANIZATION_ADMIN]


def test_an_admin_cannot_hand_over_their_own_roles(undp, undp_admin, successor):
    page = signed_in(undp_admin).post(
        f"/organisations/{undp.pk}/handover/", handover_data(undp_admin, successor)
    )
    assert "You cannot hand over your own roles" in form_errors(page)["leaver"][0]
    undp_admin.refresh_from_db()
    assert undp_admin.is_active


def test_a_leaver_who_still_represents_another_organisation_keeps_their_account(
    undp, undp_admin, leaver, successor
):
    # given the leaver is also UNODC's focal point
    Membership.objects.create(user=leaver, organization=organization("entity:UNODC"), role="focal_point")

    # when UNDP hands their roles over
    response = signed_in(undp_admin).post(
        f"/organisations/{undp.pk}/handover/", handover_data(leaver, successor)
    )

    # then UNDP's roles move, but UNDP's admin cannot lock them out of UNODC
    assert response.status_code == 302
    assert current_roles(successor, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]
    leaver.refresh_from_db()
    assert leaver.is_active is True
    assert current_roles(leaver, organization("entity:UNODC")) == [MembershipRole.FOCAL_POINT]


def test_the_handover_page_offers_only_the_organisations_current_people(
    undp, undp_admin, leaver, successor, make_user
):
    outsider = make_user("unodc@example.org", organization=organization("entity:UNODC"))
    page = signed_in(undp_admin).get(f"/organisations/{undp.pk}/handover/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="id_leaver"' in html
    assert 'for="id_successor"' in html
    assert leaver.email in html
    assert successor.email in html
    assert outsider.email not in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("focal_point_same_organisation", 403),
        ("admin_of_another_organisation", 403),
        ("undp_admin", 200),
        ("secretariat", 200),
    ],
)
def test_who_may_open_the_handover_page(request, undp, leaver, successor, make_user, who, status):
    # given someone in each role
    client = Client()
    if who == "focal_point_same_organisation":
        client.force_login(successor)
    elif who == "admin_of_another_organisation":
        other = make_user(
            "admin.unodc@example.org",
            organization=organization("entity:UNODC"),
            role=MembershipRole.ORGANIZATION_ADMIN,
        )
        client.force_login(other)
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = f"/organisations/{undp.pk}/handover/"

    # when they open the page and submit a handover
    page = client.get(url)
    response = client.post(url, handover_data(leaver, successor))

    # then only the organisation's admins and the Secretariat may; nobody else changes anything
    assert page.status_code == status
    if status == 302:
        assert page["Location"].startswith("/accounts/login/")
    if status != 200:
        assert response.status_code == status
        assert current_roles(leaver, undp) == [MembershipRole.ALTERNATE, MembershipRole.FOCAL_POINT]


def test_the_handover_page_of_an_unknown_organisation_is_not_found(secretariat_client):
    assert secretariat_client.get("/organisations/999999/handover/").status_code == 404
