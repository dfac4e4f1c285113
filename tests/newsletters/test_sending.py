"""Sending: in batches, each its own job; once per subscriber across a crash; uncertain deliveries reported
and never resent; unsubscribe links that work without sign-in and cannot be forged."""

from __future__ import annotations

import re
from email import message_from_string

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from core.models import PendingJob
from core.tasks import send_pending_jobs
from directory.models import User
from newsletters import emails, selectors, services
from newsletters.models import Delivery, DeliveryState, Newsletter, Status, Subscription
from tests.conftest import organization
from tests.newsletters.conftest import RefusingBackend, open_issue


@pytest.fixture
def network(compact, make_user, secretariat):
    """Eleven active people (the Secretariat's member included), one inactive."""
    people = [
        make_user(f"person{n}@example.org", organization=organization("entity:UNODC")) for n in range(10)
    ]
    make_user("gone@example.org", organization=organization("entity:UNODC"), is_active=False, mfa=False)
    return [secretariat, *people]


def send(issue, by, capture) -> None:
    with capture(execute=True):
        services.start_sending(newsletter=issue, by=by)


def unfolded(header: str) -> str:
    """A header as written, before the e-mail library folded its long line."""
    return re.sub(r"\r?\n[ \t]+", " ", header).strip()


def outbox_by_address() -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in mail.outbox:
        for address in message.to:
            counts[address] = counts.get(address, 0) + 1
    return counts


def test_batches_each_their_own_job_reach_every_subscriber_once(
    network, secretariat, settings, django_capture_on_commit_callbacks
):
    # given batches of 4 and 11 subscribers
    settings.NEWSLETTER_BATCH_SIZE = 4
    issue = open_issue(secretariat)
    # when the Secretariat sends the issue
    send(issue, secretariat, django_capture_on_commit_callbacks)
    # then everyone active got exactly one message, the inactive nobody
    assert outbox_by_address() == {person.email: 1 for person in network}
    # in three batch jobs of at most 4 (the third finds nobody after its three and closes the issue)
    batches = sorted(Delivery.objects.filter(newsletter=issue).values_list("batch", flat=True))
    assert batches == [1] * 4 + [2] * 4 + [3] * 3
    issue.refresh_from_db()
    assert issue.status == Status.SENT
    assert issue.sent_at is not None
    assert issue.batches == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_crash_is_resumed_without_a_second_copy_and_the_uncertain_one_is_reported(
    network, secretariat, settings, crashing_mail, django_capture_on_commit_callbacks
):
    # given a worker that dies right after handing over the 6th message (before recording it)
    settings.NEWSLETTER_BATCH_SIZE = 4
    crashing_mail.CRASH_AFTER = 5
    issue = open_issue(secretariat)
    send(issue, secretariat, django_capture_on_commit_callbacks)
    # then the failed job is kept for a retry, and the issue is still sending
    assert PendingJob.objects.filter(task="newsletters.tasks.send_batch").count() == 1
    issue.refresh_from_db()
    assert issue.status == Status.SENDING
    assert len(mail.outbox) == 6
    # when the job is resumed (core.send_pending_jobs, every minute)
    with django_capture_on_commit_callbacks(execute=True):
        send_pending_jobs()
    # then each subscriber has exactly one message: the crash's message was not sent again
    assert outbox_by_address() == {person.email: 1 for person in network}
    issue.refresh_from_db()
    assert issue.status == Status.SENT
    # and the one in the crash window is reported as uncertain, by name
    report = selectors.delivery_report(issue)
    assert (report.sent, report.uncertain) == (10, 1)
    (uncertain,) = report.uncertain_people
    assert uncertain.person.email in outbox_by_address()
    # a later resume sweep sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_sending() == 0
    assert len(mail.outbox) == len(network)


def test_a_refusing_mail_server_leaves_one_uncertain_delivery_and_the_resume_sends_to_the_rest(
    network, secretariat, settings, django_capture_on_commit_callbacks
):
    # given a mail server that is down when sending starts
    settings.EMAIL_BACKEND = "tests.newsletters.conftest.RefusingBackend"
    issue = open_issue(secretariat)
    send(issue, secretariat, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Delivery.objects.filter(state=DeliveryState.CLAIMED).count() == 1
    # when it is back and the sweep resumes the issue
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_sending() == 1
    # then everyone but the one claimed when the server refused got it; that one is uncertain, never resent
    claimed = Delivery.objects.get(state=DeliveryState.CLAIMED)
    assert outbox_by_address() == {p.email: 1 for p in network if p.pk != claimed.person_id}
    assert RefusingBackend  # the backend of this test


def test_two_jobs_at_once_share_the_work(network, secretariat, settings, django_capture_on_commit_callbacks):
    # given an issue marked sending whose first job has not run yet, and a sweep that adds a second
    settings.NEWSLETTER_BATCH_SIZE = 3
    issue = open_issue(secretariat)
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(newsletter=issue, by=secretariat)
    # when both run
    services.send_batch(issue.pk)
    services.send_batch(issue.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_sending()
    # then nobody got two
    assert outbox_by_address() == {person.email: 1 for person in network}


def test_only_the_secretariat_sends_and_only_drafts(network, secretariat, django_capture_on_commit_callbacks):
    issue = open_issue(secretariat)
    with pytest.raises(PermissionDenied):
        services.start_sending(newsletter=issue, by=network[1])
    send(issue, secretariat, django_capture_on_commit_callbacks)
    with pytest.raises(Exception, match="sent"):
        services.start_sending(newsletter=issue, by=secretariat)
    assert len(mail.outbox) == len(network)


# --- Unsubscribing ------------------------------------------------------------------------------------------


def test_each_message_carries_its_own_unsubscribe_link_and_header(
    network, secretariat, django_capture_on_commit_callbacks
):
    issue = open_issue(secretariat)
    send(issue, secretariat, django_capture_on_commit_callbacks)
    for message in mail.outbox:
        person = User.objects.get(email=message.to[0])
        link = emails.unsubscribe_link(person)
        parsed = message_from_string(message.message().as_string())
        assert unfolded(parsed["List-Unsubscribe"]) == f"<{link}>"
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.body
        html = message.alternatives[0][0]
        assert link.replace("&", "&amp;") in html
        assert message.alternatives[0][1] == "text/html"


def test_the_link_unsubscribes_without_sign_in_after_a_confirmation(network):
    person = network[3]
    url = reverse("newsletters:unsubscribe", kwargs={"token": emails.unsubscribe_token(person)})
    anonymous = Client(enforce_csrf_checks=True)
    # a GET (a link scanner, a preview) only asks
    response = anonymous.get(url)
    assert response.status_code == 200
    assert b"Unsubscribe" in response.content
    assert selectors.is_subscribed(person)
    # a POST without session or CSRF token (a mail client's one-click) unsubscribes
    response = anonymous.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.get(person=person).subscribed is False


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], "OTk5OTk"),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_token_is_refused(network, tamper):
    person = network[3]
    url = reverse("newsletters:unsubscribe", kwargs={"token": tamper(emails.unsubscribe_token(person))})
    assert Client().get(url).status_code == 404
    assert Client().post(url).status_code == 404
    assert selectors.is_subscribed(person)


def test_a_token_of_another_salt_is_refused(network):
    from django.core import signing

    forged = signing.dumps(network[3].pk)  # signed with the key, but not for unsubscribing
    url = reverse("newsletters:unsubscribe", kwargs={"token": forged})
    assert Client().post(url).status_code == 404


def test_unsubscribed_people_get_nothing_and_can_subscribe_again(
    network, secretariat, django_capture_on_commit_callbacks
):
    # given one person unsubscribed by their link and one from their page
    services.set_subscribed(person=network[1], subscribed=False)
    client = Client()
    client.force_login(network[2])
    response = client.post(reverse("newsletters:subscription"), {"action": "unsubscribe"})
    assert response["Location"] == reverse("newsletters:subscription")
    # when an issue is sent
    send(open_issue(secretariat), secretariat, django_capture_on_commit_callbacks)
    # then they get nothing, everyone else one
    assert set(outbox_by_address()) == {p.email for p in network} - {network[1].email, network[2].email}
    # and subscribing again brings the next issue
    client.post(reverse("newsletters:subscription"), {"action": "subscribe"})
    mail.outbox = []
    send(open_issue(secretariat), secretariat, django_capture_on_commit_callbacks)
    assert network[2].email in outbox_by_address()
    assert network[1].email not in outbox_by_address()
    assert Newsletter.objects.filter(status=Status.SENT).count() == 2
