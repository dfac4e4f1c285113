"""Requests with no offer reminded once, after ``SUPPORT_REMINDER_DAYS``: to the addressees' focal points who
may read them (or, with none, to the Secretariat's people who may), however often the job runs, on however
many workers; never a request that had an offer or was closed. Time is moved by passing ``now``."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings as project_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from directory.access import Visibility
from directory.models import MembershipRole
from notifications.models import Notification
from support import reminders, services, tasks
from support.models import RequestStatus, SupportReminder
from tests.conftest import organization, wg
from tests.support.conftest import ask

pytestmark = pytest.mark.django_db

LATER = timedelta(days=15)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job at a moment, its emails handed over as after a commit; the addresses emailed."""

    def at(moment) -> list[str]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reminders.send_support_reminders(now=moment)
        return sorted(address for message in mail.outbox for address in message.to)

    return at


def test_the_addressees_focal_points_are_reminded_once_after_the_delay(
    kenya_request, unodc_person, ken_person, make_user, run
):
    alternate = make_user("alt@unodc.example", organization=organization("entity:UNODC"), role="alternate")
    make_user("admin@unodc.example", organization=organization("entity:UNODC"), role="organization_admin")
    now = timezone.now()
    # nothing before the delay
    assert run(now + timedelta(days=13)) == []
    # then UNODC's focal point and alternate (not its admin, not Kenya) hear once
    assert run(now + LATER) == sorted([unodc_person.email, alternate.email])
    assert run(now + LATER) == []
    assert run(now + LATER + timedelta(days=30)) == []
    assert SupportReminder.objects.get(request=kenya_request).recipients == 2
    notification = Notification.objects.get(recipient=unodc_person, kind="support_reminder")
    assert notification.url == kenya_request.get_absolute_url()
    assert "No offer yet: Kenya's request for support" in notification.subject


def test_the_delay_is_a_setting(kenya_request, unodc_person, settings, run):
    settings.SUPPORT_REMINDER_DAYS = 3
    assert run(timezone.now() + timedelta(days=4)) == [unodc_person.email]


def test_a_request_with_an_offer_or_closed_is_not_reminded(
    kenya_request, wg2_request, ken_person, unodc_person, run
):
    services.offer_support(
        kenya_request, organization=organization("entity:UNODC"), text="Help", by=unodc_person
    )
    services.change_status(wg2_request, to=RequestStatus.CLOSED, reason="Solved", by=ken_person)
    assert run(timezone.now() + LATER) == []
    assert not SupportReminder.objects.exists()


def test_a_working_groups_member_focal_points_who_may_read_it_are_reminded(wg2_request, chair, member, run):
    # CTED chairs Working Group 2 and UNDP is a member: both are addressees and read it
    assert run(timezone.now() + LATER) == sorted([chair.email, member.email])


def test_without_addressees_the_secretariat_is_reminded_if_it_may_read(
    ken_person, secretariat, unodc_person, run
):
    ask(ken_person, title="For the Compact", visibility=Visibility.COMPACT)
    hidden = ask(ken_person, title="For Kenya only")
    # the Secretariat (UNOCT, a Compact entity) reads the first; the second it may not read: nobody is told
    assert run(timezone.now() + LATER) == [secretariat.email]
    assert SupportReminder.objects.get(request=hidden).recipients == 0


def test_an_alternate_of_an_addressee_who_left_is_not_reminded(kenya_request, unodc_person, run, make_user):
    gone = make_user(
        "gone@unodc.example", organization=organization("entity:UNODC"), role=MembershipRole.ALTERNATE
    )
    gone.memberships.update(ended_at=timezone.now())
    assert run(timezone.now() + LATER) == [unodc_person.email]


def test_the_daily_task_is_scheduled_and_reminds(
    kenya_request, unodc_person, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_REMINDER_DAYS = 1
    from support.models import SupportRequest

    SupportRequest.objects.filter(pk=kenya_request.pk).update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_support_reminders() == 1
    assert [message.to for message in mail.outbox] == [[unodc_person.email]]
    schedule = project_settings.CELERY_BEAT_SCHEDULE["support-reminders"]
    assert schedule["task"] == "support.tasks.send_support_reminders"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_once(compact, make_user):
    ken = make_user("ken@example.org", organization=organization("state:KEN"))
    unodc = make_user("unodc@example.org", organization=organization("entity:UNODC"))
    ask(ken, entities=["entity:UNODC"], group=wg(2))
    counts, barrier = [], threading.Barrier(2)
    moment = timezone.now() + LATER

    def job():
        barrier.wait()
        try:
            counts.append(reminders.send_support_reminders(now=moment))
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts)[0] == 0
    assert sorted(counts)[1] >= 1
    assert SupportReminder.objects.count() == 1
    assert Notification.objects.filter(kind="support_reminder", recipient=unodc).count() == 1
