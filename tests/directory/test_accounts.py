"""Getting and keeping an account, as people notice it: access requests, the Secretariat's queue,
invitations, who may invite whom, mandatory MFA, brute-force lockout and session lifetime."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from core.models import SecurityEvent, SecurityEventKind
from directory import services
from directory.models import (
    AccessRequest,
    AccessRequestStatus,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRole,
    User,
)
from tests.conftest import enrol_totp, organization, totp_code
from tests.pages import field_error, main_words, messages

PASSWORD = "a-long-test-password"  # what make_user gives everyone
NEW_PASSWORD = "Quiet-harbour-lantern-47"
INVITATION_LINK = re.compile(r"http://testserver(/invitations/([A-Za-z0-9_-]+)/)")


# --- Fixtures and helpers ---------------------------------------------------------------------------------


def access_request_data(**overrides) -> dict:
    return {
        "full_name": "Grace Njeri",
        "email": "grace@example.org",
        "organization_name": "UNODC",
        "job_title": "Programme officer",
        "justification": "I coordinate our border-management projects with WG 2.",
        **overrides,
    }


def is_signed_in(client, user=None) -> bool:
    user_id = client.session.get("_auth_user_id")
    return user_id is not None and (user is None or str(user.pk) == user_id)


def invitation_link(message) -> tuple[str, str]:
    """The path and token of the invitation link in an email."""
    match = INVITATION_LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def invite(by, email: str, *, org_key: str = "state:KEN", role=MembershipRole.FOCAL_POINT, capture):
    """Send an invitation through the service; returns (path of the link, invitation)."""
    with capture(execute=True):
        invitation = services.invite(
            by=by,
            email=email,
            organization=organization(org_key),
            role=role,
            base_url="http://testserver/",
        )
    path, _token = invitation_link(mail.outbox[-1])
    return path, invitation


def sign_in(client, email: str, secret: str, **extra):
    """The real sign-in: password, then allauth's MFA stage with the current TOTP code."""
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD}, **extra)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, **extra)
    assert response.status_code == 302
    return response


def without_tokens(response, *values: str) -> str:
    """The page with its CSRF tokens (random per response) and the given echoed values blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    for value in values:
        html = html.replace(value, "<typed>")
    return html


# --- Access requests --------------------------------------------------------------------------------------


def test_access_request_is_stored_pending_and_the_secretariat_is_told(
    client, db, django_capture_on_commit_callbacks
):
    # given an anonymous visitor on the form
    assert client.get("/access/request/").status_code == 200

    # when they send a request (email typed with capitals and spaces)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/access/request/", access_request_data(email=" Grace@Example.org "))

    # then they land on the confirmation page
    assert response.status_code == 302
    assert response["Location"] == "/access/request/sent/"
    assert "your request was received" in client.get(response["Location"]).content.decode()
    # the request waits for the Secretariat, email normalised
    request = AccessRequest.objects.get()
    assert request.status == AccessRequestStatus.PENDING
    assert request.email == "grace@example.org"
    assert request.decided_by is None
    # and the Secretariat is told, after commit
    assert [m.to for m in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]
    assert "Grace Njeri" in mail.outbox[0].subject
    assert "grace@example.org" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "grace@"}, "email"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"organization_name": "o" * 256}, "organization_name"),
        ({"job_title": "t" * 201}, "job_title"),
        ({"justification": "j" * 2001}, "justification"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_access_request_with_bad_input_shows_field_errors_and_stores_nothing(
    client, db, django_capture_on_commit_callbacks, overrides, field
):
    # when the visitor sends a malformed or overlong value
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/access/request/", access_request_data(**overrides))

    # then the form comes back with the error on that field, and nothing is stored or sent
    assert response.status_code == 200
    assert field_error(response, field)
    assert list(response.context["form"].errors) == [field]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


def without_csrf_token(response) -> str:
    """The page, its forms' CSRF tokens aside (masked differently on every page: the language switcher)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_access_request_does_not_reveal_whether_the_email_has_an_account(
    client, make_user, django_capture_on_commit_callbacks
):
    # given an account for one address and none for another
    make_user("known@example.org")

    # when a request is sent for each
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/access/request/", access_request_data(email="known@example.org"))
        unknown = client.post("/access/request/", access_request_data(email="unknown@example.org"))

    # then both answers are the same, and so is what follows (one note to the Secretariat each)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf_token(client.get(known["Location"])) == without_csrf_token(
        client.get(unknown["Location"])
    )
    assert AccessRequest.objects.count() == 2
    assert [m.to for m in mail.outbox] == [[settings.SECRETARIAT_EMAIL]] * 2


def test_access_requests_are_rate_limited_per_network(client, db, django_capture_on_commit_callbacks):
    # given five requests sent within the hour from one address (the limit is 5/h/ip)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            response = client.post("/access/request/", access_request_data(email=f"p{number}@example.org"))
            assert response.status_code == 302

    # when a sixth comes from the same address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/access/request/", access_request_data(email="sixth@example.org"))

    # then it is refused with a clear message, and neither stored nor sent
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Too many requests from your network. Please try again in an hour."
    ]
    assert "Too many requests from your network" in " ".join(messages(response))
    assert not AccessRequest.objects.filter(email="sixth@example.org").exists()
    assert AccessRequest.objects.count() == 5
    assert len(mail.outbox) == 5

    # while another network is still served
    other = client.post(
        "/access/request/", access_request_data(email="other@example.org"), REMOTE_ADDR="203.0.113.7"
    )
    assert other.status_code == 302
    assert AccessRequest.objects.filter(email="other@example.org").exists()


def test_signed_in_people_are_sent_home_from_the_access_request_form(client, focal_point):
    client.force_login(focal_point)
    response = client.post("/access/request/", access_request_data())
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert not AccessRequest.objects.exists()


# --- The Secretariat's queue ------------------------------------------------------------------------------


@pytest.fixture
def pending_request(db):
    return AccessRequest.objects.create(**access_request_data())


def test_the_queue_lists_pending_requests_only(secretariat_client, pending_request):
    # given a request already decided next to a pending one
    AccessRequest.objects.create(
        **access_request_data(full_name="Decided Person", email="decided@example.org"),
        status=AccessRequestStatus.APPROVED,
    )

    # when the Secretariat opens the queue
    response = secretariat_client.get("/secretariat/access-requests/")

    # then only the pending one is listed, with a link to decide it
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/secretariat/access-requests/{pending_request.pk}/"' in html
    assert "Grace Njeri" in html
    assert "Decided Person" not in html
    # the approved ones are one filter away
    approved = secretariat_client.get("/secretariat/access-requests/?status=approved").content.decode()
    assert "Decided Person" in approved
    assert "Grace Njeri" not in approved


def test_approving_sends_an_invitation_with_the_chosen_organisation_and_role(
    client, secretariat_client, secretariat, pending_request, django_capture_on_commit_callbacks
):
    # given the request page, which suggests the organisation the person named
    unodc = organization("entity:UNODC")
    page = secretariat_client.get(f"/secretariat/access-requests/{pending_request.pk}/")
    assert page.context["approve"].initial["organization"] == unodc.pk

    # when the Secretariat approves with an organisation and a role
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            f"/secretariat/access-requests/{pending_request.pk}/",
            {"action": "approve", "approve-organization": unodc.pk, "approve-role": MembershipRole.ALTERNATE},
        )

    # then the request is approved and recorded as decided by them
    assert response.status_code == 302
    assert response["Location"] == "/secretariat/access-requests/"
    pending_request.refresh_from_db()
    assert pending_request.status == AccessRequestStatus.APPROVED
    assert pending_request.decided_by == secretariat
    assert pending_request.decided_at is not None
    # an invitation for that organisation and role is sent to the person, with a working link
    invitation = Invitation.objects.get(access_request=pending_request)
    assert (invitation.email, invitation.organization, invitation.role) == (
        "grace@example.org",
        unodc,
        MembershipRole.ALTERNATE,
    )
    assert invitation.invited_by == secretariat
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]
    path, token = invitation_link(mail.outbox[0])
    assert services.usable_invitation(token) == invitation
    assert "Alternate focal point" in client.get(path).content.decode()


def test_rejecting_requires_a_reason_and_sends_it_to_the_person(
    secretariat_client, secretariat, pending_request, django_capture_on_commit_callbacks
):
    url = f"/secretariat/access-requests/{pending_request.pk}/"

    # when the Secretariat rejects without a reason (empty or blank)
    for reason in ("", "   "):
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat_client.post(url, {"action": "reject", "reject-reason": reason})
        # then the reason field says so, and nothing is decided or sent
        assert response.status_code == 200
        assert field_error(response, "reject-reason") == "This field is required."
        pending_request.refresh_from_db()
        assert pending_request.status == AccessRequestStatus.PENDING
        assert mail.outbox == []

    # when they give one
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            url, {"action": "reject", "reject-reason": "  Please ask your organisation's focal point.  "}
        )

    # then the request is rejected and the person reads the reason
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == AccessRequestStatus.REJECTED
    assert pending_request.rejection_reason == "Please ask your organisation's focal point."
    assert pending_request.decided_by == secretariat
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]
    assert "Please ask your organisation's focal point." in mail.outbox[0].body
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "second",
    [
        {"action": "approve", "approve-role": MembershipRole.FOCAL_POINT},
        {"action": "reject", "reject-reason": "Changed our mind."},
    ],
)
def test_a_request_cannot_be_decided_twice(
    secretariat_client, pending_request, django_capture_on_commit_callbacks, second
):
    # given a request already approved
    url = f"/secretariat/access-requests/{pending_request.pk}/"
    unodc = organization("entity:UNODC")
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            url, {"action": "approve", "approve-organization": unodc.pk, "approve-role": "focal_point"}
        )
    mail.outbox.clear()

    # when someone decides it again (say, from a page opened before the first decision)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, {"approve-organization": unodc.pk, **second}, follow=True)

    # then it is refused: back on the request's page, which says why; nothing changes or is sent
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert "This request has already been decided." in main_words(response)
    pending_request.refresh_from_db()
    assert pending_request.status == AccessRequestStatus.APPROVED
    assert pending_request.rejection_reason == ""
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("action", ["", "archive", "\x00", "²"])
def test_an_unknown_action_on_a_request_is_said_and_decides_nothing(
    secretariat_client, pending_request, action
):
    # when the request's form is posted with an action that is neither approve nor reject
    response = secretariat_client.post(
        f"/secretariat/access-requests/{pending_request.pk}/", {"action": action}
    )

    # then the Secretariat is sent back to the request with a message, and the request is still pending
    assert response.status_code == 302
    assert response["Location"] == f"/secretariat/access-requests/{pending_request.pk}/"
    assert "Unknown action." in messages(secretariat_client.get(response["Location"]))
    pending_request.refresh_from_db()
    assert pending_request.status == AccessRequestStatus.PENDING


@pytest.mark.parametrize("who", ["focal_point", "undp_admin"])
def test_only_the_secretariat_may_use_the_queue(client, request, pending_request, who):
    # given someone signed in who is not in the Secretariat
    client.force_login(request.getfixturevalue(who))
    url = f"/secretariat/access-requests/{pending_request.pk}/"

    # then every page of the queue is refused, and a decision changes nothing
    assert client.get("/secretariat/access-requests/").status_code == 403
    assert client.get(url).status_code == 403
    assert client.get("/secretariat/invite/").status_code == 403
    response = client.post(url, {"action": "reject", "reject-reason": "no"})
    assert response.status_code == 403
    assert "You are not allowed to do this" in response.content.decode()
    pending_request.refresh_from_db()
    assert pending_request.status == AccessRequestStatus.PENDING


def test_anonymous_visitors_are_sent_to_sign_in_from_the_queue(client, pending_request):
    response = client.get("/secretariat/access-requests/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/secretariat/access-requests/")


# --- Invitations ------------------------------------------------------------------------------------------


def accept(client, path: str, **overrides):
    data = {"full_name": "Njeri Wanjiku", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **overrides}
    return client.post(path, data)


def test_accepting_an_invitation_creates_the_account_and_leads_to_mfa_enrolment(
    client, secretariat, django_capture_on_commit_callbacks
):
    # given an invitation to be Kenya's alternate focal point
    path, invitation = invite(
        secretariat,
        "njeri@example.org",
        role=MembershipRole.ALTERNATE,
        capture=django_capture_on_commit_callbacks,
    )
    page = client.get(path)
    assert page.status_code == 200
    assert "njeri@example.org" in page.content.decode()

    # when the person chooses a name and a password (and tries to choose another email)
    response = accept(client, path, email="someone.else@example.org")

    # then the account is created for the invited email, with that name and password
    user = User.objects.get(email="njeri@example.org")
    assert not User.objects.filter(email="someone.else@example.org").exists()
    assert user.full_name == "Njeri Wanjiku"
    assert user.check_password(NEW_PASSWORD)
    # with the invited role
    assert list(Membership.objects.filter(user=user).values_list("organization__reference_key", "role")) == [
        ("state:KEN", MembershipRole.ALTERNATE)
    ]
    # the invitation is used up
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user == user
    # and the person is signed in and sent to set up two-factor authentication
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert is_signed_in(client, user)
    assert client.get("/home/")["Location"] == "/accounts/2fa/totp/activate/"


def test_after_accepting_the_enrolment_page_asks_for_no_second_password(
    client, secretariat, django_capture_on_commit_callbacks
):
    # given a person who has just set their password through the invitation
    path, _invitation = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)
    response = accept(client, path)

    # when they follow the redirect to the enrolment page
    enrolment = client.get(response["Location"])

    # then the authenticator set-up is shown at once (views/accounts.py records the password just set
    # so that no second password prompt follows)
    assert enrolment.status_code == 200, enrolment.get("Location")
    assert "mfa.totp.secret" in client.session


def test_an_invitation_link_works_once(client, secretariat, django_capture_on_commit_callbacks):
    # given an invitation already accepted
    path, _invitation = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)
    accept(client, path)
    client.post("/accounts/logout/")

    # when the link is opened or posted again
    opened = client.get(path)
    posted = accept(client, path, full_name="Someone Else")

    # then it is a not-found page that says the link cannot be used, and nothing changes
    for response in (opened, posted):
        assert response.status_code == 404
        assert "This invitation link cannot be used" in response.content.decode()
    assert User.objects.get(email="njeri@example.org").full_name == "Njeri Wanjiku"
    assert not is_signed_in(client)


def test_an_expired_invitation_link_cannot_be_used(client, secretariat, django_capture_on_commit_callbacks):
    # given an invitation whose time has run out
    path, invitation = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    # when the person opens it or tries to create the account
    opened = client.get(path)
    posted = accept(client, path)

    # then the same not-found page answers, and no account is created
    for response in (opened, posted):
        assert response.status_code == 404
        assert "This invitation link cannot be used" in response.content.decode()
    assert not User.objects.filter(email="njeri@example.org").exists()


def test_an_invitation_expires_after_the_configured_days(secretariat, django_capture_on_commit_callbacks):
    _path, invitation = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - timedelta(days=settings.INVITATION_TTL_DAYS)) < timedelta(minutes=1)
    assert f"expires in {settings.INVITATION_TTL_DAYS} days" in mail.outbox[-1].body


def test_a_newer_invitation_replaces_the_older_link(client, secretariat, django_capture_on_commit_callbacks):
    # given two invitations sent to the same person for the same organisation
    old_path, old = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)
    new_path, new = invite(
        secretariat,
        "njeri@example.org",
        role=MembershipRole.ALTERNATE,
        capture=django_capture_on_commit_callbacks,
    )

    # then the older link is revoked and answers like any unusable link; the newer one works
    old.refresh_from_db()
    assert old.revoked_at is not None
    old_response = accept(client, old_path)
    assert old_response.status_code == 404
    assert "This invitation link cannot be used" in old_response.content.decode()
    assert not User.objects.filter(email="njeri@example.org").exists()
    assert accept(client, new_path).status_code == 302
    assert Membership.objects.get(user__email="njeri@example.org").role == MembershipRole.ALTERNATE


@pytest.mark.parametrize("token", ["unknown", "x" * 43, "..", "%3Cscript%3E", "a" * 500])
def test_an_unknown_or_malformed_invitation_token_gets_the_same_answer(client, db, token):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "This invitation link cannot be used" in response.content.decode()
    assert accept(client, f"/invitations/{token}/").status_code == 404
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password1234", "password2": "password1234"}, "password1", "too common"),
        ({"password1": "381946250173", "password2": "381946250173"}, "password1", "entirely numeric"),
        ({"password2": NEW_PASSWORD + "!"}, "password2", "The two passwords differ."),
        ({"full_name": ""}, "full_name", "This field is required."),
    ],
)
def test_accepting_with_a_bad_password_creates_nothing(
    client, secretariat, django_capture_on_commit_callbacks, overrides, field, message
):
    # given a valid invitation
    path, invitation = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)

    # when the person chooses a weak password, or two that differ
    response = accept(client, path, **overrides)

    # then the form says what is wrong on the field, and nothing is created or used up
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not User.objects.filter(email="njeri@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not is_signed_in(client)
    # the link still works for a good password
    assert accept(client, path).status_code == 302


def test_a_signed_in_person_cannot_accept_an_invitation(
    client, focal_point, secretariat, django_capture_on_commit_callbacks
):
    path, invitation = invite(secretariat, "njeri@example.org", capture=django_capture_on_commit_callbacks)
    client.force_login(focal_point)

    response = accept(client, path)

    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert not User.objects.filter(email="njeri@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# --- Who may invite ---------------------------------------------------------------------------------------


def members_invite(client, org, **data):
    payload = {"action": "invite", "invite-organization": org.pk, "invite-full_name": "New Person", **data}
    return client.post(f"/organisations/{org.pk}/members/", payload)


@pytest.mark.parametrize("role", [MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE])
def test_an_organisation_admin_invites_focal_points_to_their_organisation(
    client, undp_admin, django_capture_on_commit_callbacks, role
):
    # given UNDP's organisation admin on UNDP's people page
    undp = organization("entity:UNDP")
    client.force_login(undp_admin)
    page = client.get(f"/organisations/{undp.pk}/members/")
    assert page.status_code == 200
    # the role list offers only what they may grant
    assert [value for value, _label in page.context["invite"].fields["role"].choices] == [
        MembershipRole.FOCAL_POINT,
        MembershipRole.ALTERNATE,
    ]

    # when they invite someone with a focal-point role
    with django_capture_on_commit_callbacks(execute=True):
        response = members_invite(client, undp, **{"invite-email": "new@example.org", "invite-role": role})

    # then the invitation is sent for UNDP, with that role
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{undp.pk}/members/"
    invitation = Invitation.objects.get(email="new@example.org")
    assert (invitation.organization, invitation.role, invitation.invited_by) == (undp, role, undp_admin)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    invitation_link(mail.outbox[0])
    # and it is listed as waiting
    assert "new@example.org" in client.get(f"/organisations/{undp.pk}/members/").content.decode()


def test_an_organisation_admin_may_not_grant_organisation_admin(
    client, undp_admin, django_capture_on_commit_callbacks
):
    undp = organization("entity:UNDP")
    client.force_login(undp_admin)

    # when UNDP's admin tries to invite another organisation admin
    with django_capture_on_commit_callbacks(execute=True):
        response = members_invite(
            client,
            undp,
            **{"invite-email": "new@example.org", "invite-role": MembershipRole.ORGANIZATION_ADMIN},
        )

    # then the role field says it is not a choice they have, and nothing is sent
    assert response.status_code == 200
    assert field_error(response, "invite-role") == (
        "Select a valid choice. organization_admin is not one of the available choices."
    )
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    # the service refuses it too, whatever form is used
    with pytest.raises(ValidationError, match="You may not grant this role in this organisation."):
        services.invite(
            by=undp_admin,
            email="new@example.org",
            organization=undp,
            role=MembershipRole.ORGANIZATION_ADMIN,
            base_url="http://testserver/",
        )


def test_an_organisation_admin_cannot_invite_to_another_organisation(
    client, undp_admin, django_capture_on_commit_callbacks
):
    undp, unodc = organization("entity:UNDP"), organization("entity:UNODC")
    client.force_login(undp_admin)

    # the other organisation's people page is refused, to read and to post
    assert client.get(f"/organisations/{unodc.pk}/members/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        refused = members_invite(
            client, unodc, **{"invite-email": "new@example.org", "invite-role": "focal_point"}
        )
    assert refused.status_code == 403
    # and from their own page, naming the other organisation in the form does not work either
    with django_capture_on_commit_callbacks(execute=True):
        smuggled = members_invite(
            client,
            undp,
            **{
                "invite-email": "new@example.org",
                "invite-role": "focal_point",
                "invite-organization": unodc.pk,
            },
        )
    assert smuggled.status_code == 200
    assert field_error(smuggled, "invite-organization")
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        services.invite(
            by=undp_admin,
            email="new@example.org",
            organization=unodc,
            role=MembershipRole.FOCAL_POINT,
            base_url="http://testserver/",
        )


def test_a_focal_point_cannot_manage_their_organisations_people(client, focal_point):
    unodc = organization("entity:UNODC")
    client.force_login(focal_point)
    assert client.get(f"/organisations/{unodc.pk}/members/").status_code == 403
    assert (
        members_invite(
            client, unodc, **{"invite-email": "n@example.org", "invite-role": "focal_point"}
        ).status_code
        == 403
    )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", MembershipRole.values)
def test_the_secretariat_may_grant_any_role_in_any_organisation(
    secretariat_client, secretariat, django_capture_on_commit_callbacks, role
):
    kenya = organization("state:KEN")

    # when the Secretariat invites from its own page to a Member State
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/secretariat/invite/", {"email": "new@example.org", "organization": kenya.pk, "role": role}
        )

    # then the invitation is sent with that role
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new@example.org")
    assert (invitation.organization, invitation.role, invitation.invited_by) == (kenya, role, secretariat)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_the_secretariat_may_invite_an_admin_from_any_organisations_people_page(
    secretariat_client, django_capture_on_commit_callbacks
):
    au = organization("regional:AU")
    with django_capture_on_commit_callbacks(execute=True):
        response = members_invite(
            secretariat_client,
            au,
            **{"invite-email": "new@example.org", "invite-role": MembershipRole.ORGANIZATION_ADMIN},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new@example.org")
    assert (invitation.organization, invitation.role) == (au, MembershipRole.ORGANIZATION_ADMIN)


@pytest.mark.parametrize("organization_id", ["²", "-1", "abc", ""])
def test_a_malformed_organisation_on_the_invitation_form_is_no_choice(secretariat_client, organization_id):
    # when the invitation form is opened, then posted, with an organisation id that is no id
    opened = secretariat_client.get("/secretariat/invite/", {"organization": organization_id})
    posted = secretariat_client.post(
        "/secretariat/invite/",
        {
            "email": "new@example.org",
            "full_name": "New Person",
            "organization": organization_id,
            "role": "focal_point",
        },
    )

    # then the form opens with no organisation chosen, and comes back with the error on that field
    assert opened.status_code == 200
    assert posted.status_code == 200
    assert field_error(posted, "organization")
    assert not Invitation.objects.filter(email="new@example.org").exists()


def test_inviting_an_existing_account_answers_like_any_invitation_and_asks_the_person(
    client, secretariat_client, undp_admin, focal_point, django_capture_on_commit_callbacks
):
    undp = organization("entity:UNDP")

    # when the Secretariat invites an existing account (typed in capitals) and an address without one
    with django_capture_on_commit_callbacks(execute=True):
        existing = secretariat_client.post(
            "/secretariat/invite/",
            {"email": "FOCAL@example.org", "organization": undp.pk, "role": MembershipRole.FOCAL_POINT},
            follow=True,
        )
        new = secretariat_client.post(
            "/secretariat/invite/",
            {"email": "new@example.org", "organization": undp.pk, "role": MembershipRole.FOCAL_POINT},
            follow=True,
        )
    # then both answers say the same, but for the address: nothing tells which one has an account
    assert messages(existing) == [
        text.replace("new@example.org", "FOCAL@example.org") for text in messages(new)
    ]
    # and the account holder is asked to accept the role, with nothing changed until they do
    request = MembershipRequest.objects.get(user=focal_point)
    assert (request.organization, request.role, request.status) == (undp, "focal_point", "pending")
    assert not Membership.objects.filter(user=focal_point, organization=undp).exists()
    asked = [m for m in mail.outbox if m.to == ["focal@example.org"]]
    assert len(asked) == 1
    assert "/people/me/requests/" in asked[0].body
    assert not Invitation.objects.filter(email="focal@example.org").exists()

    # and an organisation admin inviting the same person again sends nothing more
    client.force_login(undp_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = members_invite(
            client, undp, **{"invite-email": "focal@example.org", "invite-role": "focal_point"}
        )
    assert response.status_code == 302
    assert MembershipRequest.objects.filter(user=focal_point).count() == 1
    assert len([m for m in mail.outbox if m.to == ["focal@example.org"]]) == 1


def test_without_a_second_factor_every_page_leads_to_enrolment(client, compact, make_user):
    # given a signed-in person with no authenticator (MFA is required)
    assert settings.MFA_REQUIRED is True
    user = make_user("nomfa@example.org", organization=organization("entity:UNODC"), mfa=False)
    client.force_login(user)

    # when they open any page
    for path in ("/home/", "/notices/", "/accounts/sessions/", "/accounts/password/change/"):
        response = client.get(path)
        # then they are sent to set up an authenticator, and told why
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    assert "Set up two-factor authentication to continue" in " ".join(messages(page))

    # but they may sign out
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_enrolling_totp_through_the_real_form_lifts_the_redirect(
    client, compact, make_user, django_capture_on_commit_callbacks
):
    # given a person without an authenticator, signed in with their password
    user = make_user("nomfa@example.org", organization=organization("entity:UNODC"), mfa=False)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/home/"
    assert client.get("/home/")["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before adding a second factor
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    # when they open the enrolment page, read the secret it shows
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert f'value="{secret}"' in page.content.decode()
    # and first type a wrong code
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/home/")["Location"] == "/accounts/2fa/totp/activate/"
    # then the code their app computes from it
    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    # (outside the test's transaction these run as the view commits, while allauth knows the request)
    with (
        django_capture_on_commit_callbacks(execute=True),
        allauth_context.request_context(response.wsgi_request),
    ):
        for callback in after_commit:
            callback()

    # then the authenticator is kept, the change logged and the person told, and the platform opens
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    changes = SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.MFA_CHANGED)
    assert {"change": "added", "authenticator": Authenticator.Type.TOTP} in [e.detail for e in changes]
    assert mail.outbox
    assert all(message.to == [user.email] for message in mail.outbox)
    assert client.get("/home/").status_code == 200


def test_signing_in_with_totp_asks_for_the_code_and_refuses_a_wrong_one(client, compact, make_user):
    # given a person with an authenticator
    user = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(user)

    # when they give the right password
    response = client.post("/accounts/login/", {"login": "fp@example.org", "password": PASSWORD})

    # then they are asked for the code, and are not signed in yet
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not is_signed_in(client)
    assert client.get("/home/")["Location"].startswith("/accounts/login/")
    # a wrong code is refused with a message
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert not is_signed_in(client)
    # the right one signs them in
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert is_signed_in(client, user)
    assert client.get("/home/").status_code == 200


def test_a_password_reset_does_not_sign_in(client, compact, make_user, django_capture_on_commit_callbacks):
    # given a person with an authenticator who forgot their password
    user = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "fp@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)

    # when they set a new password through the emailed link
    form_url = client.get(link)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    # then the password is changed but they are not signed in
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not is_signed_in(client)
    assert client.get("/home/")["Location"].startswith("/accounts/login/")
    # and signing in still asks for the second factor
    response = client.post("/accounts/login/", {"login": "fp@example.org", "password": NEW_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not is_signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert is_signed_in(client, user)


# --- Brute force ------------------------------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_account(client, compact, make_user):
    # given an account with no failed attempts on record
    assert not AccessAttempt.objects.exists()
    user = make_user("fp@example.org", organization=organization("entity:UNODC"))

    # when five wrong passwords are tried on it
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "fp@example.org", "password": "wrong-password"})

    # then the next attempt, even with the right password, gets the lockout page
    response = client.post("/accounts/login/", {"login": "fp@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "account/locked_out.html" in [template.name for template in response.templates]
    assert "Sign-in to this account is paused for a few minutes" in " ".join(messages(response))
    assert not is_signed_in(client)
    # and the lockout is in the security log, under the attempted login
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKOUT, login="fp@example.org").exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN, user=user).exists()


def test_a_wrong_password_reads_the_same_for_known_and_unknown_emails(client, compact, make_user):
    # given one address with an account, one without
    make_user("known@example.org", organization=organization("entity:UNODC"))

    # when a wrong password is tried for each
    known = client.post("/accounts/login/", {"login": "known@example.org", "password": "wrong-password"})
    unknown = client.post("/accounts/login/", {"login": "unknown@example.org", "password": "wrong-password"})

    # then the two answers are identical but for the echoed address
    assert known.status_code == unknown.status_code == 200
    assert messages(known) == ["The email address and/or password you specified are not correct."]
    assert without_tokens(known, "known@example.org") == without_tokens(unknown, "unknown@example.org")


# --- Sessions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("margin", "signed_out"), [(-60, False), (60, True)])
def test_a_session_ends_at_its_absolute_lifetime(client, focal_point, margin, signed_out):
    # given a session started a minute before, or after, its absolute lifetime (however active since)
    client.force_login(focal_point)
    session = client.session
    session["auth_started_at"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - margin
    session.save()

    # when the person opens a page
    response = client.get("/home/")

    if not signed_out:
        # then, within the lifetime, the page opens
        assert response.status_code == 200
        assert is_signed_in(client, focal_point)
        return
    # then, past it, they are signed out and sent to sign in again, and told why
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/home/"
    assert not is_signed_in(client)
    login_page = client.get(response["Location"])
    assert "Your session has reached its maximum length. Please sign in again." in messages(login_page)
    assert client.get("/home/")["Location"].startswith("/accounts/login/")


def test_deactivating_a_person_ends_their_sessions(secretariat_client, compact, make_user):
    # given a person signed in on their own browser
    person = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(person)
    browser = Client()
    sign_in(browser, person.email, secret)
    session_key = browser.session.session_key
    assert browser.get("/home/").status_code == 200
    assert UserSession.objects.filter(user=person).count() == 1

    # when the Secretariat deactivates the account
    response = secretariat_client.post(f"/secretariat/users/{person.pk}/", {"action": "deactivate"})

    # then the account is inactive and its session is gone from the store
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active is False
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=person).exists()
    # the person's browser is anonymous at once
    assert browser.get("/home/")["Location"].startswith("/accounts/login/")
    # and the security log says so
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SESSIONS_ENDED, user=person)
    assert event.detail == {"reason": "deactivated", "count": 1}
    assert event.path == f"/secretariat/users/{person.pk}/"


def test_the_secretariat_cannot_deactivate_itself(secretariat_client, secretariat):
    response = secretariat_client.post(f"/secretariat/users/{secretariat.pk}/", {"action": "deactivate"})
    assert response.status_code == 302
    page = secretariat_client.get(response["Location"])
    assert "You cannot deactivate your own account." in messages(page)
    secretariat.refresh_from_db()
    assert secretariat.is_active


def test_people_see_their_own_sessions(client, compact, make_user):
    # given a person signed in from a named browser, and another person signed in elsewhere
    person = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(person)
    other = make_user("other@example.org", organization=organization("entity:UNODC"), mfa=False)
    other_secret = enrol_totp(other)
    sign_in(Client(), other.email, other_secret, HTTP_USER_AGENT="OtherBrowser/9.9")
    sign_in(client, person.email, secret, HTTP_USER_AGENT="ProbeBrowser/1.0")

    # when they open their sessions page
    response = client.get("/accounts/sessions/")

    # then their session is listed, with its address and browser, and nobody else's
    assert response.status_code == 200
    html = response.content.decode()
    assert "ProbeBrowser/1.0" in html
    assert "127.0.0.1" in html
    assert "OtherBrowser/9.9" not in html


def test_resetting_mfa_removes_the_persons_authenticators(secretariat_client, compact, make_user):
    # given a person with an authenticator, signed in
    person = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    secret = enrol_totp(person)
    browser = Client()
    sign_in(browser, person.email, secret)

    # when the Secretariat resets their two-factor authentication (a lost phone)
    response = secretariat_client.post(f"/secretariat/users/{person.pk}/", {"action": "reset_mfa"})

    # then every authenticator is gone, the change is logged, and their session ended
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.MFA_CHANGED, user=person).exists()
    assert browser.get("/home/")["Location"].startswith("/accounts/login/")
    # signing in again asks for no code but leads to enrolment
    response = browser.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response["Location"] == "/home/"
    assert browser.get("/home/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("action", ["deactivate", "reset_mfa"])
def test_only_the_secretariat_may_deactivate_or_reset_mfa(client, undp_admin, compact, make_user, action):
    person = make_user("fp@example.org", organization=organization("entity:UNDP"))
    client.force_login(undp_admin)

    response = client.post(f"/secretariat/users/{person.pk}/", {"action": action})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_active
    assert Authenticator.objects.filter(user=person).exists()


@pytest.mark.parametrize("membership_id", ["²", "", "abc", "1e309"])
def test_ending_a_role_by_a_malformed_id_is_a_missing_role(
    secretariat_client, compact, make_user, membership_id
):
    # given a person with a current role
    person = make_user("fp@example.org", organization=organization("entity:UNDP"))

    # when the Secretariat's "end role" button is posted with an id that is no id
    response = secretariat_client.post(
        f"/secretariat/users/{person.pk}/", {"action": "end_membership", "membership": membership_id}
    )

    # then it is answered like a role that does not exist, and the role is still current
    assert response.status_code == 404
    assert Membership.objects.filter(user=person, ended_at__isnull=True).exists()


def test_the_user_list_refuses_a_nul_byte_in_its_search_with_a_message(
    secretariat_client, compact, make_user
):
    # given a person in the directory
    make_user("kenya@example.org", organization=organization("state:KEN"), full_name="Wanjiru")

    # when the Secretariat searches with a NUL byte (PostgreSQL refuses it in text)
    response = secretariat_client.get("/secretariat/users/", {"q": "Wan\x00jiru"})

    # then the list is shown unfiltered, with a message saying the search could not be made
    assert response.status_code == 200
    assert "Wanjiru" in response.content.decode()
    assert any("cannot be searched for" in alert for alert in messages(response))


def test_an_overlong_name_on_the_admin_sign_in_is_a_failed_sign_in(client, db):
    # when someone tries to sign in to the admin with a 3,000-character name (longer than the lockout's
    # record of attempted names)
    response = client.post("/admin/login/", {"username": "x" * 3000, "password": "wrong-password"})

    # then it is refused like any wrong name, and counted against that name
    assert response.status_code == 200
    assert "Please enter the correct" in response.content.decode()
    assert AccessAttempt.objects.get().username == "x" * 255
