"""Writing CTED's assessments: every write keyword-only, checked by ``cted.rules`` (``PermissionDenied``)
and by the rules below (``ValidationError`` with a message a person can act on), in one transaction,
audited by the models' triggers (pghistory)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cted import rules
from cted.models import (
    Assessment,
    AssistanceStatus,
    ConsentAudience,
    ConsentGrant,
    ImplementationStatus,
    Recommendation,
    ReleaseLevel,
    ReportStage,
    StatusChange,
    StatusKind,
    VisitType,
)
from directory.models import Organization, OrganizationKind

#: The report's steps, each with the date field it records and the stages it may follow.
STEPS = {
    ReportStage.DRAFT: ("draft_sent_on", {ReportStage.PRELIMINARY}),
    ReportStage.COMMENTS: ("comments_received_on", {ReportStage.DRAFT}),
    ReportStage.ADOPTED: ("adopted_on", {ReportStage.DRAFT, ReportStage.COMMENTS}),
    ReportStage.STEPS: ("steps_received_on", {ReportStage.ADOPTED}),
}

#: The status changes the workflow allows (any other is refused with the ones that are).
TRANSITIONS = {
    StatusKind.ASSISTANCE: {
        AssistanceStatus.REQUESTED: {AssistanceStatus.MATCHED},
        AssistanceStatus.MATCHED: {AssistanceStatus.PROVIDED, AssistanceStatus.REQUESTED},
        AssistanceStatus.PROVIDED: set(),
    },
    StatusKind.IMPLEMENTATION: {
        ImplementationStatus.OPEN: {ImplementationStatus.IN_PROGRESS, ImplementationStatus.CLOSED},
        ImplementationStatus.IN_PROGRESS: {
            ImplementationStatus.IMPLEMENTED,
            ImplementationStatus.OPEN,
            ImplementationStatus.CLOSED,
        },  # fmt: skip
        ImplementationStatus.IMPLEMENTED: {ImplementationStatus.CLOSED, ImplementationStatus.IN_PROGRESS},
        ImplementationStatus.CLOSED: {ImplementationStatus.OPEN},
    },
}
LABELS = {StatusKind.ASSISTANCE: AssistanceStatus, StatusKind.IMPLEMENTATION: ImplementationStatus}


@transaction.atomic
def record_assessment(
    *, state: Organization, visit_type: str, visit_start: date, visit_end: date | None = None, by
) -> Assessment:
    """CTED records an assessment visit to a Member State; it starts at the preliminary observations and is
    shared with nobody until the State consents."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    if state.kind != OrganizationKind.MEMBER_STATE:
        raise ValidationError(_("CTED assesses Member States: %(name)s is not one.") % {"name": state})
    if visit_type not in VisitType.values:
        raise ValidationError(_("Not a kind of visit: %(value)s.") % {"value": visit_type})
    if visit_end is not None and visit_end < visit_start:
        raise ValidationError(_("The visit ends before it starts."))
    return Assessment.objects.create(
        state=state, visit_type=visit_type, visit_start=visit_start, visit_end=visit_end, created_by=by
    )


@transaction.atomic
def record_report_step(assessment: Assessment, *, step: str, on: date, by) -> Assessment:
    """CTED records the next step of the report (the draft sent, the State's comments, the adoption, the
    State's report on steps taken) on its date; steps come in order, never before the one they follow."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if step not in STEPS:
        raise ValidationError(_("Not a step of the report: %(value)s.") % {"value": step})
    field, after = STEPS[step]
    if assessment.stage not in after:
        raise ValidationError(
            _("The report is at “%(stage)s”: “%(step)s” cannot come next.")
            % {"stage": assessment.get_stage_display(), "step": ReportStage(step).label}
        )
    previous = max(
        (day for day in (assessment.visit_start, assessment.draft_sent_on, assessment.comments_received_on,
                         assessment.adopted_on) if day),
    )  # fmt: skip
    if on < previous:
        raise ValidationError(
            _("“%(step)s” cannot be dated before %(day)s, the date of the step before it.")
            % {"step": ReportStage(step).label, "day": previous.isoformat()}
        )
    if on > timezone.localdate():
        raise ValidationError(_("A step is recorded once it has happened: the date is in the future."))
    setattr(assessment, field, on)
    assessment.stage = step
    assessment.save(update_fields=[field, "stage"])
    return assessment


@transaction.atomic
def add_recommendation(assessment: Assessment, *, text: str, theme=None, is_priority: bool = False, by):
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the recommendation."))
    return Recommendation.objects.create(
        assessment=assessment, text=text, theme=theme, is_priority=is_priority
    )


#: The status a recommendation starts with, of each kind (``StatusChange.kind``; plain keys: an enum member
#: does not hash as its value).
STARTS = {
    StatusKind.ASSISTANCE.value: AssistanceStatus.REQUESTED,
    StatusKind.IMPLEMENTATION.value: ImplementationStatus.OPEN,
}


@transaction.atomic
def import_recommendations(*, rows: list[dict], filename: str, by) -> list[Recommendation]:
    """CTED adds the recommendations of a spreadsheet's rows, checked by ``cted.imports.check_rows``
    (``assessment``, ``theme``, ``text``, ``priority``, ``assistance``, ``implementation``, ``entities``),
    in bulk: each is audited by its insert trigger, and a status other than the one a recommendation starts
    with is kept as a change "Imported from <file>" by the importer."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    for row in rows:
        if not (row["text"] or "").strip():
            raise ValidationError(_("Write the recommendation."))
        if row["assistance"] != AssistanceStatus.REQUESTED:
            # "matched" and "provided" say a project answers the need: links are made on the platform.
            raise ValidationError(
                _("An imported recommendation's assistance is requested: link projects after.")
            )
    created = Recommendation.objects.bulk_create([
        Recommendation(
            assessment=row["assessment"], theme=row["theme"], text=row["text"].strip(),
            is_priority=row["priority"], assistance_status=row["assistance"],
            implementation_status=row["implementation"],
        )
        for row in rows
    ])  # fmt: skip
    through = Recommendation.entities.through
    through.objects.bulk_create([
        through(recommendation_id=recommendation.pk, organization_id=entity.pk)
        for recommendation, row in zip(created, rows, strict=True) for entity in row["entities"]
    ])  # fmt: skip
    reason = _("Imported from %(file)s") % {"file": filename}
    StatusChange.objects.bulk_create([
        StatusChange(recommendation=recommendation, kind=kind, old=start, new=row[kind], reason=reason,
                     changed_by=by)
        for recommendation, row in zip(created, rows, strict=True)
        for kind, start in STARTS.items() if row[kind] != start
    ])  # fmt: skip
    return created


@transaction.atomic
def change_status(recommendation: Recommendation, *, kind: str, to: str, reason: str, by) -> StatusChange:
    """Change a recommendation's assistance status (CTED) or implementation status (CTED, the State), as the
    workflow allows, with the reason; the change is kept with who and when."""
    recommendation = (
        Recommendation.objects.select_related("assessment").select_for_update().get(pk=recommendation.pk)
    )
    if kind == StatusKind.ASSISTANCE:
        allowed = rules.can_change_assistance(by)
    elif kind == StatusKind.IMPLEMENTATION:
        allowed = rules.can_change_implementation(by, recommendation.assessment)
    else:
        raise ValidationError(_("Not a kind of status: %(value)s.") % {"value": kind})
    if not allowed:
        raise PermissionDenied
    field = f"{kind}_status"
    current = getattr(recommendation, field)
    statuses = LABELS[kind]
    if to not in statuses.values:
        raise ValidationError(_("Not a status: %(value)s.") % {"value": to})
    if to not in TRANSITIONS[kind][current]:
        nexts = ", ".join(str(statuses(value).label) for value in sorted(TRANSITIONS[kind][current]))
        raise ValidationError(
            _("From “%(current)s” the status may go to: %(next)s — not to “%(to)s”.")
            % {"current": statuses(current).label, "next": nexts or _("nothing"), "to": statuses(to).label}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the status changes."))
    setattr(recommendation, field, to)
    recommendation.save(update_fields=[field])
    return StatusChange.objects.create(
        recommendation=recommendation, kind=kind, old=current, new=to, reason=reason, changed_by=by
    )


@transaction.atomic
def grant_consent(
    assessment: Assessment,
    *,
    audience: str,
    organization: Organization | None = None,
    recommendation: Recommendation | None = None,
    expires_on: date | None = None,
    by,
) -> ConsentGrant:
    """The Member State's people share its assessment (as far as its release level allows) or one of its
    recommendations with a named Compact entity or regional organisation, or with every Compact entity,
    until ``expires_on`` (inclusive) or until revoked. Access follows at once."""
    if not rules.can_grant_consent(by, assessment):
        raise PermissionDenied
    if recommendation is not None and recommendation.assessment_id != assessment.pk:
        raise ValidationError(_("This recommendation is not one of this assessment's."))
    if audience == ConsentAudience.ORGANIZATION:
        shareable = (OrganizationKind.COMPACT_ENTITY, OrganizationKind.REGIONAL_ORGANIZATION)
        if organization is None or not organization.is_active or organization.kind not in shareable:
            raise ValidationError(
                _("Choose the Compact entity or regional organisation to share with, from the registry.")
            )
    elif audience == ConsentAudience.COMPACT_ENTITIES:
        organization = None
    else:
        raise ValidationError(_("Not an audience of a consent: %(value)s.") % {"value": audience})
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError(_("The consent would end in the past: choose a later date or none."))
    return ConsentGrant.objects.create(
        assessment=assessment, recommendation=recommendation, audience=audience, organization=organization,
        expires_on=expires_on, granted_by=by,
    )  # fmt: skip


@transaction.atomic
def revoke_consent(grant: ConsentGrant, *, by) -> ConsentGrant:
    """The Member State's people withdraw a consent: recorded (never deleted), in force at once."""
    grant = ConsentGrant.objects.select_related("assessment").select_for_update().get(pk=grant.pk)
    if not rules.can_grant_consent(by, grant.assessment):
        raise PermissionDenied
    if grant.revoked_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant


@transaction.atomic
def set_release_level(assessment: Assessment, *, level: str, by) -> Assessment:
    """The Member State's people choose how much of the assessment a consent to share it releases: nothing
    but its record, its high-priority needs, or all of it. Access follows at once."""
    if not rules.can_grant_consent(by, assessment):
        raise PermissionDenied
    if level not in ReleaseLevel.values:
        raise ValidationError(_("Not a release level: %(value)s.") % {"value": level})
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.release_level = level
    assessment.save(update_fields=["release_level"])
    return assessment
