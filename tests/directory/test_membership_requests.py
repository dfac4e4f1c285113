"""Joining an organisation takes the person's consent: an organisation asks, the person accepts or declines,
and until then nothing of theirs changes (rule 7 of the access model)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory import services
from directory.models import (
    ContactVisibility,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
)
from tests.conftest import make_profile, organization, signed_in

PHONE = "+254 20 762 1234"
REQUESTS = "/people/me/requests/"


@pytest.fixture
def kenyan(compact, make_user):
    """A Kenyan focal point whose phone number only their own organisation sees."""
    person = make_user("wanjiru@ken.example.org", organization=organization("state:KEN"), full_name="Wanjiru")
    make_profile(user=person, phone_office=PHONE, phone_visibility=ContactVisibility.ORGANIZATION)
    return person


def ask(client, email: str, role: str = "focal_point"):
    undp = organization("entity:UNDP")
    return client.post(
        f"/organisations/{undp.pk}/members/",
        {"action": "invite", "invite-organization": undp.pk, "invite-email": email, "invite-role": role},
    )


def answer(person, request: MembershipRequest, choice: str):
    return signed_in(person).post(REQUESTS, {"request": request.pk, "answer": choice}, follow=True)


def test_adding_a_person_of_another_organisation_asks_them_first(
    undp_admin, kenyan, django_capture_on_commit_callbacks
):
    admin = signed_in(undp_admin)

    # when UNDP's admin adds the Kenyan focal point to UNDP
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(admin, kenyan.email).status_code == 302

    # then nothing of theirs changed: no role in UNDP, their profile not UNDP's to edit, their phone hidden
    assert not Membership.objects.filter(user=kenyan, organization=organization("entity:UNDP")).exists()
    assert admin.get(f"/people/{kenyan.pk}/edit/").status_code == 403
    assert PHONE not in admin.get(f"/people/{kenyan.pk}/").content.decode()
    # and the person is asked, by email and on their page
    assert [m.to for m in mail.outbox] == [[kenyan.email]]
    assert "UNDP" in mail.outbox[0].subject
    home = signed_in(kenyan).get("/home/").content.decode()
    assert "An organisation asked you to take a role in it." in home
    page = signed_in(kenyan).get(REQUESTS).content.decode()
    assert "Focal point of United Nations Development Programme" in page

    # when the person accepts
    request = MembershipRequest.objects.get(user=kenyan)
    response = answer(kenyan, request, "accept")

    # then they hold the role, and UNDP's admin now manages them like any of its people
    assert "You are now Focal point of UNDP." in response.content.decode()
    assert Membership.objects.filter(
        user=kenyan, organization=organization("entity:UNDP"), role="focal_point", ended_at__isnull=True
    ).exists()
    assert admin.get(f"/people/{kenyan.pk}/edit/").status_code == 200
    assert PHONE in admin.get(f"/people/{kenyan.pk}/").content.decode()
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.ACCEPTED


def test_a_declined_request_changes_nothing(undp_admin, kenyan):
    ask(signed_in(undp_admin), kenyan.email)
    request = MembershipRequest.objects.get(user=kenyan)
    response = answer(kenyan, request, "decline")
    assert "You declined to join UNDP." in response.content.decode()
    assert not Membership.objects.filter(user=kenyan, organization=organization("entity:UNDP")).exists()
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.DECLINED
    # and an answered request cannot be answered again
    assert answer(kenyan, request, "accept").status_code == 404


def test_a_request_lapses_when_whoever_asked_may_no_longer_give_the_role(undp_admin, kenyan):
    # given a request from UNDP's admin, who then loses the admin role
    ask(signed_in(undp_admin), kenyan.email)
    request = MembershipRequest.objects.get(user=kenyan)
    Membership.objects.filter(user=undp_admin).delete()

    # when the person accepts
    response = answer(kenyan, request, "accept")

    # then the request lapsed: a right is checked when it is used
    assert "This request lapsed" in response.content.decode()
    assert not Membership.objects.filter(user=kenyan, organization=organization("entity:UNDP")).exists()
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.LAPSED


def test_the_organisation_withdraws_a_waiting_request(undp_admin, kenyan):
    admin = signed_in(undp_admin)
    ask(admin, kenyan.email)
    request = MembershipRequest.objects.get(user=kenyan)
    undp = organization("entity:UNDP")
    assert (
        "Withdraw the request to Wanjiru" in admin.get(f"/organisations/{undp.pk}/members/").content.decode()
    )
    admin.post(f"/organisations/{undp.pk}/members/", {"action": "withdraw", "request": request.pk})
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.WITHDRAWN
    assert answer(kenyan, request, "accept").status_code == 404


def test_only_the_person_answers_their_request(undp_admin, kenyan, make_user):
    ask(signed_in(undp_admin), kenyan.email)
    request = MembershipRequest.objects.get(user=kenyan)
    someone = make_user("other@ken.example.org", organization=organization("state:KEN"))
    # another person's request is no choice at all: the same 404 as one that does not exist
    assert answer(someone, request, "accept").status_code == 404
    assert answer(undp_admin, request, "accept").status_code == 404
    with pytest.raises(PermissionDenied):
        services.answer_membership_request(by=undp_admin, request=request, accept=True)
    # and malformed answers are refused the same way, never a server error
    for data in ({"request": "²", "answer": "accept"}, {"request": request.pk, "answer": "maybe"}, {}):
        assert signed_in(kenyan).post(REQUESTS, data).status_code == 404
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.PENDING


def test_someone_already_in_the_organisation_gets_a_further_role_at_once(undp_admin, make_user):
    colleague = make_user("colleague@undp.example.org", organization=organization("entity:UNDP"))
    ask(signed_in(undp_admin), colleague.email, role="alternate")
    assert Membership.objects.filter(user=colleague, role="alternate", ended_at__isnull=True).exists()
    assert not MembershipRequest.objects.exists()


def test_the_secretariat_asks_too(secretariat, kenyan):
    request = services.add_membership(
        by=secretariat, user=kenyan, organization=organization("entity:UNDP"), role="organization_admin"
    )
    assert isinstance(request, MembershipRequest)
    assert not Membership.objects.filter(user=kenyan, organization=organization("entity:UNDP")).exists()
    # and asking twice makes one request
    again = services.add_membership(
        by=secretariat, user=kenyan, organization=organization("entity:UNDP"), role="organization_admin"
    )
    assert again.pk == request.pk
    # an organisation admin may not ask for a role only the Secretariat grants
    with pytest.raises(ValidationError):
        services.add_membership(
            by=kenyan, user=secretariat, organization=organization("state:KEN"), role="focal_point"
        )


def test_the_requests_page_is_only_ever_about_the_signed_in_person(client, kenyan):
    assert client.get(REQUESTS).status_code == 302
    assert (
        "Nobody is waiting for your answer."
        in signed_in(kenyan).get(reverse("directory:membership_requests")).content.decode()
    )
