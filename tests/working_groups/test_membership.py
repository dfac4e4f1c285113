"""Who runs a Working Group's space, and what they may change about who takes part."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.access import Visibility
from directory.models import MembershipRole, Participation
from directory.rules import can_manage_space
from directory.spaces import managers_of
from notifications.models import Notification
from tests.conftest import notice, organization, signed_in, wg
from working_groups import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(member):
    """The shared UNDP focal point, UNDP a member (not a leader) of WG 2."""
    Participation.objects.update_or_create(
        working_group=wg(2), organization=organization("entity:UNDP"), defaults={"role": "member"}
    )
    return member


def test_who_runs_the_space(chair, member, secretariat):
    assert can_manage_space(chair, wg(2))
    assert can_manage_space(secretariat, wg(2))
    assert not can_manage_space(member, wg(2))
    # CTED does not chair WG 4
    assert not can_manage_space(chair, wg(4))
    assert chair in managers_of(wg(2))


def test_a_chair_invites_a_guest_who_then_sees_the_space_but_not_members_only_content(chair, make_user):
    # given a Kenyan focal point, and WG 2 content for the space and for members only
    kenya = make_user("focal@kenya.example.org", organization=organization("state:KEN"))
    space = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(2), title="Sp")
    members = notice(
        organization("entity:CTED"), Visibility.WORKING_GROUP_MEMBERS, working_group=wg(2), title="M"
    )

    # when the chair invites Kenya as a guest on a topic, through the members page
    response = signed_in(chair).post(
        reverse("working_groups:members", kwargs={"pk": wg(2).pk}),
        {
            "action": "guest",
            "guest-organization": organization("state:KEN").pk,
            "guest-topic": "One-stop border posts",
        },
    )

    # then Kenya takes part as a guest, is notified, and sees the space's content only
    assert response.status_code == 302
    guest = Participation.objects.get(working_group=wg(2), organization=organization("state:KEN"))
    assert (guest.role, guest.topic) == ("guest", "One-stop border posts")
    assert Notification.objects.filter(recipient=kenya, kind="membership").exists()
    home = signed_in(kenya).get(reverse("working_groups:home", kwargs={"pk": wg(2).pk}))
    assert "members only is not shown to you" in home.content.decode()
    from notices.models import Notice

    visible = set(Notice.objects.visible_to(kenya).values_list("title", flat=True))
    assert space.title in visible
    assert members.title not in visible


def test_guests_are_member_states_or_regional_organisations_with_a_topic(chair):
    with pytest.raises(ValidationError) as error:
        services.add_participant(
            working_group=wg(2), organization=organization("entity:UNICEF"), role="guest", by=chair, topic="x"
        )
    assert "organization" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.add_participant(
            working_group=wg(2), organization=organization("state:KEN"), role="guest", by=chair, topic=" "
        )
    assert "topic" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.add_participant(
            working_group=wg(2), organization=organization("state:KEN"), role="guest", by=chair, topic="t",
            until=timezone.localdate() - timezone.timedelta(days=1),
        )  # fmt: skip
    assert "until" in error.value.error_dict


def test_a_member_cannot_manage_participants(member):
    client = signed_in(member)
    url = reverse("working_groups:members", kwargs={"pk": wg(2).pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "remove", "participation": 1}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_participant(
            working_group=wg(2), organization=organization("entity:UNESCO"), role="member", by=member
        )


def test_the_last_organisation_running_the_group_cannot_be_removed_or_demoted(chair):
    # given WG 2 run by CTED (chair), WCO (co-chair), INTERPOL and UNODC (vice-chairs)
    leaders = Participation.objects.filter(working_group=wg(2), role__in=["chair", "co_chair", "vice_chair"])
    assert leaders.count() == 4
    # when all but CTED step down, then CTED cannot leave or become a member
    for participation in leaders.exclude(organization=organization("entity:CTED")):
        services.change_role(participation=participation, role="member", by=chair)
    last = Participation.objects.get(working_group=wg(2), organization=organization("entity:CTED"))
    with pytest.raises(ValidationError, match="needs an organisation to run it"):
        services.remove_participant(participation=last, by=chair)
    with pytest.raises(ValidationError, match="needs an organisation to run it"):
        services.change_role(participation=last, role="member", by=chair)
    # and through the page, a clear message instead of an error
    response = signed_in(chair).post(
        reverse("working_groups:members", kwargs={"pk": wg(2).pk}),
        {"action": "remove", "participation": last.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "needs an organisation to run it" in response.content.decode()
    assert Participation.objects.filter(pk=last.pk, role="chair").exists()


def test_role_changes_and_removals_are_notified_to_the_organisation_and_audited(chair, member):
    participation = Participation.objects.get(working_group=wg(2), organization=organization("entity:UNDP"))
    pk = participation.pk
    services.change_role(participation=participation, role="observer", by=chair)
    assert Notification.objects.filter(
        recipient=member, kind="membership", body__contains="observer"
    ).exists()
    services.remove_participant(participation=participation, by=chair)
    assert Notification.objects.filter(recipient=member, body__contains="no longer takes part").exists()
    events = apps.get_model("directory", "ParticipationEvent").objects.filter(pgh_obj_id=pk)
    assert {"update", "delete"} <= set(events.values_list("pgh_label", flat=True))


def test_a_chair_designates_a_space_manager_who_may_then_manage(chair, member, make_user):
    # given a member's focal point, not of a chairing organisation
    assert not can_manage_space(member, wg(2))
    # when the chair designates them
    response = signed_in(chair).post(
        reverse("working_groups:members", kwargs={"pk": wg(2).pk}),
        {"action": "manager", "manager-email": member.email},
    )
    assert response.status_code == 302
    # then they manage the space, until withdrawn
    assert can_manage_space(type(member).objects.get(pk=member.pk), wg(2))
    services.withdraw_manager(working_group=wg(2), person=member, by=chair)
    assert not can_manage_space(type(member).objects.get(pk=member.pk), wg(2))
    # someone outside the group cannot be designated
    outsider = make_user("x@unicef.example.org", organization=organization("entity:UNICEF"))
    Participation.objects.filter(working_group=wg(2), organization=organization("entity:UNICEF")).delete()
    with pytest.raises(ValidationError):
        services.designate_manager(working_group=wg(2), person=outsider, by=chair)


def test_bad_input_on_the_members_page_gives_a_normal_page(chair):
    client = signed_in(chair)
    url = reverse("working_groups:members", kwargs={"pk": wg(2).pk})
    for data in [
        {"action": "add", "add-organization": "999999", "add-role": "member"},
        {"action": "add", "add-organization": organization("entity:UNESCO").pk, "add-role": "emperor"},
        {"action": "guest", "guest-organization": organization("state:KEN").pk, "guest-until": "not a date"},
        {"action": "manager", "manager-email": "nobody@example.org"},
        {"action": "role", "participation": "abc"},
        {"action": "nonsense"},
    ]:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 404), data
    assert (
        client.post(url, {"action": "role", "participation": "999999", "role": "member"}).status_code == 404
    )


def test_an_organisation_admin_of_a_chairing_organisation_also_runs_it(make_user):
    admin = make_user(
        "admin@cted.example.org",
        organization=organization("entity:CTED"),
        role=MembershipRole.ORGANIZATION_ADMIN,
    )
    assert can_manage_space(admin, wg(2))


# --- Management rights follow current participation; nobody raises their own role ------------------------


@pytest.fixture
def designated(chair, member):
    """UNDP's focal point (UNDP is a member of WG 2), designated by the chair to help run the space."""
    services.designate_manager(working_group=wg(2), person=member, by=chair)
    return type(member).objects.get(pk=member.pk)


def members_page():
    return reverse("working_groups:members", kwargs={"pk": wg(2).pk})


def test_a_designated_manager_cannot_raise_their_own_organisation(designated):
    # given UNDP's designated manager on the members page
    client = signed_in(designated)
    undp = Participation.objects.get(working_group=wg(2), organization=organization("entity:UNDP"))

    # when they make their own organisation chair
    response = client.post(
        members_page(), {"action": "role", "participation": undp.pk, "role": "chair"}, follow=True
    )

    # then they are told why, and UNDP is still a member
    assert "nobody decides their own role" in response.content.decode()
    undp.refresh_from_db()
    assert undp.role == "member"
    # while another organisation's role they may change
    unodc = Participation.objects.get(working_group=wg(2), organization=organization("entity:UNODC"))
    services.change_role(participation=unodc, role="member", by=designated)
    # and stepping their own organisation down is allowed
    services.change_role(participation=undp, role="observer", by=designated)
    assert Participation.objects.get(pk=undp.pk).role == "observer"


def test_a_chair_steps_down_but_does_not_step_up(chair, make_user):
    cted = Participation.objects.get(working_group=wg(2), organization=organization("entity:CTED"))
    # a co-chair's people may not make their organisation chair
    unodc_person = make_user("vice@unodc.example.org", organization=organization("entity:UNODC"))
    unodc = Participation.objects.get(working_group=wg(2), organization=organization("entity:UNODC"))
    services.change_role(participation=unodc, role="co_chair", by=chair)
    with pytest.raises(ValidationError, match="nobody decides their own role"):
        services.change_role(participation=unodc, role="chair", by=unodc_person)
    # but CTED's chair may hand its chair over and step down to co-chair
    services.change_role(participation=cted, role="co_chair", by=chair)
    assert Participation.objects.get(pk=cted.pk).role == "co_chair"


def test_a_designation_lapses_with_the_participation(chair, designated):
    # given UNDP's designated manager, who runs the space
    assert can_manage_space(designated, wg(2))
    assert designated in managers_of(wg(2))

    # when the chair removes UNDP from the group
    undp = Participation.objects.get(working_group=wg(2), organization=organization("entity:UNDP"))
    services.remove_participant(participation=undp, by=chair)

    # then the designation counts for nothing: no members page, no new round, no coming back
    person = type(designated).objects.get(pk=designated.pk)
    assert not can_manage_space(person, wg(2))
    assert designated not in managers_of(wg(2))
    client = signed_in(person)
    assert client.get(members_page()).status_code == 403
    assert client.get(reverse("planning:round_new", kwargs={"wg": wg(2).pk})).status_code == 403
    response = client.post(
        members_page(),
        {"action": "add", "add-organization": organization("entity:UNDP").pk, "add-role": "chair"},
    )
    assert response.status_code == 403
    assert not Participation.objects.filter(
        working_group=wg(2), organization=organization("entity:UNDP")
    ).exists()
    # and the lapsed grant is gone from the space's managers list
    assert person.email not in signed_in(chair).get(members_page()).content.decode()


def test_a_designation_lapses_when_the_person_leaves_their_organisation(designated):
    from directory.models import Membership

    Membership.objects.filter(user=designated).update(ended_at=timezone.now())
    assert not can_manage_space(type(designated).objects.get(pk=designated.pk), wg(2))


def test_managers_cannot_add_their_own_organisation_or_designate_themselves(chair, designated, secretariat):
    from directory.models import Membership

    # given the chair, who also represents UNICEF (not in WG 2)
    unicef = organization("entity:UNICEF")
    Participation.objects.filter(working_group=wg(2), organization=unicef).delete()
    Membership.objects.create(user=chair, organization=unicef, role="focal_point")
    chair = type(chair).objects.get(pk=chair.pk)

    # then they cannot bring UNICEF in, nor designate themselves (nor may the designated manager)
    with pytest.raises(ValidationError, match="nobody decides their own role"):
        services.add_participant(working_group=wg(2), organization=unicef, role="member", by=chair)
    for person in (chair, designated):
        with pytest.raises(ValidationError, match="designate someone else"):
            services.designate_manager(working_group=wg(2), person=person, by=person)
    assert not Participation.objects.filter(working_group=wg(2), organization=unicef).exists()
    # while the Secretariat, which administers participation, may add UNICEF
    services.add_participant(working_group=wg(2), organization=unicef, role="member", by=secretariat)


def test_designating_by_address_tells_nobody_who_has_an_account(chair, make_user):
    make_user("gone@example.org", is_active=False)
    make_user("loose@example.org")
    client = signed_in(chair)
    answers = set()
    for email in ("gone@example.org", "loose@example.org", "nobody@example.org"):
        response = client.post(members_page(), {"action": "manager", "manager-email": email})
        assert response.status_code == 200
        page = response.content.decode()
        answers.add(page[page.find('id="id_manager-email-error"') :][:200].replace(email, "…"))
    assert len(answers) == 1
    assert "Nobody in the directory has this email address." in answers.pop()
