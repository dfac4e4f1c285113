"""The report's workflow as CTED runs it: steps in order and dated, the State's deadlines computed from them
(comments 30 days after the draft, the report on steps taken six months after adoption) and flagged overdue;
and the recommendations' statuses, each change dated with who and why, as the workflow allows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cted import services
from cted.models import ReportStage, StatusKind, VisitType, add_months
from tests.conftest import organization
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def test_the_states_deadlines_follow_the_reports_steps(kenya, cted_person):
    # when CTED sends the draft on 10 April
    assessment = services.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=date(2025, 4, 10), by=cted_person
    )
    # then the State's comments are due 30 days later, overdue the day after if none came
    (comments,) = assessment.deadlines(today=date(2025, 5, 10))
    assert (comments.due, comments.overdue) == (date(2025, 5, 10), False)
    assert assessment.deadlines(today=date(2025, 5, 11))[0].overdue is True
    # when the report is adopted on 31 August without comments, they are awaited no more, and the State's
    # report on the steps taken is due six months later: the last day of February
    assessment = services.record_report_step(
        assessment, step=ReportStage.ADOPTED, on=date(2025, 8, 31), by=cted_person
    )
    comments, steps = assessment.deadlines(today=date(2026, 3, 1))
    assert comments.overdue is False
    assert (steps.due, steps.overdue) == (date(2026, 2, 28), True)
    assessment = services.record_report_step(
        assessment, step=ReportStage.STEPS, on=date(2026, 3, 2), by=cted_person
    )
    assert assessment.deadlines(today=date(2026, 6, 1))[1].overdue is False
    assert assessment.stage == ReportStage.STEPS


def test_adding_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([(ReportStage.ADOPTED, date(2025, 6, 1))], "cannot come next"),
        (
            [(ReportStage.DRAFT, date(2025, 6, 1)), (ReportStage.COMMENTS, date(2025, 5, 1))],
            "cannot be dated before",
        ),
        ([(ReportStage.DRAFT, date(2025, 1, 1))], "cannot be dated before"),  # before the visit
        ([(ReportStage.DRAFT, date(2099, 1, 1))], "in the future"),
        ([("published", date(2025, 6, 1))], "Not a step of the report"),
    ],
)
def test_a_step_out_of_order_or_misdated_is_refused(kenya, cted_person, steps, message):
    *done, (step, on) = steps
    for earlier, day in done:
        services.record_report_step(kenya.assessment, step=earlier, on=day, by=cted_person)
    with pytest.raises(ValidationError, match=message):
        services.record_report_step(kenya.assessment, step=step, on=on, by=cted_person)


def test_only_cted_records_assessments_and_only_of_member_states(cted_person, ken_person, secretariat):
    for other in (ken_person, secretariat):
        with pytest.raises(PermissionDenied):
            services.record_assessment(
                state=organization("state:KEN"), visit_type=VisitType.DESK_REVIEW,
                visit_start=date(2025, 1, 1), by=other,
            )  # fmt: skip
    with pytest.raises(ValidationError, match="not one"):
        services.record_assessment(
            state=organization("entity:UNDP"), visit_type=VisitType.DESK_REVIEW, visit_start=date(2025, 1, 1),
            by=cted_person,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="ends before it starts"):
        services.record_assessment(
            state=organization("state:KEN"), visit_type=VisitType.DESK_REVIEW, visit_start=date(2025, 1, 9),
            visit_end=date(2025, 1, 2), by=cted_person,
        )  # fmt: skip


def test_status_changes_follow_the_workflow_and_are_kept_with_who_and_why(kenya, cted_person, ken_person):
    need = kenya.priority
    # a jump the workflow forbids is refused, saying where the status may go
    with pytest.raises(ValidationError, match="may go to: Matched — not to “Provided”"):
        services.change_status(need, kind=StatusKind.ASSISTANCE, to="provided", reason="x", by=cted_person)
    with pytest.raises(ValidationError, match="Link the project that answers the need first."):
        services.change_status(need, kind=StatusKind.ASSISTANCE, to="matched", reason="x", by=cted_person)
    need.projects.add(make_project("Border security in East Africa"))
    services.change_status(
        need,
        kind=StatusKind.ASSISTANCE,
        to="matched",
        reason="UNODC's border project answers it",
        by=cted_person,
    )
    services.change_status(
        need, kind=StatusKind.ASSISTANCE, to="provided", reason="Systems installed", by=cted_person
    )
    # the State reports implementation, but assistance is CTED's to track
    services.change_status(
        need, kind=StatusKind.IMPLEMENTATION, to="in_progress", reason="Law adopted in May", by=ken_person
    )
    with pytest.raises(PermissionDenied):
        services.change_status(need, kind=StatusKind.ASSISTANCE, to="requested", reason="x", by=ken_person)
    with pytest.raises(ValidationError, match="Say why"):
        services.change_status(
            need, kind=StatusKind.IMPLEMENTATION, to="implemented", reason=" ", by=ken_person
        )
    history = list(need.changes.values_list("kind", "old", "new", "reason", "changed_by__email"))
    assert history == [
        ("assistance", "requested", "matched", "UNODC's border project answers it", "cted@example.org"),
        ("assistance", "matched", "provided", "Systems installed", "cted@example.org"),
        ("implementation", "open", "in_progress", "Law adopted in May", "ken@example.org"),
    ]
    need.refresh_from_db()
    assert (need.assistance_status, need.implementation_status) == ("provided", "in_progress")
