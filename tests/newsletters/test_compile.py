"""Compiling a period's draft: what the period holds and every subscriber may read, named, never the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from directory.access import Visibility
from directory.models import Membership, MembershipRole, Organization, OrganizationKind
from library.models import Resource, ResourceType
from newsletters.models import Kind, Status
from planning.models import ProgressReport, ReportingPeriod, ReportStatus
from tests.calendar_app.conftest import make_event
from tests.conftest import organization, wg
from tests.newsletters.conftest import open_issue
from tests.projects.conftest import make_project

IN = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)
BEFORE = datetime(2027, 2, 27, 10, 0, tzinfo=UTC)
AFTER = datetime(2027, 5, 2, 10, 0, tzinfo=UTC)


def resource(title, *, published=date(2027, 3, 10), visibility=Visibility.PLATFORM, group=None, **fields):
    return Resource.objects.create(
        title=title,
        owner=organization(fields.pop("owner", "entity:UNODC")),
        visibility=visibility,
        working_group=group,
        resource_type=ResourceType.REPORT,
        publication_date=published,
        **fields,
    )


@pytest.fixture
def period_data(compact, make_user):
    """Items of every kind in the period (platform-wide or public), before and after it, and restricted."""
    unodc, cted = organization("entity:UNODC"), organization("entity:CTED")
    make_event(unodc, title="Regional workshop on border security", start=IN)
    make_event(unodc, Visibility.PUBLIC, title="Public conference on victims", start=IN + timedelta(days=3))
    make_event(cted, title="WG 2 plenary", start=IN + timedelta(days=5), working_group=wg(2),
               event_type="wg_meeting")  # fmt: skip
    make_event(unodc, title="Event before the period", start=BEFORE)
    make_event(unodc, title="Event after the period", start=AFTER)
    make_event(unodc, Visibility.COMPACT, title="Compact-only retreat", start=IN)
    make_event(cted, Visibility.WORKING_GROUP, title="WG 2 closed session", start=IN, working_group=wg(2))
    resource("Guide on prison radicalisation")
    resource("WG 2 border handbook", group=wg(2), owner="entity:CTED")
    resource("Document published before", published=date(2027, 2, 28))
    resource("Owner-only draft assessment", visibility=Visibility.OWNER)
    resource("Document in the trash", deleted_at=timezone.now())
    project = make_project("Project added in the period")
    project.created_at = IN
    project.save()
    private = make_project("Organisations-only project", visibility=Visibility.ORGANIZATIONS)
    private.created_at = IN
    private.save()
    period = ReportingPeriod.objects.create(
        name="2027 first half", start=date(2027, 1, 1), end=date(2027, 6, 30), due=date(2027, 7, 31)
    )
    ProgressReport.objects.create(
        working_group=wg(2), period=period, status=ReportStatus.SUBMITTED, submitted_at=IN,
        achievements="Confidential achievements of the group",
    )  # fmt: skip
    joined = Organization.objects.create(kind=OrganizationKind.REGIONAL_ORGANIZATION, name="Sahel Alliance")
    Organization.objects.filter(pk=joined.pk).update(created_at=IN)
    kenya = organization("state:KEN")
    person = make_user("new.focal@example.org", organization=kenya, full_name="Wanjiru New")
    Membership.objects.filter(user=person).update(started_at=IN)
    leaver = make_user("leaver@example.org", organization=kenya, full_name="Left Already")
    Membership.objects.filter(user=leaver).update(started_at=IN, ended_at=IN + timedelta(days=1))
    admin = make_user("admin.new@example.org", organization=kenya, role=MembershipRole.ORGANIZATION_ADMIN)
    Membership.objects.filter(user=admin).update(started_at=IN)


def test_the_draft_holds_the_periods_items_that_everyone_may_read(period_data, secretariat):
    # when the Secretariat opens March–April 2027
    issue = open_issue(secretariat)
    # then the draft lists the period's events, documents and projects readable by everyone, by name
    body = issue.body
    for title in (
        "Regional workshop on border security",
        "Public conference on victims",
        "WG 2 plenary",
        "Guide on prison radicalisation",
        "WG 2 border handbook",
        "Project added in the period",
    ):
        assert title in body, title
    assert issue.status == Status.DRAFT
    assert issue.kind == Kind.BIMONTHLY
    assert issue.title == "Newsletter, March 2027 – April 2027"
    # and nothing outside the period
    for title in ("Event before the period", "Event after the period", "Document published before"):
        assert title not in body, title


def test_restricted_items_are_never_compiled(period_data, secretariat):
    body = open_issue(secretariat).body
    for title in (
        "Compact-only retreat",
        "WG 2 closed session",
        "Owner-only draft assessment",
        "Document in the trash",
        "Organisations-only project",
        "Confidential achievements of the group",
    ):
        assert title not in body, title


def test_group_highlights_members_and_reports_are_named_not_numbered(period_data, secretariat):
    body = open_issue(secretariat).body
    # the Working Group's meetings, documents and the fact of its report, under its name
    highlights = body.split("Working Group highlights", 1)[1].split("\n\n", 1)[0]
    assert str(wg(2)) in highlights
    assert "1 meeting held: WG 2 plenary" in highlights
    assert "1 new document: WG 2 border handbook" in highlights
    assert "Progress report submitted for 2027 first half" in highlights
    # new members: organisations by name, focal points counted per organisation, never a person's name
    members = body.split("New members", 1)[1].split("\n\n", 1)[0]
    assert "Sahel Alliance" in members
    assert "1 focal point nominated by Member State: Kenya (1)" in members
    assert "Wanjiru" not in body
    assert "new.focal@example.org" not in body
    assert f"/{wg(2).pk}" not in highlights.split("\n")[1]  # a name, not an id
    # links point at the platform's pages of each item
    assert "/calendar/" in body
    assert "/library/" in body
    assert "/projects/" in body


def test_an_empty_period_says_so(compact, secretariat):
    issue = open_issue(secretariat, start=date(2040, 1, 1), end=date(2040, 12, 31), kind=Kind.ANNUAL)
    assert issue.title == "Annual newsletter 2040"
    assert issue.body == "Nothing was published for everyone on the platform in this period."


def test_only_the_secretariat_opens_a_period(compact, focal_point):
    with pytest.raises(PermissionDenied):
        open_issue(focal_point)
