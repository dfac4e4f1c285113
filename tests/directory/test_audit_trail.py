"""What the Secretariat reads in the audit trail (rule 9 of the access model): who changed which record and
when, always; the content of a record only where it could see the object anywhere else."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendar_app.models import Rsvp
from directory.access import Visibility
from directory.models import ContactVisibility, Participation
from discussions.models import Reply, Thread
from library.models import Document, FileVersion, Resource
from tests.calendar_app.conftest import make_event
from tests.conftest import make_profile, notice, organization
from tests.pages import main_words

SECRET = "Sahel-confidential-7731"
PHONE = "+41 22 917 1234"


def hidden_rows(response) -> int:
    return response.content.decode().count("Content hidden: it belongs to something you may not see.")


@pytest.fixture
def restricted(unodc_person):
    """Content only UNODC may read, of every kind, with the secret in its text; and a phone number its
    owner shows to their own organisation only."""
    unodc = organization("entity:UNODC")
    item = notice(unodc, Visibility.OWNER, title=f"Notice {SECRET}", body=SECRET)
    item.title = f"Renamed {SECRET}"
    item.save()
    thread = Thread.objects.create(
        title=f"Thread {SECRET}", body=SECRET, owner=unodc, author=unodc_person, visibility=Visibility.OWNER
    )
    Reply.objects.create(thread=thread, author=unodc_person, body=f"Reply {SECRET}")
    event = make_event(unodc, Visibility.OWNER, title=f"Event {SECRET}", venue=SECRET)
    Rsvp.objects.create(event=event, user=unodc_person, response="attending")
    resource = Resource.objects.create(
        title=f"Resource {SECRET}",
        summary=SECRET,
        owner=unodc,
        visibility=Visibility.OWNER,
        resource_type="report",
    )
    document = Document.objects.create(resource=resource, language="en", label=SECRET)
    version = FileVersion(
        document=document, number=1, original_name=f"{SECRET}.pdf", kind="pdf",
        content_type="application/pdf", size=3, sha256="0" * 64,
    )  # fmt: skip
    version.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
    version.save()
    make_profile(user=unodc_person, phone_office=PHONE, phone_visibility=ContactVisibility.ORGANIZATION)
    return item


def test_the_trail_hides_content_the_secretariat_may_not_see(secretariat_client, restricted):
    # given content restricted to UNODC (and a platform notice anyone may read)
    notice(organization("entity:CTED"), Visibility.PLATFORM, title="Open call for contributions")

    # when the Secretariat reads every page of the trail
    texts, hidden = [], 0
    for number in range(1, 8):
        response = secretariat_client.get(f"/secretariat/audit/changes/?page={number}")
        assert response.status_code == 200
        texts.append(main_words(response))
        hidden += hidden_rows(response)
    text = " ".join(texts)

    # then no title, text, venue, file name or restricted phone number of theirs is anywhere in it
    assert SECRET not in text
    assert PHONE not in text
    # but the records are listed, with what happened to them
    for kind in ("Notice", "Thread", "Reply", "Event", "Resource", "Document", "File version", "RSVP"):
        assert re.search(rf"{kind} #\d+ (created|changed)", text, re.IGNORECASE), kind
    assert hidden >= 9
    # and what the Secretariat may read elsewhere is shown in full
    assert "Open call for contributions" in text


def test_an_update_of_hidden_content_names_the_fields_not_their_values(secretariat_client, restricted):
    response = secretariat_client.get("/secretariat/audit/changes/?kind=notices.NoticeEvent")
    text = main_words(response)
    assert f"Notice #{restricted.pk} changed" in text
    assert "Title : hidden" in text
    assert SECRET not in text


def test_the_owner_organisation_would_read_its_own_content(unodc_person, restricted):
    # the rule is the audience rule: shown to exactly those who may read the object
    from pghistory.models import Events

    from directory.audit_trail import entries

    events = Events.objects.across("notices.NoticeEvent").order_by("-pgh_id")
    shown = entries(unodc_person, events)
    assert shown
    assert all(not entry.masked for entry in shown)
    assert any(SECRET in change.after for entry in shown for change in entry.changes)


def test_a_phone_number_is_shown_as_its_owner_chose(secretariat_client, unodc_person, restricted):
    # given the number restricted to the person's organisation: hidden from the Secretariat
    page = secretariat_client.get("/secretariat/audit/changes/?kind=directory.ProfileEvent")
    assert PHONE not in main_words(page)
    assert "Office phone : hidden" in main_words(page)
    # when the person shows it to everyone on the platform, the trail shows it too
    make_profile(user=unodc_person, phone_visibility=ContactVisibility.PLATFORM)
    page = secretariat_client.get("/secretariat/audit/changes/?kind=directory.ProfileEvent")
    assert PHONE in main_words(page)


def test_registry_records_are_shown_in_full_but_secrets(secretariat_client, compact):
    # given a Working Group participation and an invitation (its link's digest is a secret)
    participation = Participation.objects.create(
        working_group_id=3, organization=organization("state:KEN"), role="guest", topic="Aviation security"
    )
    secretariat_client.post(
        "/secretariat/invite/",
        {"email": "new@example.org", "organization": organization("entity:UNDP").pk, "role": "focal_point"},
    )
    text = main_words(secretariat_client.get("/secretariat/audit/changes/"))
    assert f"Participation #{participation.pk} created" in text
    assert "Aviation security" in text
    assert "new@example.org" in text
    assert "Token digest : hidden" in text


def test_a_deleted_object_stays_hidden(secretariat_client, restricted):
    pk = restricted.pk
    restricted.delete()
    text = main_words(secretariat_client.get("/secretariat/audit/changes/?kind=notices.NoticeEvent"))
    assert f"Notice #{pk} deleted" in text
    assert SECRET not in text


def test_the_page_reads_a_constant_number_of_queries(secretariat_client, restricted, unodc_person):
    thread = Thread.objects.get()

    def more(count: int) -> None:
        for number in range(count):
            notice(organization("entity:UNODC"), Visibility.OWNER, title=f"More {number}")
            Reply.objects.create(thread=thread, author=unodc_person, body=f"More {number}")

    def queries(kind: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert secretariat_client.get(f"/secretariat/audit/changes/?kind={kind}").status_code == 200
        return len(captured)

    # given full pages of notices and replies, written after a first visit (a session's first page reads
    # more; and in a test's one transaction, the visit's audit context marks the writes that follow)
    queries("notices.NoticeEvent")
    more(60)
    before = {kind: queries(kind) for kind in ("discussions.ReplyEvent", "notices.NoticeEvent")}
    # when as many more arrive
    more(60)
    # then each page reads as many queries as before: one per kind of record, not one per row
    assert {kind: queries(kind) for kind in before} == before


def test_the_trail_reads_as_names_and_plain_values(secretariat_client, restricted):
    # given a platform notice by UNODC's person: its owner and author are named, its date written out
    item = notice(organization("entity:CTED"), Visibility.PLATFORM, title="Readable")
    text = main_words(secretariat_client.get("/secretariat/audit/changes/?kind=notices.NoticeEvent"))
    assert f"Notice #{item.pk} created" in text
    assert "Owner organisation : CTED" in text
    assert "Who can see it : Everyone on the platform" in text
    assert re.search(r"Posted : \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", text)


def test_the_trail_downloads_as_csv_with_the_same_masking(secretariat_client, secretariat, restricted):
    import csv
    import io

    from core.models import SecurityEvent, SecurityEventKind

    notice(organization("entity:CTED"), Visibility.PLATFORM, title="Readable")
    response = secretariat_client.get("/secretariat/audit/changes.csv?kind=notices.NoticeEvent")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["When", "Who", "Email", "Record"]
    body = response.content.decode("utf-8-sig")
    assert "Readable" in body
    assert SECRET not in body
    assert any(row[5] == "Title" and row[7] == "hidden" for row in rows[1:])
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT, user=secretariat).exists()


def test_a_recorded_json_value_reads_as_json_on_the_page_and_in_the_csv(secretariat_client, compact):
    from datetime import date

    from directory.models import WorkingGroup
    from planning.models import ProgressReport, ReportingPeriod

    # given a submitted report whose frozen figures (a JSON object) were recorded in the trail
    period = ReportingPeriod.objects.create(
        name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31), due=date(2027, 1, 31)
    )
    report = ProgressReport.objects.create(working_group=WorkingGroup.objects.get(number=2), period=period)
    report.figures = {"meetings": 4, "documents": 11}
    report.save()

    # when the Secretariat reads the trail of reports, as a page and as a download
    page = secretariat_client.get("/secretariat/audit/changes/?kind=planning.ProgressReportEvent")
    export = secretariat_client.get("/secretariat/audit/changes.csv?kind=planning.ProgressReportEvent")

    # then both answer, with the figures as written
    assert page.status_code == 200
    assert export.status_code == 200
    assert '{""meetings"": 4, ""documents"": 11}' in export.content.decode("utf-8-sig")


def test_the_page_is_chosen_without_working_out_every_change(secretariat_client, restricted):
    from directory.views.audit import ChangesFilterForm, _changes

    # given the query that picks a page of the trail (every kind of record, newest first)
    form = ChangesFilterForm({})
    assert form.is_valid()
    sql, params = _changes(form)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then PostgreSQL plans no per-change subquery: the before → after of each change (a second per
    # thousand changes when worked out for the whole trail) is read only for the page's own changes
    assert "SubPlan" not in plan
    response = secretariat_client.get("/secretariat/audit/changes/")
    assert f"Renamed {SECRET}" not in main_words(response)
    assert "Title" in main_words(response)
