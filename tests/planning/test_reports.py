"""Progress reports: figures computed from the space's data (workplan, calendar, library), frozen at
submission; only the space's managers draft and submit; the Secretariat's side-by-side page and exports."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import docx
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from calendar_app.models import Event, EventStatus, EventType
from calendar_app.services import refresh
from core.models import SecurityEvent, SecurityEventKind
from directory.access import Visibility
from library.models import Resource
from planning import figures, services
from planning.models import ActivityStatus, ProgressReport, ReportStatus
from tests.conftest import organization, signed_in, wg
from tests.planning.conftest import make_activity, make_period

PERIOD_START, PERIOD_END = date(2025, 1, 1), date(2025, 12, 31)


def meeting(title, start, *, group=None, event_type=EventType.WG_MEETING, rrule="", **fields):
    event = Event.objects.create(
        title=title,
        event_type=event_type,
        owner=organization("entity:CTED"),
        visibility=Visibility.WORKING_GROUP,
        working_group=group or wg(),
        start=start,
        end=start + timedelta(hours=2),
        rrule=rrule,
        **fields,
    )
    refresh(event)
    return event


def resource(title, published, visibility=Visibility.PLATFORM, *, group=None, **fields):
    return Resource.objects.create(
        title=title,
        resource_type="report",
        owner=organization("entity:CTED"),
        visibility=visibility,
        working_group=group or wg(),
        publication_date=published,
        **fields,
    )


@pytest.fixture
def space_data(compact):
    """WG 2's data in and around the 2025 period."""
    make_activity(
        "Done in 2025", status=ActivityStatus.COMPLETED, start=date(2025, 2, 1), end=date(2025, 5, 31)
    )
    make_activity("Running", status=ActivityStatus.ONGOING, start=date(2024, 6, 1), end=date(2026, 6, 30))
    make_activity("Planned", status=ActivityStatus.PLANNED, start=date(2025, 10, 1), end=date(2025, 11, 30))
    make_activity("Next year", status=ActivityStatus.PLANNED, start=date(2026, 2, 1), end=date(2026, 3, 31))
    make_activity(
        "Other group",
        status=ActivityStatus.ONGOING,
        group=wg(3),
        start=date(2025, 1, 1),
        end=date(2025, 3, 1),
    )
    # meetings: a monthly series of 3 in the period, one single meeting, and what must not count
    meeting("Monthly", datetime(2025, 3, 4, 9, tzinfo=UTC), rrule="FREQ=MONTHLY;COUNT=3")
    meeting("Plenary", datetime(2025, 11, 20, 9, tzinfo=UTC))
    meeting("Cancelled", datetime(2025, 6, 1, 9, tzinfo=UTC), status=EventStatus.CANCELLED)
    meeting("A webinar", datetime(2025, 6, 2, 9, tzinfo=UTC), event_type=EventType.WEBINAR)
    meeting("Last year", datetime(2024, 12, 31, 9, tzinfo=UTC))
    meeting("Another group", datetime(2025, 6, 3, 9, tzinfo=UTC), group=wg(3))
    # documents: two open ones, one for the group only, one in the trash, one outside the period
    resource("Open study", date(2025, 4, 1))
    resource("Compact note", date(2025, 5, 1), Visibility.COMPACT)
    resource("Members-only minutes", date(2025, 6, 1), Visibility.WORKING_GROUP_MEMBERS)
    resource("Trashed", date(2025, 6, 1), deleted_at=datetime(2025, 7, 1, tzinfo=UTC))
    resource("Old study", date(2024, 4, 1))
    return make_period("2025", PERIOD_START, PERIOD_END)


def test_figures_are_computed_from_the_space_data(space_data):
    data = figures.compute(wg(), PERIOD_START, PERIOD_END)
    assert data["activities"]["by_status"] == {
        "proposed": 0,
        "planned": 1,
        "ongoing": 1,
        "completed": 1,
        "cancelled": 0,
    }
    assert data["activities"]["total"] == 3
    assert data["activities"]["completed_titles"] == ["Done in 2025"]
    assert data["meetings"]["count"] == 4
    assert data["meetings"]["dates"] == ["2025-03-04", "2025-04-04", "2025-05-04", "2025-11-20"]
    # every document of the group is counted, titles only of those open to the platform or the Compact
    assert data["documents"]["count"] == 3
    assert [d["title"] for d in data["documents"]["listed"]] == ["Open study", "Compact note"]


def draft(chair, period, **texts):
    data = {"achievements": "We trained 200 officers.", "challenges": "Funding.", "next_steps": "More."}
    data.update(texts)
    return signed_in(chair).post(f"/planning/wg/{wg().pk}/reports/{period.pk}/edit/", data)


def test_the_chair_drafts_then_submits_and_the_figures_freeze(chair, space_data):
    period = space_data
    # given the chair's draft
    response = draft(chair, period)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    assert report.drafted_by == chair
    assert report.figures == {}
    # the draft's page shows the live figures
    page = signed_in(chair).get(f"/planning/wg/{wg().pk}/reports/{period.pk}/").content.decode()
    assert "Open study" in page
    assert "Members-only minutes" not in page
    # when the chair submits it
    response = signed_in(chair).post(f"/planning/wg/{wg().pk}/reports/{period.pk}/submit/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == chair
    assert report.figures["meetings"]["count"] == 4
    assert report.figures["documents"]["count"] == 3
    # then later data does not change the submitted figures
    meeting("After submission", datetime(2025, 12, 1, 9, tzinfo=UTC))
    resource("Late study", date(2025, 12, 2))
    report.refresh_from_db()
    assert report.figures["meetings"]["count"] == 4
    assert report.figures["documents"]["count"] == 3
    page = signed_in(chair).get(f"/planning/wg/{wg().pk}/reports/{period.pk}/").content.decode()
    assert "Late study" not in page
    assert "as at submission" in page


def test_a_submitted_report_cannot_be_changed_or_submitted_again(chair, space_data):
    period = space_data
    draft(chair, period)
    client = signed_in(chair)
    client.post(f"/planning/wg/{wg().pk}/reports/{period.pk}/submit/")
    response = draft(chair, period, achievements="Changed")
    assert response.status_code == 302
    assert ProgressReport.objects.get().achievements == "We trained 200 officers."
    response = client.post(f"/planning/wg/{wg().pk}/reports/{period.pk}/submit/", follow=True)
    assert any("already submitted" in str(m) for m in get_messages(response.wsgi_request))


def test_an_empty_report_cannot_be_submitted(chair, space_data):
    response = signed_in(chair).post(f"/planning/wg/{wg().pk}/reports/{space_data.pk}/submit/", follow=True)
    assert response.status_code == 200
    assert any("Write the report" in str(m) for m in get_messages(response.wsgi_request))
    assert not ProgressReport.objects.exists()


def test_only_managers_draft_and_submit_members_read(member, observer, stranger, chair, space_data):
    period = space_data
    draft(chair, period)
    base = f"/planning/wg/{wg().pk}/reports/{period.pk}/"
    # members read
    assert signed_in(member).get(base).status_code == 200
    assert signed_in(member).get(f"/planning/wg/{wg().pk}/reports/").status_code == 200
    # but neither draft nor submit
    assert signed_in(member).get(base + "edit/").status_code == 403
    assert signed_in(member).post(base + "edit/", {"achievements": "x"}).status_code == 403
    assert signed_in(member).post(base + "submit/").status_code == 403
    # observers and strangers do not read the group's reports
    for user in (observer, stranger):
        assert signed_in(user).get(base).status_code == 403
    assert ProgressReport.objects.get().status == ReportStatus.DRAFT


def test_the_secretariat_sees_every_group_side_by_side(secretariat_client, chair, space_data):
    period = space_data
    draft(chair, period)
    services.submit_report(by=chair, working_group=wg(), period=period)
    ProgressReport.objects.create(working_group=wg(6), period=period, achievements="Draft text of WG 6")
    response = secretariat_client.get(f"/planning/periods/{period.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "We trained 200 officers." in page
    assert "Draft text of WG 6" not in page  # a draft is the chairs' until submitted
    assert page.count("Not submitted.") == 6
    assert "1 of 8 submitted" in page


def test_the_side_by_side_page_has_a_constant_number_of_queries(secretariat_client, chair, space_data):
    period = space_data
    url = f"/planning/periods/{period.pk}/"
    secretariat_client.get(url)
    with CaptureQueriesContext(connection) as few:
        secretariat_client.get(url)
    for number in range(1, 9):
        ProgressReport.objects.create(
            working_group=wg(number),
            period=period,
            achievements=f"Text {number}",
            status=ReportStatus.SUBMITTED,
            submitted_at=datetime(2026, 1, 5, tzinfo=UTC),
            submitted_by=chair,
            figures={"meetings": {"count": 2}},
        )
    with CaptureQueriesContext(connection) as many:
        response = secretariat_client.get(url)
    assert "Text 8" in response.content.decode()
    assert len(many) == len(few)


def test_the_secretariat_pages_are_for_the_secretariat(chair, member, space_data):
    for user in (chair, member):
        client = signed_in(user)
        for url in (
            "/planning/periods/",
            "/planning/periods/new/",
            f"/planning/periods/{space_data.pk}/",
            f"/planning/periods/{space_data.pk}/export.docx",
            "/planning/timeline/",
        ):
            assert client.get(url).status_code == 403, url


def test_the_secretariat_creates_a_period_and_bad_dates_are_refused(secretariat_client):
    response = secretariat_client.post(
        "/planning/periods/new/",
        {"name": "2027", "start": "2027-12-31", "end": "2027-01-01", "due": "2028-01-31"},
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    response = secretariat_client.post(
        "/planning/periods/new/",
        {"name": "2027", "start": "2027-01-01", "end": "2027-12-31", "due": "2028-01-31"},
    )
    assert response.status_code == 302


@pytest.fixture
def submitted(chair, space_data):
    period = space_data
    draft(chair, period, achievements="Trained 200 officers – and “more” ✓ in Zürich and Łódź.")
    services.submit_report(by=chair, working_group=wg(), period=period)
    ProgressReport.objects.create(working_group=wg(6), period=period, achievements="Secret draft of WG 6")
    return period


def test_the_docx_export_holds_every_group(secretariat_client, submitted):
    response = secretariat_client.get(f"/planning/periods/{submitted.pk}/export.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for number in range(1, 9):
        assert f"Working Group {number}:" in text
    assert "Trained 200 officers – and “more” ✓ in Zürich and Łódź." in text
    assert "Open study" in text
    assert "Meetings held" in cells
    assert "4" in cells
    assert "Secret draft of WG 6" not in text
    assert "Not submitted (a draft is in progress)." in text
    assert text.count("Not submitted.") == 6
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).count() == 1


def test_the_pdf_export_parses_and_holds_the_text(secretariat_client, submitted):
    response = secretariat_client.get(f"/planning/periods/{submitted.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    for number in range(1, 9):
        assert f"Working Group {number}:" in flat
    # typographic quotes, dashes and letters beyond Latin-1 are kept (DejaVu fonts, WeasyPrint)
    assert "Trained 200 officers – and “more” ✓ in Zürich and Łódź." in flat
    assert "Meetings held 4" in flat
    assert "Secret draft" not in flat


def test_an_unknown_export_format_is_a_404(secretariat_client, submitted):
    assert secretariat_client.get(f"/planning/periods/{submitted.pk}/export.xlsx").status_code == 404


def test_the_exports_in_arabic_are_right_to_left(secretariat_client, submitted):
    secretariat_client.cookies["django_language"] = "ar"
    content = secretariat_client.get(f"/planning/periods/{submitted.pk}/export.docx").content
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "<w:bidi/>" in xml
    assert "<w:bidiVisual/>" in xml  # the figures' table, its labels on the right
    pdf = secretariat_client.get(f"/planning/periods/{submitted.pk}/export.pdf")
    assert pdf.status_code == 200
    assert "Trained 200 officers" in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
