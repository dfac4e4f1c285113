"""Every page type each demo identity reaches (the anonymous visitor and the seven demo accounts; the crawl
of crawl.py), looked at once in English — its layout at both widths (test_layout.py) and WCAG 2.1 A and AA
(axe-core, test_accessibility.py) — then each page type once more in Arabic, right to left, for WCAG. One
crawl serves both checks: it is most of their time. What they find is written beside the screenshots
(``var/screenshots/`` by default): ``layout-findings.txt``, ``layout-pages.txt`` and ``axe-report.txt``, the
last printed too."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.crawl import SCREENSHOTS, again, every_page
from tests.browser.test_accessibility import FAILING, REPORT, Finding, audit, report, right_to_left
from tests.browser.test_layout import WIDE, looked_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_type_for_every_identity(page, compact, settings, capsys):
    settings.MFA_REQUIRED = False  # as in the demo
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    layout, photographed, visited = [], set(), []
    findings, checked, wrong_direction = [], Counter(), []

    def audited(language, visit):
        result = audit(page)
        findings.extend(Finding.all_of(language, visit, result["violations"]))
        checked[language] += 1
        if right_to_left(result) is not (language == "ar"):
            wrong_direction.append(f"{language} {visit.identity} {visit.url}")

    for visit in every_page(page, "en"):
        if visit.status >= 400:
            layout.append(f"{visit.identity} {visit.url}: a link leads to an error page ({visit.status})")
            continue
        page.set_viewport_size(WIDE)  # axe sees the page as the wide screenshot shows it
        audited("en", visit)
        layout += looked_at(page, visit.identity, visit.kind, shot=visit.kind not in photographed)
        photographed.add(visit.kind)
        visited.append(visit)
    page.set_viewport_size(WIDE)
    # Right to left is a matter of each page type's markup and styles, not of whose data fills it: one visit
    # of each type in Arabic (the first identity's) — the English pass has covered every identity.
    kinds: set[str] = set()
    one_of_each = [visit for visit in visited if not (visit.kind in kinds or kinds.add(visit.kind))]
    for visit in again(page, one_of_each, "ar"):
        if visit.status >= 400:
            layout.append(f"{visit.identity} {visit.url}: an error page in Arabic ({visit.status})")
            continue
        audited("ar", visit)

    # All the findings in files beside the screenshots, for the person who fixes them; axe's in CI's log too.
    (SCREENSHOTS / "layout-findings.txt").write_text("\n".join(layout) + "\n", encoding="utf-8")
    pages = [f"{visit.identity} {visit.kind} {visit.url}" for visit in visited]
    (SCREENSHOTS / "layout-pages.txt").write_text("\n".join(pages) + "\n", encoding="utf-8")
    text = report(findings, checked)
    REPORT.write_text(text, encoding="utf-8")
    with capsys.disabled():  # shown whether the test passes or fails
        print(f"\n{text}")

    assert len(visited) > 100, "the crawl stopped early"
    assert wrong_direction == [], "pages not served in the direction of their language"
    assert layout == [], f"{len(layout)} layout findings, listed in {SCREENSHOTS / 'layout-findings.txt'}"
    failing = [finding for finding in findings if finding.impact in FAILING]
    assert failing == [], f"{len(failing)} serious or critical WCAG violations, listed in {REPORT}"
