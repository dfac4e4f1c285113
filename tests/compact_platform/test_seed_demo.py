"""seed_demo: one demo account per role in real organisations; idempotent; never by accident in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from directory.models import SECRETARIAT_GROUP, Membership, User

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
    assert (
        User.objects.get(email="secretariat@demo.compact.example")
        .groups.filter(name=SECRETARIAT_GROUP)
        .exists()
    )


def test_running_twice_duplicates_nothing(compact):
    seed()
    seed("--password", "another-demo-password")

    assert User.objects.filter(email__endswith="@demo.compact.example").count() == 6
    assert Membership.objects.filter(user__email__endswith="@demo.compact.example").count() == 6
    assert User.objects.get(email="focal.au@demo.compact.example").check_password("another-demo-password")


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
