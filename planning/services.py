"""Writes of planning and reporting: checked here (whatever view or job calls them), atomic, audited by
pghistory's triggers. Refusals a person can act on are ``ValidationError`` with a message to show; a
refusal of the role itself is ``PermissionDenied`` (a 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from directory.models import Organization, WorkingGroup
from directory.policy import content_write
from planning import figures, rules, selectors
from planning.models import (
    Activity,
    Ballot,
    BallotScore,
    PrioritisationRound,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    RoundState,
)


def save_activity(*, form, by, working_group: WorkingGroup) -> Activity:
    """Create (form.instance unsaved) or update an activity of the group from a valid ActivityForm."""
    activity = form.instance
    if activity.pk is None and not rules.can_propose_activity(by, working_group):
        raise PermissionDenied
    activity.working_group = working_group
    with content_write(activity, by=by) as before:
        if before is None:
            activity.author = by
        elif before.working_group_id != working_group.pk:
            raise PermissionDenied
        elif "priority" in form.changed_data:
            activity.priority_round = None  # set by hand now, no longer the round's result
        return form.save()


@transaction.atomic
def open_round(*, form, by, working_group: WorkingGroup) -> PrioritisationRound:
    if not rules.can_manage_workplan(by, working_group):
        raise PermissionDenied
    pending = selectors.current_round(working_group)
    if pending is not None:
        raise ValidationError(
            _("“%(title)s” is not closed yet: close it before opening another round.")
            % {"title": pending.title}
        )
    round_ = form.instance
    round_.working_group = working_group
    round_.opened_by = by
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError as error:  # another manager opened one at the same moment
        raise ValidationError(_("The group already has a round that is not closed.")) from error


def _locked_round(round_: PrioritisationRound) -> PrioritisationRound:
    return PrioritisationRound.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def submit_ballot(
    *, round_: PrioritisationRound, organization: Organization, scores: dict[int, int], by
) -> Ballot:
    """One member organisation's scores. A ballot is final: a second one from the same organisation, a
    ballot before the round opens or after it ends are refused with a message."""
    round_ = _locked_round(round_)
    working_group = WorkingGroup.objects.get(pk=round_.working_group_id)
    if organization.pk not in rules.voting_organization_ids(by, working_group):
        raise PermissionDenied
    state = round_.state()
    if state == RoundState.SCHEDULED:
        raise ValidationError(
            _("This round opens on %(date)s: scores can be submitted from then.")
            % {"date": formats.date_format(timezone.localtime(round_.opens_at), "DATETIME_FORMAT")}
        )
    if state in (RoundState.ENDED, RoundState.CLOSED):
        raise ValidationError(_("This round is closed: scores can no longer be submitted."))
    existing = (
        Ballot.objects.filter(round=round_, organization=organization).select_related("submitted_by").first()
    )
    if existing is not None:
        raise ValidationError(already_submitted_message(existing, organization))
    allowed = set(round_.activities.values_list("pk", flat=True))
    if not scores or not set(scores) <= allowed:
        raise ValidationError(_("Score at least one of the round's activities."))
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(round=round_, organization=organization, submitted_by=by)
    except IntegrityError as error:  # a colleague submitted for the same organisation at the same moment
        raise ValidationError(
            _("%(organization)s has already submitted its scores for this round; a ballot is final.")
            % {"organization": organization.display_name}
        ) from error
    BallotScore.objects.bulk_create(
        [
            BallotScore(ballot=ballot, activity_id=activity_id, score=score)
            for activity_id, score in scores.items()
        ]
    )
    return ballot


def already_submitted_message(ballot: Ballot, organization: Organization) -> str:
    """What a second ballot of the same organisation is told (by the service, and by the ballot page before
    it is filled in)."""
    return _(
        "%(organization)s has already submitted its scores for this round (%(who)s, %(date)s). "
        "Each member organisation submits one ballot, and a ballot is final."
    ) % {
        "organization": organization.display_name,
        "who": ballot.submitted_by.full_name if ballot.submitted_by else _("a former focal point"),
        "date": formats.date_format(timezone.localtime(ballot.submitted_at), "DATETIME_FORMAT"),
    }


@transaction.atomic
def close_round(*, round_: PrioritisationRound, by) -> list[selectors.Result]:
    """Close the round (also before its planned end) and write each scored activity's priority (its rank
    in the results); activities no organisation scored keep theirs."""
    round_ = _locked_round(round_)
    if not rules.can_manage_workplan(by, round_.working_group_id):
        raise PermissionDenied
    if round_.closed_at is not None:
        raise ValidationError(_("This round is already closed."))
    round_.closed_at = timezone.now()
    round_.closed_by = by
    round_.save(update_fields=["closed_at", "closed_by"])
    return record_priorities(round_)


def record_priorities(round_: PrioritisationRound) -> list[selectors.Result]:
    """Write each scored activity's priority: its rank in the closed round's results."""
    results = selectors.results(round_)
    for result in results:
        if result.votes:
            Activity.objects.filter(pk=result.activity.pk).update(priority=result.rank, priority_round=round_)
    return results


@transaction.atomic
def create_period(*, form, by) -> ReportingPeriod:
    if not rules.can_manage_reporting_periods(by):
        raise PermissionDenied
    return form.save()


def _report_for_update(working_group: WorkingGroup, period: ReportingPeriod) -> ProgressReport | None:
    return (
        ProgressReport.objects.select_for_update().filter(working_group=working_group, period=period).first()
    )


@transaction.atomic
def save_report(*, form, by, working_group: WorkingGroup, period: ReportingPeriod) -> ProgressReport:
    """Save the group's draft for the period (created on the first save)."""
    if not rules.can_manage_workplan(by, working_group):
        raise PermissionDenied
    existing = _report_for_update(working_group, period)
    if existing is not None and existing.is_submitted:
        raise ValidationError(_("This report was submitted: it can no longer be changed."))
    report = form.instance
    if existing is not None and report.pk != existing.pk:
        # Two chairs started the same draft: keep one row, with the latest text.
        report.pk = existing.pk
        report.created_at = existing.created_at
    report.working_group = working_group
    report.period = period
    report.status = ReportStatus.DRAFT
    report.drafted_by = by
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Another chair started this report at the same moment: reload the page.")
        ) from error


@transaction.atomic
def submit_report(*, by, working_group: WorkingGroup, period: ReportingPeriod) -> ProgressReport:
    """Submit the group's report: its figures are computed one last time and frozen."""
    if not rules.can_manage_workplan(by, working_group):
        raise PermissionDenied
    report = _report_for_update(working_group, period)
    if report is None or not report.achievements.strip():
        raise ValidationError(_("Write the report's achievements and save the draft before submitting it."))
    if report.is_submitted:
        raise ValidationError(_("This report was already submitted."))
    report.figures = figures.compute(working_group, period.start, period.end)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = by
    report.submitted_at = timezone.now()
    report.save(update_fields=["figures", "status", "submitted_by", "submitted_at", "updated_at"])
    return report
