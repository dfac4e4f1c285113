"""seed_demo: one demo account per role in real organisations, some sixty focal points with profiles across
entities, Member States and regional organisations; idempotent; never by accident in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from directory.demo import DEMO_PEOPLE, email_of
from directory.models import (
    SECRETARIAT_GROUP,
    ContactVisibility,
    Membership,
    MembershipRole,
    OrganizationKind,
    Profile,
    User,
)
from directory.people import people_for, search

DEMO_EMAILS = {
    "secretariat@demo.compact.example": ("UNOCT", "focal_point"),
    "focal.unodc@demo.compact.example": ("UNODC", "focal_point"),
    "focal.kenya@demo.compact.example": ("", "focal_point"),
    "focal.au@demo.compact.example": ("AU", "focal_point"),
    "chair.cted@demo.compact.example": ("CTED", "focal_point"),
    "admin.undp@demo.compact.example": ("UNDP", "organization_admin"),
}


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--allow-production", *args, stdout=out)
    return out.getvalue()


def test_one_account_per_role_with_logins_printed(compact):
    output = seed()

    demo = User.objects.filter(email__endswith="@demo.compact.example")
    assert set(demo.values_list("email", flat=True)) == set(DEMO_EMAILS)
    for email, (acronym, role) in DEMO_EMAILS.items():
        membership = Membership.objects.select_related("organization").get(user__email=email)
        assert (membership.organization.acronym, membership.role) == (acronym, role)
        assert email in output
    assert Membership.objects.get(user__email="focal.kenya@demo.compact.example").organization.iso3 == "KEN"
    assert "password for all of them: compact-demo-2026" in output
    secretariat = User.objects.get(email="secretariat@demo.compact.example")
    assert secretariat.groups.filter(name=SECRETARIAT_GROUP).exists()
    # and no demo account is staff or superuser, nor holds a Django permission: the Secretariat's role is
    # the application's (directory.rules), and Django's admin stays closed to it
    assert not User.objects.filter(email__endswith="@demo.compact.example", is_staff=True).exists()
    assert not User.objects.filter(email__endswith="@demo.compact.example", is_superuser=True).exists()
    assert secretariat.get_all_permissions() == set()


def test_running_twice_duplicates_nothing(compact):
    seed()
    seed("--password", "another-demo-password")

    assert User.objects.filter(email__endswith="@demo.compact.example").count() == 6
    assert Membership.objects.filter(user__email__endswith="@demo.compact.example").count() == 6
    assert User.objects.get(email="focal.au@demo.compact.example").check_password("another-demo-password")
    people = User.objects.filter(email__endswith=".demo.compact.example")
    assert people.count() == len(DEMO_PEOPLE)
    assert (
        Profile.objects.filter(user__email__endswith="demo.compact.example").count() == len(DEMO_PEOPLE) + 6
    )
    roles = sum(len(person.roles.split()) for person in DEMO_PEOPLE)
    assert Membership.objects.filter(user__in=people).count() == roles


def test_a_rerun_updates_the_demo_people_in_place(compact):
    # given a demo whose people were edited since (a profile, a role)
    seed()
    person = DEMO_PEOPLE[0]
    user = User.objects.get(email=email_of(person))
    Profile.objects.filter(user=user).update(job_title="Something else", languages=["ko"])
    organization = user.memberships.first().organization
    Membership.objects.create(user=user, organization=organization, role=MembershipRole.ALTERNATE)

    # when the demo is seeded again
    seed()

    # then the person is as the demo describes them, their extra role ended (not deleted)
    user.refresh_from_db()
    assert user.profile.job_title == person.job_title
    assert user.profile.languages == person.languages.split()
    current = Membership.objects.filter(user=user, ended_at__isnull=True)
    assert sorted(current.values_list("role", flat=True)) == sorted(person.roles.split())
    assert Membership.objects.filter(user=user, ended_at__isnull=False).count() == 1


def test_focal_points_across_entities_member_states_and_regional_organisations(compact):
    output = seed()

    people = User.objects.filter(email__endswith=".demo.compact.example")
    assert 55 <= people.count() <= 70
    assert f"{len(DEMO_PEOPLE)} focal points" in output
    memberships = Membership.objects.filter(user__in=people, ended_at__isnull=True)
    by_kind = {
        kind: memberships.filter(organization__kind=kind).values("organization").distinct().count()
        for kind in OrganizationKind.values
    }
    assert by_kind[OrganizationKind.COMPACT_ENTITY] >= 15
    assert by_kind[OrganizationKind.MEMBER_STATE] >= 20
    assert by_kind[OrganizationKind.REGIONAL_ORGANIZATION] >= 6
    regions = memberships.filter(organization__kind=OrganizationKind.MEMBER_STATE).values_list(
        "organization__region", flat=True
    )
    assert len(set(regions)) == 5  # every UN regional group
    # the organisations that lead Working Groups have focal points too
    leaders = {"CTED", "UNOCT", "UNODC", "WCO", "INTERPOL"}
    assert leaders <= set(memberships.values_list("organization__acronym", flat=True))
    assert memberships.filter(role=MembershipRole.ALTERNATE).exists()
    assert memberships.filter(role=MembershipRole.ORGANIZATION_ADMIN).exists()

    # each with a full profile, contact details varied in who sees them
    profiles = Profile.objects.filter(user__in=people)
    assert profiles.count() == people.count()
    for profile in profiles.prefetch_related("expertise_pillars"):
        assert all((profile.job_title, profile.languages, profile.country))
        assert profile.time_zone != "UTC"
        assert 1 <= len(profile.expertise_tags) <= 3
        assert profile.expertise_pillars.count() <= 2
        assert profile.search_vector
        for phone in (profile.phone_office, profile.phone_mobile):
            assert not phone or phone.startswith("+")
    assert set(profiles.values_list("email_visibility", flat=True)) == set(ContactVisibility.values)
    assert set(profiles.values_list("phone_visibility", flat=True)) == set(ContactVisibility.values)
    # the six role accounts have a profile as well, with the safe defaults
    accounts = Profile.objects.filter(user__email__endswith="@demo.compact.example")
    assert accounts.count() == 6
    assert set(accounts.values_list("phone_visibility", flat=True)) == {ContactVisibility.ORGANIZATION}


@pytest.mark.parametrize(
    ("query", "email"),
    [
        ("Aïssatou", "aissatou.sow@sen.demo.compact.example"),  # a name, accents or not
        ("aissatou senegal", "aissatou.sow@sen.demo.compact.example"),  # a name and the country
        ("container control", "ploy.srisuwan@unodc.demo.compact.example"),  # a job title
        ("CICTE", "gabriela.moreno@oas.demo.compact.example"),
        ("interpol biometrics", "andres.villalobos@interpol.demo.compact.example"),  # organisation, theme
        ("swahili kenya", "brian.rotich@ken.demo.compact.example"),
    ],
)
def test_demo_people_are_found_by_the_directory_search(compact, query, email):
    seed()
    reader = User.objects.get(email="focal.kenya@demo.compact.example")

    found = list(search(people_for(reader), query).values_list("email", flat=True))

    assert email in found


def test_demo_account_signs_in_and_sees_its_working_group_role(client, compact, settings):
    # the demo relaxes MFA (make run sets MFA_REQUIRED=false)
    settings.MFA_REQUIRED = False
    seed()
    response = client.post(
        "/accounts/login/", {"login": "chair.cted@demo.compact.example", "password": "compact-demo-2026"}
    )
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert "Border Management and Law Enforcement" in home.content.decode()


def test_refuses_known_passwords_when_debug_is_off(compact, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing to create demo accounts"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(email__endswith="@demo.compact.example").exists()


def test_decisions_wait_for_the_secretariat_and_for_a_focal_point(compact):
    from directory.models import AccessRequest, MembershipRequest

    # given the demo, run twice
    seed()
    seed()
    # then the Secretariat has one visitor's request to decide, and the UNODC focal point one request to
    # accept or decline (from UNDP's admin), each once
    assert list(AccessRequest.objects.filter(status="pending").values_list("full_name", flat=True)) == [
        "Lena Hoffmann"
    ]
    waiting = MembershipRequest.objects.pending().get()
    assert waiting.user.email == "focal.unodc@demo.compact.example"
    assert waiting.organization.reference_key == "entity:UNDP"
    assert waiting.requested_by.email == "admin.undp@demo.compact.example"
