"""Digests: one email per person and frequency, grouped by Working Group, each notification sent once."""

from __future__ import annotations

from notifications import services
from notifications.models import Frequency, Notification, Preference
from tests.conftest import wg


def notify(recipients, subject="Something happened", **fields):
    return services.notify(recipients=recipients, subject=subject, body="Text.", url="/somewhere/", **fields)


def choose(user, frequency, working_group=None):
    Preference.objects.update_or_create(
        user=user, working_group=working_group, defaults={"frequency": frequency}
    )


def run_digests(frequency, capture) -> int:
    with capture(execute=True):
        return services.send_digests(frequency)


def test_a_daily_digest_lists_the_waiting_notifications_once(
    alice, bob, mailoutbox, django_capture_on_commit_callbacks, platform_url
):
    # given alice and bob want daily digests, and each has notifications waiting
    choose(alice, Frequency.DAILY, wg(2))
    choose(bob, Frequency.DAILY, wg(2))
    first = notify([alice], subject="New thread: Budget", working_group=wg(2))[0]
    second = notify([alice], subject="Reply in Budget", working_group=wg(2))[0]
    notify([bob], subject="For Bob", working_group=wg(2))
    # when the daily digests run
    sent = run_digests(Frequency.DAILY, django_capture_on_commit_callbacks)
    # then each of them gets one email listing their own notifications, with links
    assert sent == 2
    by_person = {email.to[0]: email for email in mailoutbox}
    assert set(by_person) == {"alice@example.org", "bob@example.org"}
    body = by_person["alice@example.org"].body
    assert "New thread: Budget" in body
    assert "Reply in Budget" in body
    assert "For Bob" not in body
    assert f"{platform_url}/notifications/{first.pk}/" in body
    assert f"{platform_url}/notifications/{second.pk}/" in body
    assert "2 notifications" in by_person["alice@example.org"].subject
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_digest_run_twice_sends_each_notification_once(
    alice, mailoutbox, django_capture_on_commit_callbacks
):
    # given alice has a daily notification waiting
    choose(alice, Frequency.DAILY)
    notify([alice])
    # when the digest runs twice (beat fired twice, or a run was retried)
    assert run_digests(Frequency.DAILY, django_capture_on_commit_callbacks) == 1
    assert run_digests(Frequency.DAILY, django_capture_on_commit_callbacks) == 0
    # then one email went
    assert len(mailoutbox) == 1
    # and a later notification goes in the next digest, alone
    notify([alice], subject="Later")
    run_digests(Frequency.DAILY, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert "Later" in mailoutbox[1].body
    assert "Something happened" not in mailoutbox[1].body


def test_overlapping_runs_claim_each_notification_once(alice, mailoutbox, django_capture_on_commit_callbacks):
    # given alice has two weekly notifications waiting
    choose(alice, Frequency.WEEKLY)
    created = notify([alice]) + notify([alice])
    # when two runs claim at the same time
    first = services.claim(delivery=Frequency.WEEKLY, recipient_id=alice.pk)
    second = services.claim(delivery=Frequency.WEEKLY, recipient_id=alice.pk)
    # then the first takes both and the second nothing, so its digest sends nothing
    assert first == sorted(n.pk for n in created)
    assert second == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digest(recipient_id=alice.pk, frequency=Frequency.WEEKLY) == 0
    assert mailoutbox == []


def test_an_immediate_claim_never_takes_a_digest_notification(alice):
    choose(alice, Frequency.DAILY)
    (notification,) = notify([alice])
    assert services.claim(delivery=Frequency.IMMEDIATE, ids=[notification.pk]) == []
    assert services.send_notification_email(notification.pk) == 0


def test_daily_and_weekly_digests_are_separate(alice, mailoutbox, django_capture_on_commit_callbacks):
    # given alice wants Working Group 2 daily and Working Group 3 weekly
    choose(alice, Frequency.DAILY, wg(2))
    choose(alice, Frequency.WEEKLY, wg(3))
    notify([alice], subject="Daily one", working_group=wg(2))
    notify([alice], subject="Weekly one", working_group=wg(3))
    # when the daily digest runs, then only the daily notification goes
    run_digests(Frequency.DAILY, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert "Daily one" in mailoutbox[0].body
    assert "Weekly one" not in mailoutbox[0].body
    # and the weekly one goes with the weekly digest
    run_digests(Frequency.WEEKLY, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert "Weekly one" in mailoutbox[1].body
    assert "weekly" in mailoutbox[1].subject


def test_a_digest_groups_notifications_by_working_group(
    alice, mailoutbox, django_capture_on_commit_callbacks
):
    # given alice wants a daily digest everywhere, with notifications in two groups and outside them
    for space in (None, wg(2), wg(5)):
        choose(alice, Frequency.DAILY, space)
    notify([alice], subject="Outside news")
    notify([alice], subject="WG5 first", working_group=wg(5))
    notify([alice], subject="WG2 news", working_group=wg(2))
    notify([alice], subject="WG5 second", working_group=wg(5))
    # when the digest runs
    run_digests(Frequency.DAILY, django_capture_on_commit_callbacks)
    # then one email has a section per group, in the groups' order, newest first within each, outside last
    (email,) = mailoutbox
    body = email.body
    headings = [line for line in body.splitlines() if line.startswith("== ")]
    assert headings == [f"== {wg(2)} ==", f"== {wg(5)} ==", "== Outside the Working Groups =="]
    positions = [body.index(text) for text in ("WG2 news", "WG5 second", "WG5 first", "Outside news")]
    assert positions == sorted(positions)


def test_none_never_emails(alice, mailoutbox, django_capture_on_commit_callbacks):
    choose(alice, Frequency.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        notify([alice])
    run_digests(Frequency.DAILY, django_capture_on_commit_callbacks)
    run_digests(Frequency.WEEKLY, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_a_deactivated_person_gets_no_digest(alice, mailoutbox, django_capture_on_commit_callbacks):
    choose(alice, Frequency.DAILY)
    notify([alice])
    alice.is_active = False
    alice.save()
    assert run_digests(Frequency.DAILY, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_a_long_digest_lists_the_latest_and_counts_the_rest(
    alice, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "DIGEST_LIMIT", 2)
    choose(alice, Frequency.DAILY)
    for number in range(5):
        notify([alice], subject=f"Item {number}")
    run_digests(Frequency.DAILY, django_capture_on_commit_callbacks)
    (email,) = mailoutbox
    assert "5 new notifications" in email.body
    assert "And 3 more: /notifications/" in email.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_changing_the_frequency_moves_what_is_waiting(alice, mailoutbox, django_capture_on_commit_callbacks):
    # given alice has a notification waiting for her daily digest in Working Group 2
    choose(alice, Frequency.DAILY, wg(2))
    (waiting,) = notify([alice], working_group=wg(2))
    # when she switches that space to the weekly digest (she takes part in it through UNODC)
    services.save_preferences(user=alice, choices={wg(2).pk: Frequency.WEEKLY})
    # then the daily digest leaves it, and the weekly one sends it
    assert run_digests(Frequency.DAILY, django_capture_on_commit_callbacks) == 0
    assert run_digests(Frequency.WEEKLY, django_capture_on_commit_callbacks) == 1
    # and switching to "none" drops what waits from the emails
    (other,) = notify([alice], working_group=wg(2))
    services.save_preferences(user=alice, choices={wg(2).pk: Frequency.NONE})
    assert run_digests(Frequency.WEEKLY, django_capture_on_commit_callbacks) == 0
    assert Notification.objects.get(pk=other.pk).delivery == Frequency.NONE


def test_a_lost_immediate_email_is_sent_by_the_sweep_once(
    alice, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    # given an immediate notification whose job never ran (its after-commit hand-over was lost)
    (lost,) = notify([alice], subject="Lost job")
    recent = notify([alice], subject="Job still on its way")[0]
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    # when the sweep runs, twice
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_overdue() == 1
        assert services.send_overdue() == 0
    # then the lost one went once, the recent one is left to its own job
    assert [email.subject for email in mailoutbox] == ["Lost job"]
    assert Notification.objects.get(pk=recent.pk).emailed_at is None
    # and its job, turning up late, sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_notification_email(lost.pk) == 0
    assert len(mailoutbox) == 1
