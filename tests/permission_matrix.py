"""The permission matrix: every URL pattern of the project, requested as every role, with the expected answer.

Modules plug in by adding rows to ``ROWS`` (one per URL name). ``tests/test_permission_matrix.py``
enumerates the project's URL patterns and fails on any pattern without a row, so a new URL cannot ship
without saying who may open it.

Expectations are HTTP status codes per role; ``LOGIN`` means "redirected to the sign-in page". Rows for
objects take their URL arguments from the ``World`` built for the test: a notice only its owner
organisation may see, a platform-wide notice, an access request, an organisation, a Working Group.

A content app keeps its rows next to its tests, in ``tests/<app>/matrix.py``: a ``ROWS`` list and a
``build(world)`` that creates the app's objects and keeps them in ``world.extra`` (listed in ``APPS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.utils.crypto import get_random_string

from directory.access import Visibility
from directory.demo import secretariat_group
from directory.models import AccessRequest, Invitation, MembershipRole, Organization, User, WorkingGroup
from notices.models import Notice

LOGIN = "login"
ROLES = ("anonymous", "outsider", "focal_a", "focal_b", "wg_chair", "org_admin", "secretariat")
SIGNED_IN = ROLES[1:]

#: A notice only its owner (UNODC, focal_a's organisation) may see: its title must not leak anywhere else.
PRIVATE_TITLE = "Owner-only notice of UNODC"


@dataclass
class World:
    """The objects the matrix requests, and one user per role."""

    users: dict[str, User]
    private_notice: Notice
    platform_notice: Notice
    access_request: AccessRequest
    organization: Organization  # UNDP, org_admin's organisation
    working_group: WorkingGroup
    invitation_token: str
    #: The content apps' objects, by the names their ``build`` chose.
    extra: dict = field(default_factory=dict)


def build_world(make_user) -> World:
    def org(key: str) -> Organization:
        return Organization.objects.get(reference_key=key)

    users = {
        "outsider": make_user("outsider@example.org"),
        "focal_a": make_user("focal.a@example.org", organization=org("entity:UNODC")),
        "focal_b": make_user("focal.b@example.org", organization=org("state:KEN")),
        "wg_chair": make_user("chair@example.org", organization=org("entity:CTED")),
        "org_admin": make_user(
            "admin@example.org", organization=org("entity:UNDP"), role=MembershipRole.ORGANIZATION_ADMIN
        ),
        "secretariat": make_user("secretariat@example.org", organization=org("entity:UNOCT")),
    }
    users["secretariat"].groups.add(secretariat_group())
    private = Notice.objects.create(
        title=PRIVATE_TITLE, body="x", owner=org("entity:UNODC"), visibility=Visibility.OWNER
    )
    public = Notice.objects.create(title="Platform notice", body="x", owner=org("entity:CTED"))
    public.visibility = Visibility.PLATFORM
    public.save()
    access_request = AccessRequest.objects.create(
        full_name="Visitor", email="visitor@example.org", organization_name="UNDP", job_title="Officer",
        justification="Focal point",
    )  # fmt: skip
    invitation = Invitation(email="invitee@example.org", organization=org("entity:UNDP"), role="focal_point")
    token = invitation.issue_token()
    invitation.save()
    world = World(
        users=users,
        private_notice=private,
        platform_notice=public,
        access_request=access_request,
        organization=org("entity:UNDP"),
        working_group=WorkingGroup.objects.get(number=2),
        invitation_token=token,
    )
    for module in APP_MODULES:
        module.build(world)
    return world


@dataclass(frozen=True)
class Row:
    """Who gets what at one URL. ``kwargs`` builds the URL arguments from the world."""

    name: str
    expect: dict[str, int | str]
    kwargs: object = None
    #: Text that must not appear in the page for these roles (no foreign restricted rows in lists).
    hidden: dict[str, str] = field(default_factory=dict)


def everyone(status, anonymous=LOGIN, **overrides) -> dict[str, int | str]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status), **overrides}


def secretariat_only(status=200) -> dict[str, int | str]:
    return everyone(403, secretariat=status)


NOT_OWNER = {"outsider": 404, "focal_b": 404, "wg_chair": 404, "org_admin": 404, "secretariat": 404}

ROWS: list[Row] = [
    # dashboard
    Row("dashboard:landing", everyone(302, anonymous=200)),
    Row("dashboard:home", everyone(200)),
    Row("core:health", everyone(200, anonymous=200)),
    # accounts: anonymous forms; signed-in people are sent home
    Row("directory:request_access", everyone(302, anonymous=200)),
    Row("directory:access_requested", everyone(200, anonymous=200)),
    Row(
        "directory:accept_invitation",
        everyone(302, anonymous=200),
        kwargs=lambda w: {"token": w.invitation_token},
    ),
    # organisation admins manage their own organisation's people; the Secretariat any
    Row(
        "directory:members",
        everyone(403, org_admin=200, secretariat=200),
        kwargs=lambda w: {"pk": w.organization.pk},
    ),
    # the Secretariat's administration
    Row("directory:access_requests", secretariat_only()),
    Row("directory:access_request", secretariat_only(), kwargs=lambda w: {"pk": w.access_request.pk}),
    Row("directory:invite", secretariat_only()),
    Row("directory:invitations", secretariat_only()),
    Row("directory:organizations", secretariat_only()),
    Row("directory:organization_new", secretariat_only()),
    Row("directory:organization", secretariat_only(), kwargs=lambda w: {"pk": w.organization.pk}),
    # POST only: the Secretariat's GET is 405, everyone else is refused before the method is looked at
    Row("directory:organization_active", secretariat_only(405), kwargs=lambda w: {"pk": w.organization.pk}),
    Row("directory:users", secretariat_only()),
    Row("directory:user", secretariat_only(), kwargs=lambda w: {"pk": w.users["focal_a"].pk}),
    Row("directory:working_groups", secretariat_only()),
    Row("directory:audit_changes", secretariat_only()),
    Row("directory:audit_security", secretariat_only()),
    # the directory: anyone signed in finds people; a person edits their own profile (focal_a here)
    Row("directory:people", everyone(200)),
    Row("directory:my_profile", everyone(302)),
    Row("directory:person", everyone(200), kwargs=lambda w: {"pk": w.users["focal_a"].pk}),
    Row(
        "directory:edit_profile",
        everyone(403, focal_a=200),
        kwargs=lambda w: {"pk": w.users["focal_a"].pk},
    ),
    # no photo uploaded: nothing to serve
    Row("directory:photo", everyone(404), kwargs=lambda w: {"pk": w.users["focal_a"].pk}),
    # organisations: pages for everyone signed in; the profile editor for its admins and the Secretariat
    Row("directory:organization_list", everyone(200)),
    Row("directory:organization_page", everyone(200), kwargs=lambda w: {"pk": w.organization.pk}),
    Row(
        "directory:organization_edit",
        everyone(403, org_admin=200, secretariat=200),
        kwargs=lambda w: {"pk": w.organization.pk},
    ),
    Row("directory:coverage", secretariat_only()),
    # exports: contact cards for anyone signed in; tables for the Secretariat and organisation admins
    Row("directory:person_vcard", everyone(200), kwargs=lambda w: {"pk": w.users["focal_a"].pk}),
    Row(
        "directory:people_export",
        everyone(403, org_admin=200, secretariat=200),
        kwargs=lambda w: {"format": "csv"},
    ),
    # the focal-point lifecycle: reconfirming one's own details; a handover by the organisation's managers
    Row("directory:reconfirm", everyone(200)),
    Row("directory:membership_requests", everyone(200)),
    Row(
        "directory:handover",
        everyone(403, org_admin=200, secretariat=200),
        kwargs=lambda w: {"pk": w.organization.pk},
    ),
    # notices: the owner-only notice is a 404 for everyone outside UNODC, the Secretariat included
    Row(
        "notices:list",
        everyone(200),
        hidden=dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], PRIVATE_TITLE),
    ),
    Row("notices:new", everyone(200)),
    Row("notices:detail", everyone(200, **NOT_OWNER), kwargs=lambda w: {"pk": w.private_notice.pk}),
    Row("notices:edit", everyone(200, **NOT_OWNER), kwargs=lambda w: {"pk": w.private_notice.pk}),
    Row("notices:share", everyone(200, **NOT_OWNER), kwargs=lambda w: {"pk": w.private_notice.pk}),
]


def _random_key(_world) -> dict:
    return {"key": get_random_string(20)}


# django-allauth's pages: what each role meets there (sign-in pages send signed-in people on; account
# pages send anonymous visitors to sign in; flows that need a pending step answer with a redirect).
ROWS += [
    Row("account_login", everyone(302, anonymous=200)),
    Row("account_logout", everyone(200, anonymous=302)),
    Row("account_inactive", everyone(200, anonymous=200)),
    Row("account_signup", everyone(302, anonymous=200)),
    Row("account_reauthenticate", everyone(200)),
    Row("account_request_reauthentication_code", everyone(302)),
    Row("account_confirm_reauthentication_code", everyone(302)),
    Row("account_email", everyone(200)),
    Row("account_email_verification_sent", everyone(200, anonymous=200)),
    Row("account_change_password", everyone(200)),
    Row("account_set_password", everyone(302)),
    Row("account_reset_password", everyone(200, anonymous=200)),
    Row("account_confirm_login_code", everyone(302, anonymous=302)),
    Row("account_confirm_email", everyone(200, anonymous=200), kwargs=_random_key),
    Row("account_reset_password_from_key_done", everyone(200, anonymous=200)),
    Row(
        "account_reset_password_from_key",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"uidb36": "zz", "key": get_random_string(20)},
    ),
    Row("account_reset_password_done", everyone(200, anonymous=200)),
    Row("mfa_index", everyone(200)),
    Row("mfa_authenticate", everyone(302, anonymous=302)),
    Row("mfa_reauthenticate", everyone(200)),
    Row("mfa_activate_totp", everyone(302)),
    Row("mfa_deactivate_totp", everyone(302)),
    # no recovery codes were generated for the matrix's users: allauth answers 404
    Row("mfa_view_recovery_codes", everyone(404)),
    Row("mfa_generate_recovery_codes", everyone(302)),
    Row("mfa_download_recovery_codes", everyone(404)),
    Row("mfa_list_webauthn", everyone(200)),
    Row("mfa_add_webauthn", everyone(302)),
    Row("mfa_reauthenticate_webauthn", everyone(302)),
    Row("mfa_remove_webauthn", everyone(302), kwargs=lambda w: {"pk": 999_999}),
    Row("mfa_edit_webauthn", everyone(302), kwargs=lambda w: {"pk": 999_999}),
    Row("usersessions_list", everyone(200)),
]

# Django's technical admin is for staff only, and no matrix role is staff: its sign-in page answers,
# signing out goes back to it, and every other admin URL (the namespace rule below) redirects there.
ROWS += [
    Row("admin:login", everyone(200, anonymous=200)),
    Row("admin:logout", everyone(302, anonymous=302)),
]

#: Namespaces answered as a whole, for their URLs without a row of their own.
NAMESPACES = {"admin": everyone(302, anonymous=302)}

#: The content apps' own matrix modules (tests/<app>/matrix.py).
APPS = ("library", "calendar_app", "notifications", "discussions", "planning", "working_groups")
APP_MODULES = [import_module(f"tests.{app}.matrix") for app in APPS]
for _module in APP_MODULES:
    ROWS += _module.ROWS
