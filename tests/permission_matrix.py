"""The permission matrix: every URL pattern of the project, requested as every role, with the expected answer.

**Reads.** ``ROWS`` holds one ``Row`` per URL name: the answer each role gets to a GET (an HTTP status, or
``LOGIN``: redirected to the sign-in page), and text a list must not show them. A POST-only view answers a
signed-in GET with 405.

**Writes.** ``POST_ROWS`` holds a ``PostRow`` per URL that accepts POST (one per action where a view
multiplexes several on one URL with an ``action`` field): a *valid* body — one that succeeds for someone
allowed — posted as every role, and the outcome each role must get:

- ``DONE``: the write happened — the row's ``done(world)`` reads the database and finds it (a status code
  alone proves nothing), and the answer is no error;
- ``403`` / ``404`` / any other status: that answer, and nothing written;
- ``LOGIN``: redirected to the sign-in page, nothing written;
- ``REFUSED``: the form or page comes back with a message or form errors (a business rule, a choice the
  role may not make) and nothing was written.

``done(world)`` must be false before the POST (checked for every row and role): a row whose objects an
earlier row already changed would pass for the wrong reason, so destructive rows get objects of their own.
The world knows the role being run (``world.role`` / ``world.actor``) for rows about one's own data.
Rows of one role run in order on one fresh world; after each row the client is put back as the role (a row
may sign out, sign in as someone else, or remove the role's second factor).

``tests/test_permission_matrix.py`` enumerates the project's URL patterns and fails on any pattern without a
row, and on any pattern accepting POST without a POST row or an entry in ``POST_EXEMPT``, so a new URL
cannot ship without saying who may open it and who may write through it.

A content app keeps its rows next to its tests, in ``tests/<app>/matrix.py``: ``ROWS``, ``POST_ROWS`` and a
``build(world)`` that creates the app's objects and keeps them in ``world.extra`` (listed in ``APPS``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial
from importlib import import_module

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from allauth.usersessions.models import UserSession
from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase
from django.test.utils import ContextList
from django.urls import reverse
from django.utils.crypto import get_random_string
from fido2.cose import ES256
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)
from guardian.shortcuts import assign_perm

from core.models import SecurityEvent, SecurityEventKind
from directory import models as registry  # access requests and invitations
from directory.access import Visibility
from directory.demo import secretariat_group
from directory.forms import OrganizationForm, OrganizationProfileForm, ProfileForm
from directory.models import (
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    MembershipRole,
    Organization,
    Profile,
    User,
    WorkingGroup,
)
from directory.profiles import profile_of
from notices.forms import NoticeForm
from notices.models import Notice
from tests.conftest import TEST_PASSWORD, enrol_totp, totp_code

LOGIN = "login"
DONE = "done"
REFUSED = "refused"
ROLES = ("anonymous", "outsider", "focal_a", "focal_b", "wg_chair", "org_admin", "secretariat")
SIGNED_IN = ROLES[1:]

#: The password of every person the matrix creates (tests/conftest.py's make_user), and the one rows set.
PASSWORD = TEST_PASSWORD
NEW_PASSWORD = "another-long-test-password-42"

#: A notice only its owner (UNODC, focal_a's organisation) may see: its title must not leak anywhere else.
PRIVATE_TITLE = "Owner-only notice of UNODC"

#: Written by the rows that edit something, so that ``done`` can tell the edit happened.
EDITED = "Edited through the permission matrix"

#: Before any row runs, the role users' details were last confirmed then (the reconfirm row moves it).
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def org(key: str) -> Organization:
    return Organization.objects.get(reference_key=key)


@dataclass
class World:
    """The objects the matrix requests, one user per role, and the role being run."""

    users: dict[str, User]
    private_notice: Notice
    platform_notice: Notice
    access_request: registry.AccessRequest
    organization: Organization  # UNDP, org_admin's organisation
    working_group: WorkingGroup
    invitation_token: str
    make_user: Callable = field(repr=False, default=None)
    #: The content apps' objects (and the POST rows' own objects), by the names their ``build`` chose.
    extra: dict = field(default_factory=dict)
    #: The role the rows are posted as (set by ``run_post_rows``).
    role: str = "anonymous"

    @property
    def actor(self) -> User | None:
        """The user posting (None for anonymous visitors): for rows about one's own data."""
        return self.users.get(self.role)


def build_world(make_user) -> World:
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
    access_request = registry.AccessRequest.objects.create(
        full_name="Visitor", email="visitor@example.org", organization_name="UNDP", job_title="Officer",
        justification="Focal point",
    )  # fmt: skip
    invitation = registry.Invitation(
        email="invitee@example.org", organization=org("entity:UNDP"), role="focal_point"
    )
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
        make_user=make_user,
    )
    _build_for_posts(world)
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
    # the language switcher: POST only, for everyone
    Row("directory:language", everyone(405, anonymous=405)),
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
    Row("directory:audit_changes_export", secretariat_only()),
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
    # focal_a holds security keys (the POST rows rename and remove them): it may re-authenticate with one
    Row("mfa_reauthenticate_webauthn", everyone(302, focal_a=200)),
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

#: Namespaces answered as a whole, for their URLs without a row of their own (GET and POST alike: an
#: empty POST to every admin URL must meet the same redirect, before any admin view reads it).
NAMESPACES = {"admin": everyone(302, anonymous=302)}


# --- Writes -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostRow:
    """A valid POST to one URL (one action of it), the outcome each role gets, and how to see it was done.

    ``data(world)`` is the body (built at posting time: uploads are read once); ``done(world)`` reads the
    database and says whether the write happened; ``prepare(client, world)`` runs a step the session needs
    first (re-authentication, the password step before a second factor); ``jobs`` runs the after-commit
    jobs of the request (a row whose only effect is an email)."""

    name: str
    expect: dict[str, int | str]
    done: Callable[[World], bool]
    data: Callable[[World], dict] = lambda world: {}  # most action URLs take no body
    kwargs: Callable[[World], dict] | None = None
    #: Which action (or case) of the URL the row posts, for views with several on one URL.
    label: str = ""
    prepare: Callable[[Client, World], None] | None = None
    jobs: bool = False
    #: The API's other writes: "put", "patch" or "delete", sent as JSON (a POST is sent as a form).
    method: str = "post"

    @property
    def title(self) -> str:
        name = self.name if self.method == "post" else f"{self.method.upper()} {self.name}"
        return f"{name} [{self.label}]" if self.label else name


def form_body(form: forms.Form, **changes) -> dict:
    """What a browser sends for ``form`` as rendered (its initial values), with ``changes`` (POST keys):
    the body of an edit that changes one field and keeps every other as it is."""
    body = {}
    for name, form_field in form.fields.items():
        if form_field.disabled or isinstance(form_field, forms.FileField):
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(form_field.widget, forms.CheckboxInput):
            if value:
                body[key] = "on"
        elif isinstance(value, list | tuple):
            body[key] = [str(item) for item in value]
        elif isinstance(form_field, forms.MultipleChoiceField) and value is None:
            continue  # nothing ticked: a browser sends no value at all
        elif isinstance(value, date | time):
            body[key] = form_field.widget.format_value(value)
        else:
            body[key] = "" if value is None else str(value)
    return {**body, **changes}


def sign_in_as(client: Client, world: World, role: str) -> None:
    """Make the client the role again, as the world gave it: signed in (or not) as the role's user, with
    the second factor every role user has."""
    user = world.users.get(role)
    current = client.session.get(SESSION_KEY)
    if user is None:
        if current is not None:
            client.logout()
        return
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        enrol_totp(user)  # a row removed it: every role user has one
    if current != str(user.pk):
        client.force_login(user)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _told(response) -> bool:
    """Did the answer tell the user something: a message, or a form with errors?"""
    if list(get_messages(response.wsgi_request)):
        return True
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    for context in filter(None, contexts):
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
                return True
    return False


def _matches(expected, response, done: bool) -> bool:
    if expected == DONE:
        return done and response.status_code < 400
    if done:
        return False
    if expected == LOGIN:
        return _is_login_redirect(response)
    if expected == REFUSED:
        return (
            response.status_code in (200, 302, 400) and not _is_login_redirect(response) and _told(response)
        )
    return response.status_code == expected


def _describe(response, done: bool) -> str:
    status = response.status_code
    if done:
        return f"DONE ({status})"
    if _is_login_redirect(response):
        return "LOGIN"
    error = getattr(response, "exc_info", None)
    if error:
        return f"{status} ({error[1]!r})"
    told = " with a message" if status < 500 and _told(response) else ""
    where = f" to {response['Location']}" if status in (301, 302) else ""
    return f"{status}{where}{told}, nothing written"


def post_row(client: Client, world: World, row: PostRow):
    """Post the row's body; returns the response and whether the write is done. A request that fails with
    a server error is rolled back on its own, so the rows after it still run."""
    if row.prepare is not None:
        row.prepare(client, world)
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    client.cookies.pop("messages", None)  # only this request's messages count
    if row.method == "post":
        send = client.post
    else:
        send = partial(getattr(client, row.method), content_type="application/json")
    with transaction.atomic():
        if row.jobs:
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = send(url, row.data(world))
        else:
            response = send(url, row.data(world))
        if response.status_code >= 500:
            transaction.set_rollback(True)
    return response, response.status_code < 500 and row.done(world)


def run_post_rows(client: Client, world: World, role: str, rows: list[PostRow]) -> list[str]:
    """Post every row as ``role``, in order; the mismatches with the expected outcomes, one line each."""
    world.role = role
    client.raise_request_exception = False  # a 500 is a finding of the matrix, not a crash of the run
    failures = []
    for row in rows:
        expected = row.expect[role]
        if row.done(world):
            failures.append(f"{row.title}: already done before the POST (give the row objects of its own)")
            continue
        response, done = post_row(client, world, row)
        if not _matches(expected, response, done):
            failures.append(f"{row.title}: expected {expected}, got {_describe(response, done)}")
        sign_in_as(client, world, role)
    return failures


# Shared pieces of rows: re-authentication, the session of the request, the content rules' shapes.


def reauthenticate(client: Client, world: World) -> None:
    """Confirm the password again (allauth asks before changing email, password or second factors)."""
    remember_session(client, world)
    if world.actor is not None:
        password = NEW_PASSWORD if _password_is(NEW_PASSWORD)(world) else PASSWORD
        client.post(reverse("account_reauthenticate"), {"password": password})


def remember_session(client: Client, world: World) -> None:
    world.extra["session_key"] = client.session.session_key


def session_data(world: World) -> dict:
    """The remembered session as stored in the database (empty once it ended)."""
    stored = Session.objects.filter(session_key=world.extra.get("session_key") or "").first()
    return stored.get_decoded() if stored else {}


def session_ended(world: World) -> bool:
    return bool(world.extra.get("session_key")) and not session_data(world)


def authenticated_by(method: str) -> Callable[[World], bool]:
    """The remembered session records an authentication by ``method`` (password, mfa, code): allauth's
    record of a sign-in or a re-authentication."""

    def done(world: World) -> bool:
        records = session_data(world).get("account_authentication_methods", [])
        return any(record.get("method") == method for record in records)

    return done


def signed_in(email: str) -> Callable[[World], bool]:
    return lambda w: SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN, user__email=email).exists()


def in_audience(obj, key: str) -> bool:
    return type(obj).objects.filter(pk=obj.pk, audience_organizations__reference_key=key).exists()


#: Every share row shares with Kenya and stops sharing with Germany, which the world already shared the
#: object with (``shared_beforehand``).
SHARED_BEFOREHAND = "state:DEU"


def shared_beforehand(obj) -> None:
    obj.audience_organizations.add(org(SHARED_BEFOREHAND))


def share_rows(name: str, expect: dict, kwargs, get_object: Callable[[World], object]) -> list[PostRow]:
    """The two actions of a content app's share page (``directory.views.share.ShareView``): share the object
    with an organisation, and stop sharing it with one."""

    def body(action: str, key: str):
        return lambda w: {"action": action, "emails": "", "organizations": [org(key).pk]}

    return [
        PostRow(
            name,
            expect,
            label="share",
            kwargs=kwargs,
            data=body("share", "state:KEN"),
            done=lambda w: in_audience(get_object(w), "state:KEN"),
        ),
        PostRow(
            name,
            expect,
            label="unshare",
            kwargs=kwargs,
            data=body("unshare", SHARED_BEFOREHAND),
            done=lambda w: not in_audience(get_object(w), SHARED_BEFOREHAND),
        ),
    ]


def edited(model, get_pk: Callable[[World], int], field_name: str = "title") -> Callable[[World], bool]:
    """Done check of the edit rows: the field holds ``EDITED``."""
    return lambda w: model._default_manager.filter(pk=get_pk(w), **{field_name: EDITED}).exists()


def totp_secret(user: User) -> str:
    return decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


# The directory's and the notices' writes.


def _build_for_posts(world: World) -> None:
    """The objects the directory's, the notices' and the accounts' POST rows act on: each destructive row
    its own."""
    make, undp, unodc = world.make_user, org("entity:UNDP"), org("entity:UNODC")
    admin, extra = world.users["org_admin"], world.extra
    for user in world.users.values():
        Profile.objects.update_or_create(user=user, defaults={"reconfirmed_at": LONG_AGO})
    extra["approve_request"] = registry.AccessRequest.objects.create(
        full_name="To approve", email="approve.me@example.org", organization_name="UNDP"
    )
    extra["reject_request"] = registry.AccessRequest.objects.create(
        full_name="To reject", email="reject.me@example.org", organization_name="Unknown"
    )
    # UNDP's people: roles the members page ends, a pending request it withdraws, a handover
    extra["leaving_membership"] = Membership.objects.get(
        user=make("leaving@undp.example.org", organization=undp)
    )
    extra["admin_membership"] = Membership.objects.get(
        user=make("second.admin@undp.example.org", organization=undp, role=MembershipRole.ORGANIZATION_ADMIN)
    )
    asked = make("asked@example.org", organization=unodc)
    extra["undp_request"] = MembershipRequest.objects.create(
        user=asked, organization=undp, role=MembershipRole.ALTERNATE, requested_by=admin
    )
    extra["leaver"] = make("leaver@undp.example.org", organization=undp)
    extra["successor"] = make("successor@undp.example.org", organization=undp, role=MembershipRole.ALTERNATE)
    extra["leaving_admin"] = make(
        "leaving.admin@undp.example.org", organization=undp, role=MembershipRole.ORGANIZATION_ADMIN
    )
    extra["admin_successor"] = make("admin.successor@undp.example.org", organization=undp)
    # focal_b is asked to join an organisation that takes part in none of the world's groups (accepting
    # must not change what focal_b may do in the rows after): only focal_b answers
    for name, key in (("request_to_accept", "regional:CSTO"), ("request_to_decline", "regional:GCC")):
        extra[name] = MembershipRequest.objects.create(
            user=world.users["focal_b"], organization=org(key), role=MembershipRole.ALTERNATE,
            requested_by=world.users["secretariat"],
        )  # fmt: skip
    # the Secretariat's user page: one person per action
    extra["to_deactivate"] = make("to.deactivate@example.org", organization=unodc)
    extra["to_reactivate"] = make("to.reactivate@example.org", organization=unodc, is_active=False)
    extra["mfa_lost"] = make("lost.phone@example.org", organization=unodc)
    extra["role_ends"] = make("role.ends@example.org", organization=unodc)
    extra["role_to_end"] = Membership.objects.get(user=extra["role_ends"])
    extra["role_to_add"] = make("role.added@example.org", organization=unodc)
    # UNDP's admin may edit CTED's platform-wide notice (a "change" grant), never share it
    assign_perm("notices.change_notice", admin, world.platform_notice)
    shared_beforehand(world.platform_notice)
    extra["org_to_edit"] = Organization.objects.create(kind="other", name="Organisation to rename")
    extra["org_to_deactivate"] = Organization.objects.create(kind="other", name="Organisation to deactivate")
    # accounts: a sign-in without and with a second factor, a password reset link, an address to confirm
    make("no.second.factor@example.org", organization=unodc, mfa=False)
    make("two.factors@example.org", organization=unodc)
    make("not.staff@example.org", organization=unodc)
    reset = make("forgot@example.org", organization=unodc)
    extra["reset_key"] = {
        "uidb36": user_pk_to_url_str(reset),
        "key": default_token_generator.make_token(reset),
    }
    address = EmailAddress.objects.create(
        user=make("confirms@example.org", organization=unodc), email="new.address@example.org"
    )
    extra["confirmation_key"] = EmailConfirmationHMAC(address).key
    # focal_a's security keys (WebAuthn): renamed and removed by their owner only
    for name in ("key_to_rename", "key_to_remove"):
        extra[name] = Authenticator.objects.create(
            user=world.users["focal_a"],
            type=Authenticator.Type.WEBAUTHN,
            data={"name": name, "credential": security_key_registration()},
        )


def security_key_registration() -> dict:
    """A security key's registration as a browser posts it (attestation "none"), for keys the matrix's
    users already hold: allauth lists, renames and removes them without verifying it again."""
    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    credential_id = secrets.token_bytes(16)
    authenticator_data = AuthenticatorData.create(
        hashlib.sha256(b"testserver").digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(bytes(16), credential_id, public_key),
    )
    response = AuthenticatorAttestationResponse(
        client_data=CollectedClientData.create("webauthn.create", b"challenge", "http://testserver"),
        attestation_object=AttestationObject.create("none", authenticator_data, {}),
    )
    return dict(RegistrationResponse(raw_id=credential_id, response=response))


def pk_of(name: str) -> Callable[[World], dict]:
    """URL arguments of a row about ``world.extra[name]``."""
    return lambda w: {"pk": w.extra[name].pk}


def _undp(world) -> dict:
    return {"pk": world.organization.pk}


def _status_is(model, name: str, status: str) -> Callable[[World], bool]:
    return lambda w: model.objects.filter(pk=w.extra[name].pk, status=status).exists()


def _ended(name: str) -> Callable[[World], bool]:
    return lambda w: Membership.objects.filter(pk=w.extra[name].pk, ended_at__isnull=False).exists()


def _handover(expected: dict, leaver: str, successor: str, role: str, **fields) -> PostRow:
    """The hand-over of the ``leaver``'s roles in UNDP to the ``successor``: done when the successor holds
    ``role`` there."""
    return PostRow(
        "directory:handover",
        expected,
        kwargs=_undp,
        data=lambda w: {"leaver": w.extra[leaver].pk, "successor": w.extra[successor].pk, "confirm": "on"},
        done=lambda w: Membership.objects.filter(
            user=w.extra[successor], organization=w.organization, role=role, ended_at__isnull=True
        ).exists(),
        **fields,
    )


def _user_action(action: str, person: str, done: Callable[[World], bool], **data) -> PostRow:
    return PostRow(
        "directory:user",
        secretariat_only(DONE),
        label=action,
        kwargs=pk_of(person),
        data=lambda w: {"action": action, **{key: value(w) for key, value in data.items()}},
        done=done,
    )


def _invite(email: str, role: str) -> Callable[[World], dict]:
    return lambda w: {
        "action": "invite",
        "invite-email": email,
        "invite-organization": w.organization.pk,
        "invite-role": role,
    }


def _invited(email: str) -> Callable[[World], bool]:
    return lambda w: registry.Invitation.objects.filter(email=email).exists()


#: Organisation admins manage their own organisation's people (UNDP here); the Secretariat any.
UNDP_MANAGERS = everyone(403, org_admin=DONE, secretariat=DONE)
#: Only the Secretariat grants and ends the organisation admin role: UNDP's admin is told no.
SECRETARIAT_GRANTS_ADMINS = everyone(403, org_admin=REFUSED, secretariat=DONE)
NEW_NOTICE = "Notice posted through the permission matrix"

POST_ROWS: list[PostRow] = [
    # the language switcher: a cookie for anyone, and the signed-in person's profile keeps the choice
    PostRow(
        "directory:language",
        everyone(DONE, anonymous=302),
        data=lambda w: {"language": "fr", "next": "/"},
        done=lambda w: Profile.objects.filter(user=w.actor, language="fr").exists(),
    ),
    # getting an account: anonymous forms; signed-in people are sent on and nothing is stored
    PostRow(
        "directory:request_access",
        everyone(302, anonymous=DONE),
        data=lambda w: {
            "full_name": "Grace Visitor",
            "email": "grace@example.org",
            "organization_name": "UNDP",
            "job_title": "Officer",
            "justification": "Focal point for Working Group 2.",
        },
        done=lambda w: registry.AccessRequest.objects.filter(email="grace@example.org").exists(),
    ),
    PostRow(
        "directory:accept_invitation",
        everyone(REFUSED, anonymous=DONE),  # "sign out first"
        kwargs=lambda w: {"token": w.invitation_token},
        data=lambda w: {"full_name": "Invited Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        done=lambda w: registry.Invitation.objects.filter(
            email="invitee@example.org", accepted_at__isnull=False
        ).exists(),
    ),
    # an organisation's people: its admins (focal points and alternates only) and the Secretariat
    PostRow(
        "directory:members",
        UNDP_MANAGERS,
        label="invite",
        kwargs=_undp,
        data=_invite("new.focal@undp.example.org", MembershipRole.FOCAL_POINT),
        done=_invited("new.focal@undp.example.org"),
    ),
    PostRow(
        "directory:members",
        SECRETARIAT_GRANTS_ADMINS,
        label="invite an organisation admin",
        kwargs=_undp,
        data=_invite("new.admin@undp.example.org", MembershipRole.ORGANIZATION_ADMIN),
        done=_invited("new.admin@undp.example.org"),
    ),
    # an organisation admin manages their own organisation only: UNODC's page is not UNDP's admin's
    PostRow(
        "directory:members",
        secretariat_only(DONE),
        label="invite to another organisation",
        kwargs=lambda w: {"pk": org("entity:UNODC").pk},
        data=lambda w: {
            **_invite("new.focal@unodc.example.org", MembershipRole.FOCAL_POINT)(w),
            "invite-organization": org("entity:UNODC").pk,
        },
        done=_invited("new.focal@unodc.example.org"),
    ),
    PostRow(
        "directory:members",
        UNDP_MANAGERS,
        label="end",
        kwargs=_undp,
        data=lambda w: {"action": "end", "membership": w.extra["leaving_membership"].pk},
        done=_ended("leaving_membership"),
    ),
    PostRow(
        "directory:members",
        SECRETARIAT_GRANTS_ADMINS,
        label="end an organisation admin's role",
        kwargs=_undp,
        data=lambda w: {"action": "end", "membership": w.extra["admin_membership"].pk},
        done=_ended("admin_membership"),
    ),
    PostRow(
        "directory:members",
        UNDP_MANAGERS,
        label="withdraw",
        kwargs=_undp,
        data=lambda w: {"action": "withdraw", "request": w.extra["undp_request"].pk},
        done=_status_is(MembershipRequest, "undp_request", MembershipRequestStatus.WITHDRAWN),
    ),
    _handover(UNDP_MANAGERS, "leaver", "successor", MembershipRole.FOCAL_POINT),
    _handover(
        SECRETARIAT_GRANTS_ADMINS,
        "leaving_admin",
        "admin_successor",
        MembershipRole.ORGANIZATION_ADMIN,
        label="an organisation admin's roles",
    ),
    PostRow(
        "directory:organization_edit",
        UNDP_MANAGERS,
        kwargs=_undp,
        data=lambda w: form_body(OrganizationProfileForm(instance=org("entity:UNDP")), description=EDITED),
        done=edited(Organization, lambda w: w.organization.pk, "description"),
    ),
    # the Secretariat's administration
    PostRow(
        "directory:access_request",
        secretariat_only(DONE),
        label="approve",
        kwargs=pk_of("approve_request"),
        data=lambda w: {
            "action": "approve",
            "approve-organization": w.organization.pk,
            "approve-role": "focal_point",
        },
        done=_status_is(registry.AccessRequest, "approve_request", registry.AccessRequestStatus.APPROVED),
    ),
    PostRow(
        "directory:access_request",
        secretariat_only(DONE),
        label="reject",
        kwargs=pk_of("reject_request"),
        data=lambda w: {"action": "reject", "reject-reason": "Not a Compact organisation."},
        done=_status_is(registry.AccessRequest, "reject_request", registry.AccessRequestStatus.REJECTED),
    ),
    PostRow(
        "directory:invite",
        secretariat_only(DONE),
        data=lambda w: {
            "email": "invited.by.secretariat@example.org",
            "full_name": "",
            "organization": org("entity:UNODC").pk,
            "role": MembershipRole.ORGANIZATION_ADMIN,
        },
        done=_invited("invited.by.secretariat@example.org"),
    ),
    PostRow(
        "directory:organization_new",
        secretariat_only(DONE),
        data=lambda w: {
            "kind": "other",
            "compact_status": "none",
            "name": "Organisation added by the matrix",
        },
        done=lambda w: Organization.objects.filter(name="Organisation added by the matrix").exists(),
    ),
    PostRow(
        "directory:organization",
        secretariat_only(DONE),
        kwargs=pk_of("org_to_edit"),
        data=lambda w: form_body(OrganizationForm(instance=w.extra["org_to_edit"]), name=EDITED),
        done=edited(Organization, lambda w: w.extra["org_to_edit"].pk, "name"),
    ),
    PostRow(
        "directory:organization_active",
        secretariat_only(DONE),
        kwargs=pk_of("org_to_deactivate"),
        data=lambda w: {"active": "0"},
        done=lambda w: Organization.objects.filter(
            pk=w.extra["org_to_deactivate"].pk, is_active=False
        ).exists(),
    ),
    _user_action(
        "deactivate",
        "to_deactivate",
        lambda w: User.objects.filter(pk=w.extra["to_deactivate"].pk, is_active=False).exists(),
    ),
    _user_action(
        "reactivate",
        "to_reactivate",
        lambda w: User.objects.filter(pk=w.extra["to_reactivate"].pk, is_active=True).exists(),
    ),
    _user_action(
        "reset_mfa", "mfa_lost", lambda w: not Authenticator.objects.filter(user=w.extra["mfa_lost"]).exists()
    ),
    _user_action(
        "end_membership",
        "role_ends",
        _ended("role_to_end"),
        membership=lambda w: w.extra["role_to_end"].pk,
    ),
    _user_action(
        "add_membership",
        "role_to_add",
        # the person belongs to UNODC only: UNDP asks them first (consent), which is the write
        lambda w: (
            MembershipRequest.objects.filter(user=w.extra["role_to_add"], organization=w.organization)
            .exclude(status=MembershipRequestStatus.WITHDRAWN)
            .exists()
        ),
        organization=lambda w: w.organization.pk,
        role=lambda w: MembershipRole.ALTERNATE,
    ),
    # people edit their own profile (an organisation admin their organisation's people: not UNODC's here)
    PostRow(
        "directory:edit_profile",
        everyone(403, focal_a=DONE),
        kwargs=lambda w: {"pk": w.users["focal_a"].pk},
        data=lambda w: form_body(
            ProfileForm(instance=profile_of(w.users["focal_a"]), person=w.users["focal_a"]), job_title=EDITED
        ),
        done=lambda w: Profile.objects.filter(user=w.users["focal_a"], job_title=EDITED).exists(),
    ),
    # one's own details and one's own requests: every signed-in person, for themselves only
    PostRow(
        "directory:reconfirm",
        everyone(DONE),
        done=lambda w: Profile.objects.filter(user=w.actor, reconfirmed_at__gt=LONG_AGO).exists(),
    ),
    *(
        PostRow(
            "directory:membership_requests",
            everyone(404, focal_b=DONE),  # anyone else's request is no choice of theirs
            label=answer,
            data=lambda w, answer=answer: {"request": w.extra[f"request_to_{answer}"].pk, "answer": answer},
            done=_status_is(MembershipRequest, f"request_to_{answer}", status),
        )
        for answer, status in (
            ("accept", MembershipRequestStatus.ACCEPTED),
            ("decline", MembershipRequestStatus.DECLINED),
        )
    ),
    # notices: created in the name of one's own organisation (UNODC's here); the owner (CTED) edits and
    # shares its platform-wide notice, which every other role reads but may not change (403) — but UNDP's
    # admin, who holds a "change" grant on it: an editor through a grant changes the text, never the audience
    PostRow(
        "notices:new",
        everyone(REFUSED, focal_a=DONE),
        data=lambda w: {
            "title": NEW_NOTICE,
            "body": "x",
            "owner": org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Notice.objects.filter(title=NEW_NOTICE).exists(),
    ),
    PostRow(
        "notices:edit",
        everyone(403, wg_chair=DONE, org_admin=DONE),
        kwargs=lambda w: {"pk": w.platform_notice.pk},
        data=lambda w: form_body(
            NoticeForm(instance=Notice.objects.get(pk=w.platform_notice.pk), user=w.users["wg_chair"]),
            title=EDITED,
        ),
        done=edited(Notice, lambda w: w.platform_notice.pk),
    ),
    *share_rows(
        "notices:share",
        everyone(403, wg_chair=DONE),
        kwargs=lambda w: {"pk": w.platform_notice.pk},
        get_object=lambda w: w.platform_notice,
    ),
]


def _other_session(client: Client, world: World) -> None:
    """The role signed in elsewhere too: the session that "sign out everywhere else" ends."""
    if world.actor is not None:
        elsewhere = Client()
        elsewhere.force_login(world.actor)
        elsewhere.get(reverse("dashboard:home"))  # allauth records the session on a request
        world.extra["other_session"] = elsewhere.session.session_key


def _two_factor_password_step(client: Client, world: World) -> None:
    client.post(reverse("account_login"), {"login": "two.factors@example.org", "password": PASSWORD})


def _reset_link_opened(client: Client, world: World) -> None:
    # allauth keeps the key in the session and sends the browser to the same URL without it
    client.get(reverse("account_reset_password_from_key", kwargs=world.extra["reset_key"]))


def _code_of(email: str) -> str:
    return totp_code(totp_secret(User.objects.get(email=email)))


def _password_is(password: str) -> Callable[[World], bool]:
    return lambda w: w.actor is not None and User.objects.get(pk=w.actor.pk).check_password(password)


#: django-allauth's pages, posted last: they sign in and out, change the role's password and second
#: factors (``sign_in_as`` puts the role back after each). Anyone holding credentials (a password, a
#: reset link, a confirmation key) uses them, signed in as someone else or not.
ACCOUNT_POST_ROWS: list[PostRow] = [
    # signing in: a signed-in person is sent on (as by the page), a visitor signs in
    PostRow(
        "account_login",
        everyone(302, anonymous=DONE),
        data=lambda w: {"login": "no.second.factor@example.org", "password": PASSWORD},
        done=signed_in("no.second.factor@example.org"),
    ),
    PostRow(
        "mfa_authenticate",
        everyone(302, anonymous=DONE),
        prepare=_two_factor_password_step,
        data=lambda w: {"code": _code_of("two.factors@example.org")},
        done=signed_in("two.factors@example.org"),
    ),
    # no open sign-up: the page says so, and nobody is created
    PostRow(
        "account_signup",
        everyone(302, anonymous=200),
        data=lambda w: {
            "email": "self.made@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        done=lambda w: User.objects.filter(email="self.made@example.org").exists(),
    ),
    # the reset email is the write (nothing is stored): sent by a job after the commit
    PostRow(
        "account_reset_password",
        everyone(DONE, anonymous=DONE),
        jobs=True,
        data=lambda w: {"email": "forgot@example.org"},
        done=lambda w: any("forgot@example.org" in message.to for message in mail.outbox),
    ),
    PostRow(
        "account_reset_password_from_key",
        everyone(DONE, anonymous=DONE),
        prepare=_reset_link_opened,
        kwargs=lambda w: {"uidb36": w.extra["reset_key"]["uidb36"], "key": "set-password"},
        data=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        done=lambda w: User.objects.get(email="forgot@example.org").check_password(NEW_PASSWORD),
    ),
    PostRow(
        "account_confirm_email",
        everyone(DONE, anonymous=DONE),
        kwargs=lambda w: {"key": w.extra["confirmation_key"]},
        done=lambda w: EmailAddress.objects.filter(email="new.address@example.org", verified=True).exists(),
    ),
    # signing in or re-authenticating by an emailed code is turned off: posting a code does nothing
    PostRow(
        "account_confirm_login_code",
        everyone(302, anonymous=302),
        prepare=remember_session,
        data=lambda w: {"code": "ABC123"},
        done=authenticated_by("code"),
    ),
    PostRow(
        "account_request_reauthentication_code",
        everyone(302),
        jobs=True,
        done=lambda w: w.actor is not None and any(w.actor.email in message.to for message in mail.outbox),
    ),
    PostRow(
        "account_confirm_reauthentication_code",
        everyone(302),
        prepare=remember_session,
        data=lambda w: {"code": "ABC123"},
        done=authenticated_by("code"),
    ),
    PostRow(
        "account_reauthenticate",
        everyone(DONE),
        prepare=remember_session,
        data=lambda w: {"password": PASSWORD},
        done=authenticated_by("password"),
    ),
    PostRow(
        "mfa_reauthenticate",
        everyone(DONE),
        prepare=remember_session,
        data=lambda w: {"code": _code_of(w.actor.email) if w.actor else ""},
        done=authenticated_by("mfa"),
    ),
    # allauth refuses a new address on an account protected by a second factor: every role has one
    PostRow(
        "account_email",
        everyone(REFUSED),
        prepare=reauthenticate,
        data=lambda w: {"action_add": "", "email": "second.address@example.org"},
        done=lambda w: EmailAddress.objects.filter(email="second.address@example.org").exists(),
    ),
    # every role has a password (the page is for accounts without one) and a TOTP authenticator already
    PostRow(
        "account_set_password",
        everyone(302),
        data=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        done=_password_is(NEW_PASSWORD),
    ),
    PostRow(
        "mfa_activate_totp",
        everyone(302),
        data=lambda w: {"code": "123456"},
        done=lambda w: Authenticator.objects.filter(user=w.actor, type=Authenticator.Type.TOTP).count() > 1,
    ),
    PostRow(
        "mfa_generate_recovery_codes",
        everyone(DONE),
        prepare=reauthenticate,
        done=lambda w: Authenticator.objects.filter(
            user=w.actor, type=Authenticator.Type.RECOVERY_CODES
        ).exists(),
    ),
    # a security key is its owner's: anyone else's id is a 404
    PostRow(
        "mfa_edit_webauthn",
        everyone(404, focal_a=DONE),
        prepare=reauthenticate,
        kwargs=pk_of("key_to_rename"),
        data=lambda w: {"name": EDITED},
        done=lambda w: Authenticator.objects.filter(
            pk=w.extra["key_to_rename"].pk, data__name=EDITED
        ).exists(),
    ),
    PostRow(
        "mfa_remove_webauthn",
        everyone(404, focal_a=DONE),
        prepare=reauthenticate,
        kwargs=pk_of("key_to_remove"),
        done=lambda w: not Authenticator.objects.filter(pk=w.extra["key_to_remove"].pk).exists(),
    ),
    PostRow(
        "usersessions_list",
        everyone(DONE),
        prepare=_other_session,
        done=lambda w: (
            bool(w.extra.get("other_session"))
            and not UserSession.objects.filter(session_key=w.extra["other_session"]).exists()
        ),
    ),
    # nobody in the world is staff: the admin's sign-in refuses them, its sign-out never reaches them
    PostRow(
        "admin:login",
        everyone(REFUSED, anonymous=REFUSED),
        data=lambda w: {"username": "not.staff@example.org", "password": PASSWORD},
        done=signed_in("not.staff@example.org"),
    ),
    PostRow(
        "admin:logout",
        everyone(302, anonymous=302),
        prepare=remember_session,
        done=session_ended,
    ),
    PostRow(
        "account_logout",
        everyone(DONE, anonymous=302),
        prepare=remember_session,
        done=session_ended,
    ),
    PostRow(
        "account_change_password",
        everyone(DONE),
        data=lambda w: {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        done=_password_is(NEW_PASSWORD),
    ),
    # allowed by allauth; the role then has to enrol again before anything else (sign_in_as re-enrols it)
    PostRow(
        "mfa_deactivate_totp",
        everyone(DONE),
        prepare=reauthenticate,
        done=lambda w: (
            w.actor is not None
            and not Authenticator.objects.filter(user=w.actor, type=Authenticator.Type.TOTP).exists()
        ),
    ),
]


#: URLs accepting POST that no valid body can be built for here, with the reason.
POST_EXEMPT = {
    # WebAuthn needs a signed answer from a real security key (the browser's navigator.credentials): a
    # test can only send garbage, which proves nothing about who may use the page. Who may see and change
    # an existing key is covered by mfa_edit_webauthn and mfa_remove_webauthn.
    "mfa_add_webauthn": "needs a security key's signed attestation",
    "mfa_reauthenticate_webauthn": "needs a security key's signed assertion",
}


#: The content apps' own matrix modules (tests/<app>/matrix.py).
APPS = (
    "api",
    "directory",
    "notices",
    "library",
    "calendar_app",
    "notifications",
    "discussions",
    "planning",
    "projects",
    "appeal",
    "cted",
    "support",
    "countries",
    "working_groups",
    "showcase",
    "newsletters",
    "dashboard",
    "search",
)
APP_MODULES = [import_module(f"tests.{app}.matrix") for app in APPS]
for _module in APP_MODULES:
    ROWS += _module.ROWS
    POST_ROWS += _module.POST_ROWS
POST_ROWS += ACCOUNT_POST_ROWS
