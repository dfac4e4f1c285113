"""The State's deadlines reminded by email: two weeks before, on the day, and once overdue — each once,
however often the job runs, and never once the State has delivered; to the State's and CTED's focal points
only, with what the deadline is and a link to the assessment. Dates are frozen by passing ``today``."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.conf import settings as project_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from cted import reminders, services, tasks
from cted.models import DeadlineReminder, ReportStage
from directory.models import MembershipRole
from notifications.models import Notification
from tests.conftest import organization

pytestmark = pytest.mark.django_db

#: Kenya's draft report goes out on 10 April 2025: the State's comments are due on 10 May.
DRAFT_SENT = date(2025, 4, 10)
COMMENTS_DUE = date(2025, 5, 10)


@pytest.fixture
def draft_sent(kenya, cted_person):
    return services.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=DRAFT_SENT, by=cted_person
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job on a day, its emails handed over as after a commit; the subjects emailed that day."""

    def on(day: date) -> list[str]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reminders.send_deadline_reminders(today=day)
        return sorted({message.subject for message in mail.outbox})

    return on


def test_each_reminder_goes_once_on_its_day(draft_sent, ken_person, cted_person, run):
    # when the job runs every day from the draft until well after the due date
    emailed = {}
    day = DRAFT_SENT
    while day <= COMMENTS_DUE + timedelta(days=30):
        if subjects := run(day):
            emailed[day] = subjects
        day += timedelta(days=1)
    # then three reminders went, each on its day: two weeks before, on the day, the day after
    assert emailed == {
        date(2025, 4, 26): ["Due on 10 May 2025: The State's comments on the draft report (Kenya)"],
        date(2025, 5, 10): ["Due today, 10 May 2025: The State's comments on the draft report (Kenya)"],
        date(2025, 5, 11): ["Overdue since 10 May 2025: The State's comments on the draft report (Kenya)"],
    }
    assert DeadlineReminder.objects.count() == 3


def test_a_rerun_sends_nothing_twice(draft_sent, ken_person, cted_person, run):
    assert len(run(date(2025, 4, 26))) == 1
    # when the job runs again that day (a retry, a second beat) and the next
    assert run(date(2025, 4, 26)) == []
    assert run(date(2025, 4, 27)) == []
    # then each person was told once, on the platform as by email
    assert Notification.objects.filter(kind="cted_deadline").count() == 2


def test_a_day_the_job_missed_is_caught_up_but_a_stale_reminder_never_goes(draft_sent, ken_person, run):
    # when the job did not run on the 26th, the "two weeks before" reminder goes the next day it runs
    assert run(date(2025, 4, 28)) == ["Due on 10 May 2025: The State's comments on the draft report (Kenya)"]
    # and a job that first runs long after the due date sends nothing about it
    assert run(COMMENTS_DUE + timedelta(days=8)) == []


def test_no_reminder_once_the_state_has_delivered(draft_sent, ken_person, cted_person, run):
    # when the State's comments arrive before the due date
    services.record_report_step(draft_sent, step=ReportStage.COMMENTS, on=date(2025, 5, 2), by=cted_person)
    # then nothing more is said about them
    assert run(COMMENTS_DUE) == []
    assert run(COMMENTS_DUE + timedelta(days=1)) == []


def test_the_report_on_steps_is_reminded_and_comments_no_longer_once_adopted(
    draft_sent, ken_person, cted_person, run
):
    # when the report is adopted on 31 August without the State's comments
    services.record_report_step(draft_sent, step=ReportStage.ADOPTED, on=date(2025, 8, 31), by=cted_person)
    # then the comments are not awaited any more, and the report on steps taken (due 28 February) is
    assert run(COMMENTS_DUE) == []
    assert run(date(2026, 2, 14)) == ["Due on 28 Feb 2026: The State's report on steps taken (Kenya)"]
    assert run(date(2026, 3, 1)) == ["Overdue since 28 Feb 2026: The State's report on steps taken (Kenya)"]


def test_the_state_and_cted_focal_points_are_told_nobody_else(
    draft_sent, ken_person, cted_person, secretariat, member, make_user, run
):
    alternate = make_user(
        "alt@example.org", organization=organization("state:KEN"), role=MembershipRole.ALTERNATE
    )
    make_user(
        "admin@example.org", organization=organization("state:KEN"), role=MembershipRole.ORGANIZATION_ADMIN
    )
    make_user("gone@example.org", organization=organization("state:KEN"), is_active=False)
    make_user("other@example.org", organization=organization("state:MAR"))
    # even an entity the State shared the assessment with is not reminded of the State's deadlines
    services.grant_consent(
        draft_sent, audience="organization", organization=organization("entity:UNDP"), by=ken_person
    )
    run(COMMENTS_DUE)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [ken_person.email, alternate.email, cted_person.email]
    )
    assert DeadlineReminder.objects.get().recipients == 3


def test_the_email_says_which_assessment_what_is_due_when_and_links_to_it(
    draft_sent, ken_person, settings, run
):
    settings.PLATFORM_URL = "https://compact.example"
    run(COMMENTS_DUE + timedelta(days=1))
    (message,) = [message for message in mail.outbox if message.to == [ken_person.email]]
    assert message.from_email == project_settings.DEFAULT_FROM_EMAIL
    assert "Dear Kamau" in message.body
    assert "CTED's assessment of Kenya: Comprehensive · 3 Mar 2025." in message.body
    assert "The State's comments on the draft report: overdue since 10 May 2025" in message.body
    assert f"The assessment: https://compact.example/assessments/{draft_sent.pk}/" in message.body
    # and the platform shows it too, opening the assessment
    notification = Notification.objects.get(recipient=ken_person)
    assert notification.url == f"/assessments/{draft_sent.pk}/"


def test_a_person_who_chose_no_email_finds_the_reminder_on_the_platform_only(
    draft_sent, ken_person, cted_person, run
):
    from notifications import services as notifications

    notifications.save_preferences(user=ken_person, choices={None: "none"})
    run(COMMENTS_DUE)
    assert [message.to for message in mail.outbox] == [[cted_person.email]]
    assert Notification.objects.get(recipient=ken_person).subject.startswith("Due today, 10 May 2025")


def test_the_daily_task_reminds_what_is_due_in_two_weeks(
    kenya, cted_person, ken_person, django_capture_on_commit_callbacks
):
    services.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=timezone.localdate() - timedelta(days=16), by=cted_person
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deadline_reminders() == 2
    assert len(mail.outbox) == 2
    schedule = project_settings.CELERY_BEAT_SCHEDULE["cted-deadline-reminders"]
    assert schedule["task"] == "cted.tasks.send_deadline_reminders"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(kenya, cted_person, ken_person):
    services.record_report_step(kenya.assessment, step=ReportStage.DRAFT, on=DRAFT_SENT, by=cted_person)
    counts, barrier = [], threading.Barrier(2)

    def job():
        barrier.wait()
        try:
            counts.append(reminders.send_deadline_reminders(today=COMMENTS_DUE))
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 2]
    assert len(mail.outbox) == 2
