"""Shared fixtures: the reference data, users in real Compact organisations, and plain static files."""

from __future__ import annotations

import pytest
from axes.utils import reset as reset_axes
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.demo import DemoRun
from directory import reference
from directory.access import Visibility
from directory.models import (
    SECRETARIAT_GROUP,
    Membership,
    MembershipRole,
    Organization,
    Profile,
    User,
    WorkingGroup,
)
from notices.models import Notice


@pytest.fixture(autouse=True)
def _plain_static_files(settings, tmp_path):
    # Production serves hashed file names from collectstatic's manifest; tests render templates without it.
    # Uploads go to the test's own folder, never into the platform's var/media.
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _platform_language_between_tests():
    # A page in another language activates it for the thread, and nothing undoes it after the response
    # (LocaleMiddleware sets it afresh on the next request): each test starts and ends in the default.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _totp_clock_tolerance(settings):
    # A code computed just before a 30-second boundary is checked just after it: accept the neighbouring
    # period, as a phone's clock drift would be, so tests never fail by the clock.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is Django's concern, not ours; PBKDF2's 1M iterations would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Compact's reference data once into the test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        reference.load()


@pytest.fixture
def compact(db):
    """The Compact's reference data, from the real data file (reloaded if a transactional test flushed it)."""
    if not Organization.objects.filter(reference_key__isnull=False).exists():
        reference.load()


def enrol_totp(user: User) -> str:
    """Give the user a TOTP authenticator (MFA is mandatory); returns the secret, to compute codes."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt

    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})
    return secret


def totp_code(secret: str, *, ahead: int = 0) -> str:
    """What an authenticator app shows now (or ``ahead`` periods later) for the secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + ahead
    return format_hotp_value(hotp_value(secret, counter))


#: The password of every person the tests make (``make_user``).
TEST_PASSWORD = "a-long-test-password"  # noqa: S105 -- a test account's, in a throwaway database


@pytest.fixture
def make_user(db):
    def make(
        email: str = "person@example.org",
        *,
        organization: Organization | None = None,
        role: str = MembershipRole.FOCAL_POINT,
        **fields,
    ) -> User:
        mfa = fields.pop("mfa", True)
        user = User.objects.create_user(
            email=email,
            password=TEST_PASSWORD,
            full_name=fields.pop("full_name", email.split("@")[0].title()),
            **fields,
        )
        if organization is not None:
            Membership.objects.create(user=user, organization=organization, role=role)
        if mfa:
            enrol_totp(user)
        return user

    return make


def signed_in(user) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url: str) -> int:
    """The queries of a page (200) once the session's first request has done its one-off work."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def organization(reference_key: str) -> Organization:
    return Organization.objects.get(reference_key=reference_key)


def wg(number: int = 2) -> WorkingGroup:
    """Working Group ``number`` of the reference data (WG 2 unless said)."""
    return WorkingGroup.objects.get(number=number)


def seed(*demos) -> DemoRun:
    """Run the directory's demo, then each app demo module given (``demo.seed``), as seed_demo does."""
    from directory import demo as directory_demo

    run = DemoRun(password="demo-password-123", write=lambda _line: None)
    directory_demo.seed(run)
    for demo in demos:
        demo.seed(run)
    return run


def make_profile(*, user: User, **fields) -> Profile:
    """The person's profile (every member has one, made with their first role) with these fields set."""
    profile, _created = Profile.objects.update_or_create(user=user, defaults=fields)
    return profile


def notice(owner: Organization, visibility: str = Visibility.OWNER, *, title: str = "", **fields) -> Notice:
    """A notice of ``owner`` (reference content for the audience rules); ``audience`` lists organisations."""
    audience = fields.pop("audience", ())
    created = Notice.objects.create(
        owner=owner,
        visibility=visibility,
        title=title or f"{visibility} by {owner.display_name}",
        body=fields.pop("body", "Text of the notice."),
        **fields,
    )
    if audience:
        created.audience_organizations.add(*audience)
    return created


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    """allauth's rate limits and used TOTP codes live in the cache, axes' failure counts in the database:
    every test starts with none (the cache outlives the test transaction)."""
    cache.clear()
    reset_axes()


@pytest.fixture
def secretariat(compact, make_user):
    """A Secretariat member: UNOCT focal point in the Secretariat group."""
    user = make_user("secretariat@example.org", organization=organization("entity:UNOCT"), full_name="Amina")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    return user


@pytest.fixture
def secretariat_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


@pytest.fixture
def focal_point(compact, make_user):
    return make_user("focal@example.org", organization=organization("entity:UNODC"))


@pytest.fixture
def chair(compact, make_user):
    """Carla Chair, a focal point of CTED, which chairs Working Group 2."""
    return make_user(
        "chair@cted.example.org", organization=organization("entity:CTED"), full_name="Carla Chair"
    )


@pytest.fixture
def member(compact, make_user):
    """Mia Member, a focal point of UNDP, a member of Working Group 2."""
    return make_user("mia@undp.example.org", organization=organization("entity:UNDP"), full_name="Mia Member")


@pytest.fixture
def unodc_person(compact, make_user):
    """Ana Unodc, a focal point of UNODC."""
    return make_user("unodc@example.org", organization=organization("entity:UNODC"), full_name="Ana Unodc")


@pytest.fixture
def ken_person(compact, make_user):
    """Kamau Kenya, a focal point of Kenya (a Member State)."""
    return make_user("ken@example.org", organization=organization("state:KEN"), full_name="Kamau Kenya")


@pytest.fixture
def au_person(compact, make_user):
    """Amina Union, a focal point of the African Union (a regional organisation, in no part of WG 2)."""
    return make_user("au@example.org", organization=organization("regional:AU"), full_name="Amina Union")


@pytest.fixture
def undp_admin(compact, make_user):
    """An organisation admin of UNDP."""
    return make_user(
        "admin.undp@example.org",
        organization=organization("entity:UNDP"),
        role=MembershipRole.ORGANIZATION_ADMIN,
    )


CHROMIUM = "/usr/bin/chromium"
# Flags for a closed network: no background connections, updates or sync attempts (they would be refused).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server, monkeypatch):
    """A page in Debian's headless Chromium, driven by Playwright, on a live server of the platform.

    Playwright's sync API runs an event loop in this thread, so Django must be told the test's own ORM
    calls, made between browser steps, are safe. Those calls get connections of their own (Django keeps
    connections per context while a loop runs), closed here so the test database can be dropped.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()
        connections.close_all()
