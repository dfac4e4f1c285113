"""The WCAG 2.1 A and AA check (axe-core, in headless Chromium), run on every page type each demo identity
reaches in English and in Arabic (test_every_page.py) and on the pages other browser tests hold to no
finding at all (``violations``). A violation of serious or critical impact fails; every finding, moderate
and minor ones too, is in a report printed to the test's output (CI's log) and written to
``axe-report.txt`` beside the layout screenshots. Here: that the check finds and reports what fails."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.crawl import SCREENSHOTS, Visit, choose_language, here

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
FAILING = IMPACTS[:2]
LANGUAGES = {"en": "English", "ar": "Arabic"}
REPORT = SCREENSHOTS / "axe-report.txt"

# Only violations are collected (details of the passes would cost a good part of axe's time on a page), with
# what the crawl checks of every page besides: the direction and stylesheet the language asked for.
RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(result => ({
    violations: result.violations,
    dir: document.documentElement.dir,
    rtlStylesheet: !!document.querySelector('link[rel=stylesheet][href*="bootstrap.rtl"]'),
  }))"""


def audit(page) -> dict:
    """axe's violations on the open page, its ``dir`` and whether Bootstrap's RTL stylesheet is in use."""
    page.add_script_tag(content=AXE)
    return page.evaluate(RUN, WCAG_21_AA)


def right_to_left(result: dict) -> bool | None:
    """Whether the audited page was served right to left (True), left to right (False), or half and half:
    one without the other (None)."""
    return {("rtl", True): True, ("ltr", False): False}.get((result["dir"], result["rtlStylesheet"]))


def violations(page) -> list[str]:
    """Every violation on the open page, whatever its impact, one line each (for the tests that hold a
    page they check to no finding at all)."""
    found = []
    for violation in audit(page)["violations"]:
        where = json.dumps([node["target"] for node in violation["nodes"]][:3])
        found.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} — {where}")
    return found


@dataclass(frozen=True)
class Finding:
    """One axe rule broken on one page, as one identity saw it in one language."""

    language: str
    visit: Visit
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    @classmethod
    def all_of(cls, language: str, visit: Visit, violations: list[dict]) -> list[Finding]:
        return [
            cls(
                language,
                visit,
                violation["id"],
                violation["impact"],
                violation["help"],
                tuple(" ".join(node["target"]) for node in violation["nodes"]),
            )
            for violation in violations
        ]


def report(findings: list[Finding], checked: Counter) -> str:
    """The findings for a person to read: serious and critical first, then the others; the same rule broken
    at the same places of a page type is one entry, with every language and identity that met it."""
    pages = ", ".join(f"{checked[code]} in {name}" for code, name in LANGUAGES.items())
    lines = [f"axe-core, WCAG 2.1 A and AA, every page type each demo identity reaches: {pages}."]
    entries = defaultdict(list)
    for finding in findings:
        rank = IMPACTS.index(finding.impact)
        entries[(rank, finding.rule, finding.visit.kind, finding.targets)].append(finding)
    for heading, impacts in (
        ("Failing (serious or critical)", FAILING),
        ("Listed (moderate or minor)", IMPACTS[2:]),
    ):
        keys = sorted(key for key in entries if IMPACTS[key[0]] in impacts)
        lines += ["", f"{heading}: {len(keys)}"]
        for key in keys:
            met, (_rank, _rule, kind, targets) = entries[key], key
            who = defaultdict(list)
            for finding in met:
                who[finding.language].append(finding.visit.identity)
            lines += [
                f"- {met[0].impact} {met[0].rule}: {met[0].help}",
                f"  page {kind} ({met[0].visit.url})",
                *(f"  {LANGUAGES[code]}: {', '.join(names)}" for code, names in who.items()),
                *(f"  at {target}" for target in targets[:5]),
            ]
            if len(targets) > 5:
                lines.append(f"  and {len(targets) - 5} more")
    return "\n".join(lines) + "\n"


def test_the_check_finds_and_reports_what_fails(page, compact):
    # given the sign-in page as it is, in English then in Arabic: nothing to report, and the direction right
    page.goto("/accounts/login/")
    result = audit(page)
    assert (result["violations"], right_to_left(result)) == ([], False)
    choose_language(page, "ar")
    page.reload()
    result = audit(page)
    assert (result["violations"], right_to_left(result)) == ([], True)

    # when a picture without a text alternative and pale grey text are added
    page.evaluate(
        """() => { const main = document.querySelector("main");
        main.insertAdjacentHTML("beforeend", '<img id="logo" src="/static/favicon.svg">'
          + '<p id="pale" style="color: #bbb">Pale words</p>'); }"""
    )
    visit = Visit("anonymous", "account_login", 200, here(page))
    found = Finding.all_of("ar", visit, audit(page)["violations"])

    # then both fail, and the report says where, for whom and in which language
    assert {(finding.rule, finding.impact, finding.targets) for finding in found} == {
        ("image-alt", "critical", ("#logo",)),
        ("color-contrast", "serious", ("#pale",)),
    }
    text = report(found, Counter(ar=1))
    assert "Failing (serious or critical): 2" in text
    assert "- critical image-alt: Images must have alternative text" in text
    assert "  page account_login (/accounts/login/)\n  Arabic: anonymous\n  at #logo" in text
