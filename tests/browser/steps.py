"""What a person does in the browser, as steps the journeys share: sign in, open a page from the main
navigation's menus, choose in a list (typing into a searchable one, as people do with 193 countries)."""

from __future__ import annotations

import re

from tests.conftest import TEST_PASSWORD


def sign_in(page, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the form (as someone without a second factor, where MFA is not required) and land
    on the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")


def go_to(page, menu: str, item: str) -> None:
    """Open ``item`` from the navigation's ``menu`` (Network, Knowledge, Coordination, Secretariat)."""
    navigation = page.get_by_role("navigation", name="Main navigation")
    toggler = navigation.get_by_role("button", name="Show or hide the menu")
    if toggler.is_visible():
        toggler.click()
    navigation.get_by_role("button", name=re.compile(rf"^{re.escape(menu)}")).click()
    navigation.get_by_role("link", name=item, exact=True).click()


def choose(page, label: str, option: str) -> None:
    """Choose ``option`` in the list labelled ``label``: typed into a searchable list (its box, as a person
    clicks it, then the first letters), picked in a plain one."""
    searchable = page.get_by_role("combobox", name=label, exact=True)
    if searchable.count():
        searchable.locator("xpath=..").click()
        page.keyboard.type(option)
        page.get_by_role("option", name=option, exact=True).click()
        page.keyboard.press("Escape")
    else:
        page.get_by_label(label, exact=True).select_option(label=option)
