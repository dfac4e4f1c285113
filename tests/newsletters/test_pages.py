"""Newsletter pages per person: the archive and an issue, the Secretariat's list, opening a period with
hostile dates, editing and previewing a draft; constant query counts on the lists."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Newsletter, Status
from tests.conftest import count_queries, seed, signed_in
from tests.newsletters.conftest import open_issue
from tests.pages import field_error, headings, links, messages, words


def sent_issue(by, title: str, **dates) -> Newsletter:
    issue = open_issue(by, **dates)
    Newsletter.objects.filter(pk=issue.pk).update(
        title=title, status=Status.SENT, send_started_at=timezone.now(), sent_at=timezone.now()
    )
    return Newsletter.objects.get(pk=issue.pk)


def test_everyone_signed_in_reads_the_sent_issues_never_the_drafts(compact, secretariat, focal_point):
    # given a sent issue and a draft
    sent = sent_issue(secretariat, "The March issue")
    draft = open_issue(secretariat)
    draft.title = "Unfinished draft"
    draft.save()
    client = signed_in(focal_point)
    # then the archive lists the sent one only, and its page reads
    archive = client.get(reverse("newsletters:archive"))
    assert ("The March issue", sent.get_absolute_url()) in links(archive)
    assert "Unfinished draft" not in words(archive)
    issue = client.get(sent.get_absolute_url())
    assert issue.status_code == 200
    assert headings(issue, 1) == ["The March issue"]
    # and the draft is a 404, like an issue that does not exist, with no Secretariat panel anywhere
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "E-mails sent" not in words(issue)


def test_the_secretariat_opens_a_period_and_is_sent_to_edit_its_draft(compact, secretariat_client):
    response = secretariat_client.post(
        reverse("newsletters:new"), {"kind": "annual", "start": "2027-01-01", "end": "2027-12-31"}
    )
    issue = Newsletter.objects.get()
    assert response["Location"] == reverse("newsletters:edit", kwargs={"pk": issue.pk})
    assert issue.title == "Annual newsletter 2027"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2027-01-01", "9999-12-31", "end", "Give a date up to"),
        ("0001-01-01", "2027-01-01", "start", "Give a date from"),
        ("2027-05-01", "2027-04-01", "end", "The period must end after it starts."),
        ("2027-05-01", "2027-05-01", "end", "The period must end after it starts."),
        ("2027-02-30", "2027-05-01", "start", "Enter a valid date."),
        ("yesterday", "2027-05-01", "start", "Enter a valid date."),
    ],
)
def test_hostile_dates_get_a_message_not_an_error(compact, secretariat_client, start, end, field, message):
    response = secretariat_client.post(
        reverse("newsletters:new"), {"kind": "bimonthly", "start": start, "end": end}
    )
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Newsletter.objects.exists()


def test_the_draft_is_edited_then_previewed_as_it_will_be_sent(compact, secretariat, secretariat_client):
    issue = open_issue(secretariat)
    # when the Secretariat edits it, with markup that must stay text
    response = secretariat_client.post(
        reverse("newsletters:edit", kwargs={"pk": issue.pk}),
        {
            "title": "Spring issue",
            "introduction": "Dear colleagues, <script>alert(1)</script>",
            "body": "Highlights\n- See https://www.un.org/counterterrorism/",
        },
    )
    assert response["Location"] == reverse("newsletters:preview", kwargs={"pk": issue.pk})
    preview = secretariat_client.get(response["Location"])
    page = preview.content.decode()
    # then the preview shows the subject, the headers, both parts — the HTML one escaped, links clickable
    assert "Compact Platform · Spring issue" in words(preview)
    assert "/newsletters/unsubscribe/" in words(preview)
    assert "<script>alert(1)</script>" not in page
    assert "&amp;lt;script&amp;gt;" in page  # escaped in the e-mail, then again in the iframe's srcdoc
    assert "&lt;a href=&quot;https://www.un.org/counterterrorism/&quot;" in page
    assert "Dear colleagues, &lt;script&gt;" in page  # the plain-text part, escaped on the page
    assert "Send to 1 subscriber" in words(preview)


def test_a_sent_issue_can_no_longer_be_edited_or_sent(compact, secretariat, secretariat_client):
    issue = sent_issue(secretariat, "Sent already")
    edit = reverse("newsletters:edit", kwargs={"pk": issue.pk})
    response = secretariat_client.post(
        edit, {"title": "Changed", "introduction": "", "body": "x"}, follow=True
    )
    assert "This newsletter was sent: it can no longer be changed." in messages(response)
    response = secretariat_client.post(reverse("newsletters:send", kwargs={"pk": issue.pk}), follow=True)
    assert "This newsletter was sent: it can no longer be changed." in messages(response)
    issue.refresh_from_db()
    assert issue.title == "Sent already"


def test_others_may_not_open_edit_or_send(compact, secretariat, focal_point):
    issue = open_issue(secretariat)
    client = signed_in(focal_point)
    assert (
        client.post(
            reverse("newsletters:new"), {"kind": "annual", "start": "2027-01-01", "end": "2027-12-31"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("newsletters:edit", kwargs={"pk": issue.pk}), {"title": "Mine", "body": "x"}
        ).status_code
        == 403
    )
    assert client.post(reverse("newsletters:send", kwargs={"pk": issue.pk})).status_code == 403
    issue.refresh_from_db()
    assert issue.status == Status.DRAFT
    assert Newsletter.objects.count() == 1


def test_the_lists_take_a_constant_number_of_queries(compact, secretariat, secretariat_client, focal_point):
    sent_issue(secretariat, "One")
    reader = signed_in(focal_point)
    archive_few = count_queries(reader, reverse("newsletters:archive"))
    manage_few = count_queries(secretariat_client, reverse("newsletters:manage"))
    for n in range(6):
        sent_issue(secretariat, f"Issue {n}", start=date(2028, 1, 1), end=date(2028, 2, 28))
        open_issue(secretariat)
    assert count_queries(reader, reverse("newsletters:archive")) == archive_few
    assert count_queries(secretariat_client, reverse("newsletters:manage")) == manage_few


def test_the_demo_seeds_a_sent_issue_and_a_draft_once(compact):
    from library import demo as library_demo
    from newsletters import demo as newsletters_demo

    run = seed(library_demo, newsletters_demo)
    newsletters_demo.seed(run)  # a second run adds nothing
    assert sorted(Newsletter.objects.values_list("status", flat=True)) == [Status.DRAFT, Status.SENT]
    sent = Newsletter.objects.get(status=Status.SENT)
    draft = Newsletter.objects.get(status=Status.DRAFT)
    assert sent.period_end < draft.period_start
