"""The registry's part of ``seed_demo``: one demo account per role, in real Compact organisations."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from compact_platform.demo import DEMO_EMAIL_DOMAIN, DemoRun
from directory.models import SECRETARIAT_GROUP, Membership, MembershipRole, Organization, User

#: role key -> (label, local part of the email, full name, organisation reference key, membership role)
DEMO_ACCOUNTS = {
    "secretariat": (
        "Secretariat (UNOCT)",
        "secretariat",
        "Amina Rahman",
        "entity:UNOCT",
        MembershipRole.FOCAL_POINT,
    ),
    "entity_focal_point": (
        "Entity focal point (UNODC)",
        "focal.unodc",
        "Lucas Moreau",
        "entity:UNODC",
        MembershipRole.FOCAL_POINT,
    ),
    "state_focal_point": (
        "Member State focal point (Kenya)",
        "focal.kenya",
        "Wanjiru Kamau",
        "state:KEN",
        MembershipRole.FOCAL_POINT,
    ),
    "regional_focal_point": (
        "Regional organisation focal point (AU)",
        "focal.au",
        "Kwame Mensah",
        "regional:AU",
        MembershipRole.FOCAL_POINT,
    ),
    "wg_chair": (
        "WG chair (CTED, chair of WG 2)",
        "chair.cted",
        "Elena Petrova",
        "entity:CTED",
        MembershipRole.FOCAL_POINT,
    ),
    "organization_admin": (
        "Organisation admin (UNDP)",
        "admin.undp",
        "Carlos Mendes",
        "entity:UNDP",
        MembershipRole.ORGANIZATION_ADMIN,
    ),
}


def secretariat_group() -> Group:
    """The Secretariat's group, allowed to administer the registry (not to read others' content)."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="directory"))
    return group


def seed(run: DemoRun) -> None:
    organizations = Organization.objects.in_bulk(
        [account[3] for account in DEMO_ACCOUNTS.values()], field_name="reference_key"
    )
    for role, (label, local_part, full_name, org_key, membership_role) in DEMO_ACCOUNTS.items():
        email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"full_name": full_name, "is_active": True, "is_staff": role == "secretariat"},
        )
        user.set_password(run.password)
        user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, organization=organizations[org_key], role=membership_role, ended_at=None
        )
        if role == "secretariat":
            user.groups.add(secretariat_group())
        run.users[role] = user
        run.logins.append((label, email))
    run.write(f"directory: {len(DEMO_ACCOUNTS)} demo accounts")
