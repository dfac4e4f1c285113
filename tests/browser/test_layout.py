"""The layout check, run on every page type each demo identity reaches (test_every_page.py), at 1366 and
390 px wide, looking as a person would: no page wider than the window, no form controls or labels on top of
each other, every label clickable, and the main navigation on one line at 1200 px. Screenshots of every page
type at both widths are written to ``SCREENSHOT_DIR`` (``var/screenshots/`` by default) for a person to look
at. Here: that the check finds what people found broken."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.crawl import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECK = (Path(__file__).parent / "layout.js").read_text(encoding="utf-8")
WIDE, NARROW, NAVIGATION = (
    {"width": 1366, "height": 900},
    {"width": 390, "height": 844},
    {"width": 1200, "height": 900},
)


def looked_at(page, name: str, kind: str, shot: bool) -> list[str]:
    """The layout findings on the open page at both widths (and its navigation at 1200 px)."""
    found = []
    for size, check in ((NAVIGATION, {"navigation": True, "content": False}), (WIDE, None), (NARROW, None)):
        page.set_viewport_size(size)
        arguments = check or {"navigation": False, "content": True}
        found += [
            f"{name} {urlsplit(page.url).path} at {size['width']}px: {item}"
            for item in page.evaluate(CHECK, arguments)
        ]
        if shot and check is None:
            page.screenshot(
                path=SCREENSHOTS / f"{kind.replace(':', '-')}-{size['width']}.png", full_page=True
            )
    return found


# Django's own markup for a group of tick boxes, with the widget's class on the wrapper: how "Add a
# resource" rendered its pillars and languages before the platform's renderer (issue 12).
OLD_TICK_BOXES = """() => document.querySelectorAll(".choice-group").forEach((group) => {
  const old = document.createElement("div");
  old.id = group.id;
  old.className = "form-check-input";
  group.querySelectorAll(".form-check").forEach((choice) => {
    const input = choice.querySelector("input"), label = choice.querySelector("label");
    const row = document.createElement("div"), wrapping = document.createElement("label");
    wrapping.htmlFor = input.id;
    wrapping.append(input, " ", label.textContent);
    row.append(wrapping);
    old.append(row);
  });
  group.replaceWith(old);
})"""


def test_the_check_finds_what_people_found_broken(page, compact, make_user, settings):
    from tests.conftest import organization

    settings.MFA_REQUIRED = False
    make_user("ana@unodc.example.org", organization=organization("entity:UNODC"), mfa=False)
    page.goto("/")
    sign_in(page, "ana@unodc.example.org")
    page.set_viewport_size(WIDE)
    content = {"navigation": False, "content": True}

    # given "Add a resource" as it is: nothing to find
    page.goto("/library/new/")
    assert page.evaluate(CHECK, content) == []

    # when its tick boxes are drawn as they were before, then the check sees them spill over the fields below
    page.evaluate(OLD_TICK_BOXES)
    found = page.evaluate(CHECK, content)
    assert any("overlaps" in item for item in found), found
    assert any("cannot be clicked" in item for item in found), found

    # and a page wider than a phone, and a main menu too long for one line, are found too
    page.goto("/library/new/")
    page.evaluate(
        "() => { const wide = document.createElement('div'); wide.style.width = '600px';"
        " wide.textContent = 'A wide box'; document.querySelector('main').append(wide); }"
    )
    page.set_viewport_size(NARROW)
    assert any("wider than the window" in item for item in page.evaluate(CHECK, content))
    page.set_viewport_size(NAVIGATION)
    page.evaluate(
        "() => { const menu = document.querySelector('header nav ul');"
        " for (let i = 0; i < 6; i++) menu.append(menu.lastElementChild.cloneNode(true)); }"
    )
    assert page.evaluate(CHECK, {"navigation": True, "content": False}) != []
