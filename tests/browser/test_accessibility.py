"""WCAG 2.1 A and AA checks (axe-core, in headless Chromium) on the pages people use most."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from calendar_app.models import Event
from directory.models import Organization, User, WorkingGroup
from discussions.models import Thread
from library.models import Resource
from projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        WCAG_21_AA,
    )
    found = []
    for violation in result:
        where = json.dumps([node["target"] for node in violation["nodes"]][:3])
        found.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} — {where}")
    return found


def test_main_pages_meet_wcag_21_aa(page, compact, settings):
    settings.MFA_REQUIRED = False  # as in the demo; the pages under test are the same
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    found = []
    public = ["/public/projects/", "/public/appeal/", "/public/events/", "/public/library/"]
    for path in ["/", "/accounts/login/", "/access/request/", *public]:
        page.goto(path)
        found += violations(page)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("secretariat@demo.compact.example")
    page.get_by_label("Password").fill("compact-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")
    person = User.objects.get(email="secretariat@demo.compact.example")
    resource = Resource.objects.filter(visibility="platform").order_by("pk").first()
    event = Event.objects.filter(parent=None, visibility="platform").order_by("pk").first()
    group = WorkingGroup.objects.get(number=2)
    kenya = Organization.objects.get(reference_key="state:KEN")
    project = Project.objects.filter(visibility="platform").order_by("pk").first()
    thread = Thread.objects.filter(visibility__in=["platform", "compact"]).order_by("pk").first() or (
        Thread.objects.order_by("pk").first()
    )
    for path in [
        "/home/",
        "/people/?kind=compact_entity",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        "/organisations/",
        f"/organisations/{kenya.pk}/",
        f"/countries/{kenya.pk}/profile/history/",
        "/notices/",
        "/notices/new/",
        "/library/",
        "/library/search/?q=border&type=good_practice",
        f"/library/{resource.pk}/",
        "/library/new/",
        "/library/trash/",
        "/calendar/",
        "/calendar/week/",
        "/calendar/agenda/",
        "/calendar/new/",
        "/calendar/feeds/",
        "/calendar/clashes/",
        f"/calendar/events/{event.pk}/",
        "/groups/",
        f"/groups/{group.pk}/",
        f"/groups/{group.pk}/members/",
        "/discussions/",
        f"/discussions/?working_group={group.pk}",
        f"/discussions/{thread.pk}/",
        "/discussions/new/",
        f"/planning/wg/{group.pk}/",
        "/planning/timeline/",
        "/planning/periods/",
        f"/planning/wg/{group.pk}/reports/",
        "/notifications/",
        "/notifications/preferences/",
        "/secretariat/access-requests/",
        "/secretariat/coverage/",
        "/projects/?status=ongoing",
        "/projects/matrix/",
        "/projects/new/",
        f"/projects/{project.pk}/",
    ]:
        page.goto(path)
        found += violations(page)

    assert found == []
