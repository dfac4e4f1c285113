"""The layout check: every page type each demo identity reaches, at 1366 and 390 px wide, looked at as a
person would: no page wider than the window, no form controls or labels on top of each other, every label
clickable, and the main navigation on one line at 1200 px. Screenshots of every page type at both widths
are written to ``SCREENSHOT_DIR`` (``var/screenshots/`` by default) for a person to look at."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from core.demo import DEMO_EMAIL_DOMAIN
from directory.demo import DEMO_ACCOUNTS
from directory.models import Membership, User, WorkingGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECK = (Path(__file__).parent / "layout.js").read_text(encoding="utf-8")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(django_settings.BASE_DIR) / "var" / "screenshots")
WIDE, NARROW, NAVIGATION = (
    {"width": 1366, "height": 900},
    {"width": 390, "height": 844},
    {"width": 1200, "height": 900},
)

# Pages that are not the platform's own layout: Django's technical administration.
NOT_OURS = re.compile(r"^/admin/")


def page_type(url: str) -> str | None:
    """The URL pattern a link leads to (one visit per pattern and identity), or None when it leaves the
    platform's own pages."""
    path = urlsplit(url).path
    if NOT_OURS.match(path):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(page, starts: list[str]) -> Iterator[tuple[str, int]]:
    """(page type, HTTP status) of every HTML page reachable by links from ``starts``, the first URL of each
    type; the page is open in the browser when each is yielded. A start the identity may not open is
    passed over (a link that leads to an error is not: the caller reports it)."""
    origin = urlsplit(page.url).netloc
    queue, seen = list(starts), set()
    while queue:
        url = queue.pop(0)
        kind = page_type(url)
        if kind is None or kind in seen:
            continue
        try:
            response = page.goto(url)
        except Exception as error:  # a file handed to the browser as a download is not a page to look at
            if "Download is starting" in str(error):
                seen.add(kind)
                continue
            raise
        if url in starts and response.status in (403, 404):
            continue
        seen.add(kind)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        yield kind, response.status
        if not response.ok:
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            parts = urlsplit(href)
            if parts.netloc == origin and page_type(href) not in seen:
                queue.append(parts._replace(fragment="").geturl())


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


def own_projects(email: str) -> list[str]:
    """The projects list of the person's first organisation: its first project is theirs to edit and share."""
    membership = Membership.objects.filter(user__email=email, ended_at__isnull=True).order_by("pk").first()
    return [f"/projects/?lead={membership.organization_id}"] if membership else []


def sign_in(page, email: str) -> None:
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.url}])


def test_every_page_type_for_every_identity_at_both_widths(page, compact, settings):
    settings.MFA_REQUIRED = False  # as in the demo
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    identities = [("anonymous", None)] + [
        (key, f"{local}@{DEMO_EMAIL_DOMAIN}") for key, (_l, local, *_r) in DEMO_ACCOUNTS.items()
    ]
    # Home, and the busiest Working Group's pages (the first of a kind is the one visited: WG 2 has rounds).
    group = WorkingGroup.objects.get(number=2).pk
    starts = ["/home/", f"/groups/{group}/", f"/planning/wg/{group}/"]
    found, photographed, visited = [], set(), []
    for name, email in identities:
        page.goto("/")
        if email:
            sign_in(page, email)
        for kind, status in crawl(page, own_projects(email) + starts if email else ["/"]):
            if status >= 400:
                found.append(f"{name} {urlsplit(page.url).path}: a link leads to an error page ({status})")
                continue
            found += looked_at(page, name, kind, shot=kind not in photographed)
            photographed.add(kind)
            visited.append(f"{name} {kind} {urlsplit(page.url).path}")
    # All the findings in one file beside the screenshots, for the person who fixes them.
    (SCREENSHOTS / "layout-findings.txt").write_text("\n".join(found) + "\n", encoding="utf-8")
    (SCREENSHOTS / "layout-pages.txt").write_text("\n".join(visited) + "\n", encoding="utf-8")
    assert len(visited) > 100, "the crawl stopped early"
    assert found == [], f"{len(found)} layout findings, listed in {SCREENSHOTS / 'layout-findings.txt'}"


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
