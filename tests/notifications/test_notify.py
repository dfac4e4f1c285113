"""notify(): in-app rows for active people, once per dedupe key, and emails as each person chose."""

from __future__ import annotations

import pytest

from notifications import services
from notifications.models import Frequency, Notification, Preference
from tests.conftest import wg


def notify(recipients, **fields):
    defaults = {"subject": "Bob mentioned you", "body": "Have a look, @Alice.", "url": "/discussions/1/"}
    return services.notify(recipients=recipients, **{**defaults, **fields})


def test_notify_creates_a_row_for_each_active_recipient_only(alice, bob, make_user):
    # given an active person, a deactivated one, and the same person named twice
    gone = make_user("gone@example.org", is_active=False)
    # when they are notified
    created = notify([alice, bob, gone, alice.pk], working_group=wg(2), kind="mention")
    # then only the active ones have a notification, unread and not emailed yet
    assert sorted(n.recipient_id for n in created) == sorted([alice.pk, bob.pk])
    assert Notification.objects.filter(recipient=gone).count() == 0
    row = Notification.objects.get(recipient=alice)
    assert (row.kind, row.working_group, row.read_at, row.url) == ("mention", wg(2), None, "/discussions/1/")
    assert row.pk in {n.pk for n in created}


def test_nobody_to_notify_is_a_no_op(alice):
    assert notify([]) == []
    assert Notification.objects.count() == 0


def test_a_dedupe_key_notifies_each_person_once(alice, bob):
    # given alice was told about a reply
    first = notify([alice], dedupe_key="reply:42")
    # when the same reply is notified again, to alice and now bob too
    second = notify([alice, bob], dedupe_key="reply:42")
    # then alice still has one notification, and only bob's is new
    assert len(first) == 1
    assert [n.recipient_id for n in second] == [bob.pk]
    assert Notification.objects.filter(recipient=alice, dedupe_key="reply:42").count() == 1
    # and without a key, every call notifies
    notify([alice])
    notify([alice])
    assert Notification.objects.filter(recipient=alice).count() == 3


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "x/y"]
)
def test_a_notification_only_links_to_a_path_on_the_platform(alice, url):
    with pytest.raises(ValueError, match="path on the platform"):
        notify([alice], url=url)
    assert Notification.objects.count() == 0


def test_immediately_sends_one_email_with_an_absolute_link(
    alice, mailoutbox, django_capture_on_commit_callbacks, platform_url
):
    # given alice chose nothing (immediately is the default)
    # when she is notified and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify([alice], working_group=wg(2))
    # then one email went to her, linking to the notification on the platform
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["alice@example.org"]
    assert email.subject == "Bob mentioned you"
    assert f"{platform_url}/notifications/{notification.pk}/" in email.body
    assert "Have a look, @Alice." in email.body
    assert f"{platform_url}/notifications/preferences/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_retried_email_job_sends_nothing_more(alice, mailoutbox, django_capture_on_commit_callbacks):
    # given alice's notification was emailed
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify([alice])
    # when the job runs again (a retry, a redelivered message)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_notification_email(notification.pk)
    # then nothing more is sent
    assert sent == 0
    assert len(mailoutbox) == 1


def test_without_platform_url_links_are_paths(
    alice, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PLATFORM_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify([alice])
    assert f"Open it on the platform: /notifications/{notification.pk}/\n" in mailoutbox[0].body


@pytest.mark.parametrize("frequency", [Frequency.DAILY, Frequency.WEEKLY, Frequency.NONE])
def test_other_frequencies_send_no_email_at_once(
    alice, frequency, mailoutbox, django_capture_on_commit_callbacks
):
    # given alice chose a digest, or no email, for Working Group 2
    Preference.objects.create(user=alice, working_group=wg(2), frequency=frequency)
    # when she is notified there
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify([alice], working_group=wg(2))
    # then she sees it on the platform, and no email went
    assert mailoutbox == []
    assert notification.delivery == frequency
    assert Notification.objects.get(pk=notification.pk).emailed_at is None


def test_the_frequency_is_per_space(alice, mailoutbox, django_capture_on_commit_callbacks):
    # given alice wants no email from Working Group 2, and a daily digest outside the Working Groups
    Preference.objects.create(user=alice, working_group=wg(2), frequency=Frequency.NONE)
    Preference.objects.create(user=alice, working_group=None, frequency=Frequency.DAILY)
    # then each space answers with its own choice, immediately where she chose nothing
    assert services.frequency_for(alice, wg(2)) == Frequency.NONE
    assert services.frequency_for(alice, None) == Frequency.DAILY
    assert services.frequency_for(alice, wg(3)) == Frequency.IMMEDIATE
    # and a notification in Working Group 3 is emailed at once, the others not
    with django_capture_on_commit_callbacks(execute=True):
        notify([alice], working_group=wg(2), subject="In WG 2")
        notify([alice], subject="Outside")
        notify([alice], working_group=wg(3), subject="In WG 3")
    assert [email.subject for email in mailoutbox] == ["In WG 3"]


def test_a_rolled_back_notification_sends_nothing(alice, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    def notify_then_fail():
        with transaction.atomic():
            notify([alice])
            raise RuntimeError("the caller's transaction fails")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        notify_then_fail()
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_unread_count_and_mark_read(alice, bob):
    # given alice has three notifications and bob one
    mine = notify([alice]) + notify([alice]) + notify([alice])
    (his,) = notify([bob])
    assert services.unread_count(alice) == 3
    # when alice marks one, then tries bob's
    assert services.mark_read(alice, [mine[0].pk]) == 1
    assert services.mark_read(alice, [his.pk]) == 0
    # then only hers changed; marking all marks the rest, once
    assert services.unread_count(alice) == 2
    assert services.unread_count(bob) == 1
    assert services.mark_read(alice) == 2
    assert services.mark_read(alice) == 0
    assert services.unread_count(alice) == 0


def test_recipients_may_be_a_queryset(alice, bob):
    from directory.models import User

    created = notify(User.objects.filter(email__in=["alice@example.org", "bob@example.org"]))
    assert sorted(n.recipient_id for n in created) == sorted([alice.pk, bob.pk])


def test_a_link_longer_than_the_column_is_refused(alice):
    with pytest.raises(ValueError, match="path on the platform"):
        notify([alice], url="/" + "x" * 500)
