"""CTED's part of the home: the deadlines a State owes and what its people must decide about sharing."""

from datetime import timedelta

from django.utils import timezone

from cted import services
from cted.models import ReportStage
from cted.selectors import consent_decisions, deadlines_awaited


def test_comments_are_no_longer_awaited_once_the_report_is_adopted_then_the_steps_are(
    kenya, cted_person, ken_person
):
    today = timezone.localdate()
    services.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=today - timedelta(days=5), by=cted_person
    )
    assert [deadline.kind for _a, deadline in deadlines_awaited(ken_person)] == ["comments"]

    services.record_report_step(kenya.assessment, step=ReportStage.ADOPTED, on=today, by=cted_person)
    assert [deadline.kind for _a, deadline in deadlines_awaited(ken_person)] == ["steps"]

    services.record_report_step(kenya.assessment, step=ReportStage.STEPS, on=today, by=cted_person)
    assert deadlines_awaited(ken_person) == []


def test_a_consent_without_an_end_or_ending_later_asks_nothing(kenya, cted_person, ken_person):
    today = timezone.localdate()
    services.record_report_step(kenya.assessment, step=ReportStage.DRAFT, on=today, by=cted_person)
    services.record_report_step(kenya.assessment, step=ReportStage.ADOPTED, on=today, by=cted_person)
    services.grant_consent(kenya.assessment, audience="compact_entities", by=ken_person)
    assert consent_decisions(ken_person) == []  # decided: shared until revoked

    grant = services.grant_consent(
        kenya.assessment, audience="compact_entities", expires_on=today + timedelta(days=31), by=ken_person
    )
    assert consent_decisions(ken_person) == []  # ends after the notice
    services.revoke_consent(grant, by=ken_person)
    assert consent_decisions(cted_person) == []  # CTED never decides
