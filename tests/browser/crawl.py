"""The crawl the layout and accessibility checks share: every page type each demo identity (the anonymous
visitor and the seven people of ``directory.demo.DEMO_ACCOUNTS``) reaches by links, one page per URL
pattern, in a chosen language; and the same pages again in another language."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.test import Client
from django.urls import Resolver404, resolve

from core.demo import DEMO_EMAIL_DOMAIN
from directory.demo import DEMO_ACCOUNTS
from directory.models import Membership, User, WorkingGroup

#: Where the checks write what a person looks at: screenshots, findings, the accessibility report.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(django_settings.BASE_DIR) / "var" / "screenshots")

# Pages that are not the platform's own layout: Django's technical administration, and the API (JSON, and
# its reference page, which is Swagger UI's own for developers: docs/api.md).
NOT_OURS = re.compile(r"^/(admin|api)/")


@dataclass(frozen=True)
class Visit:
    """A page the crawl has open in the browser: who reached it, its URL pattern, its status, and its
    address on the platform (path and query)."""

    identity: str
    kind: str
    status: int
    url: str


def identities() -> list[tuple[str, str | None]]:
    """(name, e-mail) of the anonymous visitor (no e-mail) and of every demo account."""
    return [("anonymous", None)] + [
        (key, f"{local}@{DEMO_EMAIL_DOMAIN}") for key, (_l, local, *_r) in DEMO_ACCOUNTS.items()
    ]


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


def own_pages(email: str) -> list[str]:
    """Where the person's first organisation's own pages start: its projects list (its first project is
    theirs to edit and share), its page, and its country profile's history (linked only once the profile
    is saved; not a start for an organisation without a profile)."""
    membership = Membership.objects.filter(user__email=email, ended_at__isnull=True).order_by("pk").first()
    if membership is None:
        return []
    own = membership.organization_id
    return [f"/projects/?lead={own}", f"/organisations/{own}/", f"/countries/{own}/profile/history/"]


def set_cookie(page, name: str, value: str) -> None:
    """A cookie for the whole site: given the page's URL instead, Playwright would limit it to the page's
    folder (``/home/`` when a signed-in visit to ``/`` was redirected there)."""
    host = urlsplit(page.url).hostname
    page.context.add_cookies([{"name": name, "value": value, "domain": host, "path": "/"}])


def sign_in(page, email: str) -> None:
    """Open a session for ``email`` in the browser without the sign-in form (the journeys test the form)."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    set_cookie(
        page, django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value
    )


def choose_language(page, language: str) -> None:
    """Ask for pages in ``language`` as the language switcher does: the cookie LocaleMiddleware reads."""
    set_cookie(page, django_settings.LANGUAGE_COOKIE_NAME, language)


def open_session(page, email: str | None, language: str) -> None:
    """Start afresh as ``email`` (anonymous if None), asking for pages in ``language``."""
    page.goto("/")
    page.context.clear_cookies()
    if email:
        sign_in(page, email)
    choose_language(page, language)


def here(page) -> str:
    """The open page's address on the platform: its path and query."""
    return urlsplit(page.url)._replace(scheme="", netloc="", fragment="").geturl()


def every_page(page, language: str = "en") -> Iterator[Visit]:
    """Every page type each identity reaches in ``language``, from home and the busiest Working Group's
    pages (the first of a kind is the one visited: WG 2 has rounds); the demo must be seeded."""
    group = WorkingGroup.objects.get(number=2).pk
    starts = ["/home/", f"/groups/{group}/", f"/planning/wg/{group}/"]
    for name, email in identities():
        open_session(page, email, language)
        for kind, status in crawl(page, own_pages(email) + starts if email else ["/"]):
            yield Visit(name, kind, status, here(page))


def again(page, visits: list[Visit], language: str) -> Iterator[Visit]:
    """The pages of ``visits`` (in the crawl's order) once more, each as the identity that reached it, in
    ``language``; open in the browser when each is yielded."""
    emails = dict(identities())
    for name, theirs in groupby(visits, key=lambda visit: visit.identity):
        open_session(page, emails[name], language)
        for visit in theirs:
            yield replace(visit, status=page.goto(visit.url).status)
