"""The whole way in, in a real browser: access request → Secretariat approval → invitation → password →
TOTP enrolment → signed in; then the returning user signs in with a TOTP code."""

import re

import pytest
from django.core import mail

from directory.demo import secretariat_group
from tests.browser.steps import choose
from tests.conftest import enrol_totp, organization, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(secret: str, *, ahead: int = 0) -> str:
    """The authenticator app's code now, or ``ahead`` periods later: a code is accepted only once, and
    the test's tolerance of one period lets the returning sign-in use the next one."""
    return totp_code(secret, ahead=ahead)


def sign_in(page, email, password, secret, *, ahead=0):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # the second step: allauth asks for the authenticator code
    page.get_by_label("Code").fill(code(secret, ahead=ahead))
    page.get_by_role("button", name=re.compile("Sign In|Sign in")).click()
    page.wait_for_url("**/home/")


def sign_out(page):
    page.get_by_role("button", name=re.compile("^(Amina|Grace)")).click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))


def test_access_request_to_signed_in_with_totp(page, compact, make_user, settings):
    # A code of the next period is accepted too, so the returning sign-in need not wait 30 seconds.
    settings.MFA_TOTP_TOLERANCE = 1
    secretariat = make_user("amina@unoct.example", organization=organization("entity:UNOCT"), mfa=False,
                            full_name="Amina Rahman")  # fmt: skip
    secretariat.groups.add(secretariat_group())
    secretariat_secret = enrol_totp(secretariat)

    # 1. A visitor asks for access
    page.goto("/")
    page.get_by_role("link", name="Request access").click()
    page.get_by_label("Full name").fill("Grace Otieno")
    page.get_by_label("Work email").fill("grace.otieno@undp.example")
    page.get_by_label("Organisation").fill("UNDP")
    page.get_by_label("Function").fill("Programme specialist, PCVE")
    page.get_by_label("Why you need access").fill("UNDP focal point for Working Group 1.")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: your request was received"

    # 2. The Secretariat signs in with its second factor and approves, choosing organisation and role
    sign_in(page, "amina@unoct.example", "a-long-test-password", secretariat_secret)
    page.goto("/secretariat/access-requests/")
    page.get_by_role("link", name="Grace Otieno").click()
    choose(page, "Organisation", "UNDP")
    page.get_by_label("Role").select_option(label="Focal point")
    page.get_by_role("button", name="Approve and send the invitation").click()
    assert "an invitation was sent to grace.otieno@undp.example" in page.get_by_role("status").inner_text()
    sign_out(page)

    # 3. The invitation arrives by email with a single-use link
    invitation = next(m for m in mail.outbox if m.to == ["grace.otieno@undp.example"])
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group(0)

    # 4. She chooses her password, then enrols her authenticator app
    page.goto(link)
    page.get_by_label("Full name").fill("Grace Otieno")
    page.get_by_label("Password", exact=True).fill("otieno-strong-passphrase-42")
    page.get_by_label("Password (again)").fill("otieno-strong-passphrase-42")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(code(secret))
    page.get_by_role("button", name="Activate").click()

    # 5. She is signed in, as focal point of UNDP, and sees her Working Groups
    page.goto("/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Grace"
    assert page.get_by_text("United Nations Development Programme").is_visible()
    sign_out(page)

    # 6. Returning, she signs in with her password and a TOTP code
    sign_in(page, "grace.otieno@undp.example", "otieno-strong-passphrase-42", secret, ahead=1)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Grace"

    # and the link she used no longer works
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "This invitation link cannot be used"
