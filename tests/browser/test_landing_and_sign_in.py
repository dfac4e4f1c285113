"""In a real browser: a visitor reaches the sign-in page by keyboard and a demo user signs in."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_visitor_skips_to_content_and_signs_in(page, compact, settings):
    settings.MFA_REQUIRED = False  # as in the demo (make run); the MFA journey has its own test
    call_command("seed_demo", "--allow-production", stdout=StringIO())

    # given a visitor on the landing page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"

    # when they press Tab, the first stop is the skip link, which is visible and moves focus to the content
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # and they follow "Sign in" and sign in as the demo WG chair
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("chair.cted@demo.compact.example")
    page.get_by_label("Password").fill("compact-demo-2026")
    page.get_by_role("button", name="Sign in").click()

    # then their home lists their organisation and their Working Group roles
    page.wait_for_url("**/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Elena"
    assert page.get_by_text("Counter-Terrorism Committee Executive Directorate").is_visible()
    assert page.get_by_role("heading", name="Your Working Groups").is_visible()


def test_wrong_password_shows_a_clear_message(page, compact, make_user):
    make_user("someone@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("The email address and/or password")
