"""Arabic is served right to left: the page says so (``<html lang="ar" dir="rtl">``, Bootstrap's RTL
build), the project's own styles use logical properties only (nothing that Bootstrap's RTL build could not
mirror), and every icon that points the reading way is in the rule that mirrors it (docs/rtl.md)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, timezone, translation

from newsletters import emails
from tests.conftest import make_profile, signed_in
from tests.newsletters.conftest import open_issue

ROOT = Path(settings.BASE_DIR)
STYLESHEETS = sorted((ROOT / "static" / "css").glob("*.css"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

#: Physical left/right in CSS: margins, paddings, borders and their radii, positions, alignment, floats.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![\w-])border-(?:top|bottom)-(?:left|right)-radius\b"
    r"|(?<![\w-])(?:left|right)\s*:"
    r"|(?<![\w-])(?:text-align|float|clear)\s*:\s*(?:left|right)\b",
    re.IGNORECASE,
)
INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*(["'])(.*?)\1""", re.DOTALL)
#: Icons that point sideways: they say forward or back, so they turn with the reading direction.
DIRECTIONAL_ICON = re.compile(
    r"\bbi-(?:[a-z0-9-]*-)?(?:left|right)(?:-[a-z0-9-]+)?\b|\bbi-(?:reply|reply-all|forward)\b"
)


def page(language: str, url: str, client: Client | None = None) -> str:
    client = client or Client()
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_arabic_pages_are_right_to_left_with_bootstraps_rtl_build(compact, url):
    html = page("ar", url)
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap/css/bootstrap.rtl.min.css" in html
    assert "bootstrap/css/bootstrap.min.css" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_english_pages_are_left_to_right_with_the_normal_build(compact, url):
    html = page("en", url)
    assert '<html lang="en" dir="ltr">' in html
    assert "bootstrap/css/bootstrap.min.css" in html
    assert "bootstrap.rtl" not in html


@pytest.mark.django_db
def test_a_signed_in_page_in_arabic_is_right_to_left_and_its_arrows_are_mirrored(secretariat):
    html = page("ar", "/calendar/", signed_in(secretariat))
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    # previous and next carry the icons that the RTL rule turns round
    assert 'class="bi bi-chevron-left"' in html
    assert 'class="bi bi-chevron-right"' in html
    assert 'class="bi bi-chevron-right"' in page("en", "/calendar/", signed_in(secretariat))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/people/{pk}/", "/people/?q=Amina"])
def test_phone_numbers_keep_their_order_in_arabic(secretariat, url):
    """Digits in groups separated by spaces would be laid out group by group from the right ("2201 963 212
    1+"): a phone number is isolated left to right."""
    make_profile(user=secretariat, phone_office="+1 212 963 2201", phone_mobile="+41 79 555 01 23")
    html = page("ar", url.format(pk=secretariat.pk), signed_in(secretariat))
    assert '<span dir="ltr">+1 212 963 2201</span>' in html
    assert '<span dir="ltr">+41 79 555 01 23</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_the_newsletters_html_email_has_its_readers_language_and_direction(secretariat, language, direction):
    # given a reader of the newsletter who chose the language
    issue = open_issue(secretariat)
    make_profile(user=secretariat, language=language)
    # then their copy is written in it, whatever the language of the page that sends it
    with translation.override("fr"):
        html = emails.message_for(issue, secretariat).alternatives[0][0]
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_an_arabic_date_and_time_closes_its_latin_zone_name():
    """ "17 ديسمبر 2026، 08:00 EST · UNOCT": without the right-to-left mark after "EST", the zone and the
    organisation after it made one left-to-right run, and the zone was read after the organisation."""
    moment = datetime(2026, 12, 17, 13, 0, tzinfo=UTC)
    with translation.override("ar"), timezone.override("America/New_York"):
        shown = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    assert shown == "17 ديسمبر 2026، 08:00 EST\u200f"
    with translation.override("en"), timezone.override("America/New_York"):
        assert "\u200f" not in formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@pytest.mark.parametrize(
    "css",
    [
        "margin-left: 1rem",
        "padding-right:0",
        "border-left: 1px solid",
        "border-top-right-radius: 2px",
        "left: 0",
        "right :1rem",
        "text-align: left",
        "text-align:right",
        "float: right",
        "clear: left",
    ],
)
def test_the_check_catches_physical_properties(css):
    assert PHYSICAL.search(f".x {{ {css}; }}")


@pytest.mark.parametrize(
    "css",
    [
        "margin-inline-start: 1rem",
        "padding-inline-end: 0",
        "inset-inline-start: 0.5rem",
        "text-align: start",
        "float: inline-end",
        "top: -3rem",
        "border-start-start-radius: 2px",
        "--bs-navbar-color: #fff",
    ],
)
def test_the_check_leaves_logical_properties_alone(css):
    assert not PHYSICAL.search(f".x {{ {css}; }}")


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_the_projects_stylesheets_use_logical_properties_only(stylesheet):
    found = PHYSICAL.findall(_without_comments(stylesheet.read_text()))
    assert not found, f"{stylesheet.name}: use logical properties (docs/rtl.md), not {found}"


def test_no_template_has_physical_properties_in_its_styles():
    offenders = []
    for template in TEMPLATES:
        text = template.read_text()
        styles = [match.group(2) for match in INLINE_STYLE.finditer(text)]
        styles += re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.DOTALL)
        offenders += [
            f"{template.relative_to(ROOT)}: {style!r}" for style in styles if PHYSICAL.search(style)
        ]
    assert not offenders


def _mirrored_icons() -> set[str]:
    css = _without_comments((ROOT / "static" / "css" / "platform.css").read_text())
    rule = re.search(r'\[dir="rtl"\]\s*:is\((.*?)\)::before\s*\{\s*transform:\s*scaleX\(-1\)', css, re.DOTALL)
    assert rule, "platform.css has lost the rule that mirrors directional icons in RTL"
    return set(re.findall(r"\.(bi-[a-z0-9-]+)", rule.group(1)))


def test_every_directional_icon_in_use_is_mirrored_in_rtl():
    mirrored = _mirrored_icons()
    used = set()
    for source in [*TEMPLATES, *sorted((ROOT / "static" / "js").glob("*.js"))]:
        used |= {match.group(0) for match in DIRECTIONAL_ICON.finditer(source.read_text())}
    assert {"bi-chevron-left", "bi-chevron-right", "bi-arrow-right"} <= used
    assert used <= mirrored, f"mirror these in static/css/platform.css: {sorted(used - mirrored)}"


def test_icons_of_things_are_not_mirrored():
    assert not _mirrored_icons() & {"bi-download", "bi-bell", "bi-lock", "bi-search", "bi-telephone"}
