"""Personal access tokens, from making one to its last use: shown once and stored as a digest, scoped,
expiring, revocable, stopped at once with their person, recorded at every use, rate-limited per token —
and the browser's session, which reads the API as the person (and writes only with the CSRF token)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings

from api.models import AccessToken, TokenUse
from api.throttling import PerTokenThrottle
from directory.access import Visibility
from directory.models import Membership
from tests.api.support import all_rows, bearer, token_for, with_token
from tests.conftest import signed_in
from tests.library.conftest import add_resource  # noqa: F401 -- a fixture of these tests

LIST = reverse("api:library-resource-list")
NEW = reverse("tokens:new")
TOKENS = reverse("tokens:list")
STOPPED = "This token is unknown, revoked or expired."


def detail(resource) -> str:
    return reverse("api:library-resource-detail", args=[resource.pk])


def titles(client) -> set[str]:
    return {row["title"] for row in all_rows(client, LIST)}


def token_of(secret: str) -> AccessToken:
    return AccessToken.objects.get(digest=hashlib.sha256(secret.encode()).hexdigest())


def form(**fields) -> dict:
    """What the "Make a token" page posts: a name, a last day within a year, one module's scope."""
    return {
        "name": "Projects database",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "scope_library": "write",
        **fields,
    }


@pytest.fixture
def owner_only(add_resource, unodc_person):  # noqa: F811 -- the fixture imported above
    return add_resource(unodc_person, title="UNODC's own findings", visibility=Visibility.OWNER)


@pytest.fixture
def for_everyone(add_resource, unodc_person):  # noqa: F811
    return add_resource(unodc_person, title="Guidance for everyone", visibility=Visibility.PLATFORM)


# --- Making, listing, revoking -------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(unodc_person):
    client = signed_in(unodc_person)
    # when the person makes a token on the page
    response = client.post(NEW, form(scope_calendar="read"))
    # then the answer shows the secret, and no cache or history may keep it
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["issued"].secret
    assert secret.startswith("cpat_")
    assert secret in response.content.decode()
    # only its SHA-256 digest is stored, never the secret
    token = AccessToken.objects.get(user=unodc_person)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix, token.name}
    assert secret.startswith(token.prefix)
    assert token.scopes == ["calendar:read", "library:write"]
    # and the list names it, with its prefix and what it may do in words, but never shows the secret again
    listed = client.get(TOKENS).content.decode()
    assert secret not in listed
    assert token.prefix in listed
    assert "Projects database" in listed
    assert "Library: read and write" in listed
    assert "Calendar: read" in listed
    # and the token works
    assert with_token(secret).get(LIST).status_code == 200


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "Choose a day after today."),
        (-3, "Choose a day after today."),
        (366, "A token lives at most a year"),
    ],
)
def test_a_token_expires_after_today_and_within_a_year(unodc_person, days, message):
    day = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = signed_in(unodc_person).post(NEW, form(expires_on=day))
    assert response.status_code == 200  # the form again, with its error: no token
    assert message in str(response.context["form"].errors["expires_on"])
    assert not AccessToken.objects.exists()


def test_a_year_from_today_is_the_longest_life(unodc_person):
    day = timezone.localdate() + timedelta(days=365)
    response = signed_in(unodc_person).post(NEW, form(expires_on=day.isoformat()))
    assert response.status_code == 200
    assert "issued" in response.context
    assert AccessToken.objects.get().last_day == day


def test_a_token_without_any_scope_is_refused(unodc_person):
    response = signed_in(unodc_person).post(NEW, form(scope_library=""))
    assert "Give the token access to at least one module." in response.context["form"].non_field_errors()
    assert not AccessToken.objects.exists()


def test_a_revoked_token_stops_at_once_and_only_its_person_revokes_it(unodc_person, ken_person):
    secret = token_for(unodc_person, "library:read")
    client = with_token(secret)
    assert client.get(LIST).status_code == 200
    token = token_of(secret)
    # when someone else tries to revoke it: a 404, as for a token that does not exist
    revoke = reverse("tokens:revoke", args=[token.pk])
    assert signed_in(ken_person).post(revoke).status_code == 404
    assert client.get(LIST).status_code == 200
    # when its person revokes it
    assert signed_in(unodc_person).post(revoke).status_code == 302
    # then its next request is refused
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json() == {"detail": STOPPED}
    assert "Revoked" in signed_in(unodc_person).get(TOKENS).content.decode()


# --- What a token may do -------------------------------------------------------------------------------


def test_a_read_token_cannot_write_and_is_told_which_scope_it_lacks(for_everyone, unodc_person):
    client = bearer(unodc_person, "library:read")
    response = client.patch(detail(for_everyone), {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 403
    assert "library:write" in response.json()["detail"]
    for_everyone.refresh_from_db()
    assert for_everyone.title == "Guidance for everyone"


def test_a_token_without_the_module_reads_nothing_of_it(for_everyone, unodc_person):
    client = bearer(unodc_person, "calendar:write")
    for url in (LIST, detail(for_everyone)):
        response = client.get(url)
        assert response.status_code == 403
        assert "library:read" in response.json()["detail"]


def test_an_expired_token_is_refused(unodc_person):
    secret = token_for(unodc_person, "library:read")
    AccessToken.objects.filter(user=unodc_person).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = with_token(secret).get(LIST)
    assert response.status_code == 401
    assert response.json() == {"detail": STOPPED}


def test_a_deactivated_persons_token_stops_at_once(unodc_person):
    client = bearer(unodc_person, "library:read")
    assert client.get(LIST).status_code == 200
    unodc_person.is_active = False
    unodc_person.save(update_fields=["is_active"])
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json() == {"detail": STOPPED}


def test_a_token_reads_only_what_an_outsider_reads_once_its_persons_membership_ended(
    owner_only, for_everyone, unodc_person, make_user
):
    client = bearer(unodc_person, "library:read")
    assert owner_only.title in titles(client)
    # when the person leaves UNODC
    Membership.objects.filter(user=unodc_person).update(ended_at=timezone.now())
    # then their token reads what a person of no organisation reads, and UNODC's own resource is a 404
    outsider = bearer(make_user("outsider@example.org"), "library:read")
    assert titles(client) == titles(outsider)
    assert owner_only.title not in titles(client)
    assert client.get(detail(owner_only)).status_code == 404


# --- What is recorded ----------------------------------------------------------------------------------


def test_every_use_is_recorded_and_last_used_moves_at_most_once_a_minute(for_everyone, unodc_person):
    secret = token_for(unodc_person, "library:read")
    client = with_token(secret)
    token = token_of(secret)
    assert token.last_used_at is None
    # when the token reads, is refused a write, and reads again
    client.get(LIST)
    first_use = token_of(secret).last_used_at
    client.patch(detail(for_everyone), {"title": "Changed"}, content_type="application/json")
    client.get(detail(for_everyone), {"unused": "1"})
    # then every request is in its trail, with its method, address and answer
    uses = list(TokenUse.objects.filter(token=token).order_by("id").values_list("method", "path", "status"))
    assert uses == [
        ("GET", LIST, 200),
        ("PATCH", detail(for_everyone), 403),
        ("GET", detail(for_everyone), 200),
    ]
    # and "last used" was written once within the minute
    assert first_use is not None
    assert token_of(secret).last_used_at == first_use
    # but moves on a request made more than a minute later
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    client.get(LIST)
    assert token_of(secret).last_used_at > first_use


def test_a_write_made_with_a_token_is_attributed_to_its_person_in_the_audit_trail(for_everyone, unodc_person):
    secret = token_for(unodc_person, "library:write")
    response = with_token(secret).patch(
        detail(for_everyone), {"summary": "Updated by a program."}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    change = for_everyone.events.filter(pgh_label="update").latest("pgh_id")
    assert change.summary == "Updated by a program."
    assert change.pgh_context.metadata["user"] == unodc_person.pk
    assert change.pgh_context.metadata["token"] == token_of(secret).pk


# --- Rate limits ---------------------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings, monkeypatch):
    """API_RATE_LIMIT=3/minute. DRF's throttle read its rates when it was imported: reset them too."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    assert PerTokenThrottle.THROTTLE_RATES == {"api": "3/minute"}


def test_over_the_rate_limit_a_token_waits_but_the_persons_other_token_does_not(three_a_minute, unodc_person):
    busy, other = bearer(unodc_person, "library:read"), bearer(unodc_person, "library:read")
    assert [busy.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    # when the token makes a fourth request within the minute
    response = busy.get(LIST)
    # then it is told to wait, and for how long
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # while the same person's other token has its own budget
    assert other.get(LIST).status_code == 200


# --- The browser's session ------------------------------------------------------------------------------


def test_a_signed_in_browser_reads_the_api_and_writes_only_with_the_csrf_token(for_everyone, unodc_person):
    assert signed_in(unodc_person).get(LIST).status_code == 200
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(unodc_person)
    response = browser.patch(detail(for_everyone), {"title": "Forged"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    for_everyone.refresh_from_db()
    assert for_everyone.title == "Guidance for everyone"


def test_without_credentials_the_api_asks_for_a_token():
    response = Client().get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


# --- Malformed and unknown tokens -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer a b",
        "Bearer cpat_é",
        "Bearer cpat_\u00ff\u00fe",
        "bearer cpat_unknown",
        "Bearer " + "a" * 10_000,
        "Bearer cpat_" + "a" * 10_000,
    ],
)
def test_a_malformed_header_is_a_401_never_an_error(header):
    response = Client(HTTP_AUTHORIZATION=header).get(LIST)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_unknown_revoked_and_expired_tokens_get_the_same_answer(unodc_person):
    revoked, expired = token_for(unodc_person, "library:read"), token_for(unodc_person, "library:read")
    AccessToken.objects.filter(pk=token_of(revoked).pk).update(revoked_at=timezone.now())
    AccessToken.objects.filter(pk=token_of(expired).pk).update(expires_at=timezone.now() - timedelta(days=1))
    unknown = "cpat_" + "x" * 43
    answers = {
        (response.status_code, response.content)
        for response in (with_token(secret).get(LIST) for secret in (unknown, revoked, expired))
    }
    assert answers == {(401, b'{"detail":"' + STOPPED.encode() + b'"}')}
