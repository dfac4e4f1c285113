"""Writing CTED's assessments: every write keyword-only, checked by ``cted.rules`` (``PermissionDenied``)
and by the rules below (``ValidationError`` with a message a person can act on), in one transaction,
audited by the models' triggers (pghistory)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.i18n import in_each_readers_language
from cted import indexing, rules, selectors
from cted.models import (
    Assessment,
    AssistanceOffer,
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
from directory.access import Visibility
from directory.models import Organization, OrganizationKind
from library.models import Resource
from library.selectors import resources_for
from notifications.services import notify
from projects.selectors import projects_for

#: The report's steps, each with the date field it records and the stages it may follow.
STEPS = {
    ReportStage.DRAFT: ("draft_sent_on", {ReportStage.PRELIMINARY}),
    ReportStage.COMMENTS: ("comments_received_on", {ReportStage.DRAFT}),
    ReportStage.ADOPTED: ("adopted_on", {ReportStage.DRAFT, ReportStage.COMMENTS}),
    ReportStage.STEPS: ("steps_received_on", {ReportStage.ADOPTED}),
}

#: The audiences a confidential report may have: its owner organisation, or the owner and the organisations it
#: lists (CTED's report is for the State and CTED). Anything wider — the platform, the Compact, a Working
#: Group — would publish it.
RESTRICTED = {Visibility.OWNER, Visibility.ORGANIZATIONS}

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
    # Keyed by the form field each concerns, so that the page shows the message next to it.
    if state.kind != OrganizationKind.MEMBER_STATE or not state.is_active:
        raise ValidationError(
            {"state": _("CTED assesses Member States: %(name)s is not one.") % {"name": state.name}}
        )
    if visit_type not in VisitType.values:
        raise ValidationError({"visit_type": _("Not a kind of visit: %(value)s.") % {"value": visit_type}})
    if visit_end is not None and visit_end < visit_start:
        raise ValidationError({"visit_end": _("The visit ends before it starts.")})
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
        raise ValidationError({"step": _("Not a step of the report: %(value)s.") % {"value": step}})
    field, after = STEPS[step]
    if assessment.stage not in after:
        raise ValidationError(
            {
                "step": _("The report is at “%(stage)s”: “%(step)s” cannot come next.")
                % {"stage": assessment.get_stage_display(), "step": ReportStage(step).label}
            }
        )
    previous = max(
        (day for day in (assessment.visit_start, assessment.draft_sent_on, assessment.comments_received_on,
                         assessment.adopted_on) if day),
    )  # fmt: skip
    if on < previous:
        raise ValidationError(
            {
                "on": _("“%(step)s” cannot be dated before %(day)s, the date of the step before it.")
                % {"step": ReportStage(step).label, "day": date_format(previous)}
            }
        )
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("A step is recorded once it has happened: the date is in the future.")}
        )
    setattr(assessment, field, on)
    assessment.stage = step
    assessment.save(update_fields=[field, "stage"])
    return assessment


@transaction.atomic
def attach_report(assessment: Assessment, *, report: Resource, by) -> Assessment:
    """CTED attaches the confidential report: a library resource it may read whose audience is restricted to
    its owner or the organisations it lists — the assessment's page links to it only for readers of the
    resource (``selectors.report_for``)."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    if not resources_for(by).filter(pk=report.pk).exists():
        raise ValidationError({"report": _("Choose the report among the library's resources you may see.")})
    if report.visibility not in RESTRICTED:
        raise ValidationError(
            {
                "report": _(
                    "The report is confidential, but “%(title)s” is visible to %(audience)s: restrict it in "
                    "the library to its owner or the organisations it lists, then attach it."
                )
                % {"title": report.title, "audience": report.get_visibility_display().lower()}
            }
        )
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.report = report
    assessment.save(update_fields=["report"])
    return assessment


def _recommendation_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the recommendation.")})
    return text


@transaction.atomic
def add_recommendation(
    assessment: Assessment, *, text: str, theme=None, is_priority: bool = False, entities=(), projects=(), by
) -> Recommendation:
    """CTED records a need or recommendation of the assessment, with the entities that could deliver and the
    projects that answer it (``set_links``: a project makes it "matched")."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    recommendation = Recommendation.objects.create(
        assessment=assessment, text=_recommendation_text(text), theme=theme, is_priority=is_priority
    )
    if entities or projects:
        set_links(recommendation, entities=entities, projects=projects, by=by)
    else:
        indexing.refresh([recommendation.pk])
    return recommendation


@transaction.atomic
def edit_recommendation(
    recommendation: Recommendation, *, text: str, theme=None, is_priority: bool, entities, projects, by
) -> Recommendation:
    """CTED edits a recommendation: its text, theme and priority, the entities that could deliver and the
    projects that answer it (``set_links``). Its statuses change only through ``change_status``."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    recommendation.text, recommendation.theme = _recommendation_text(text), theme
    recommendation.is_priority = is_priority
    recommendation.save(update_fields=["text", "theme", "is_priority"])
    set_links(recommendation, entities=entities, projects=projects, by=by)  # refreshes its search keys
    return recommendation


@transaction.atomic
def set_links(recommendation: Recommendation, *, entities, projects, by) -> Recommendation:
    """CTED sets the Compact entities that could deliver and the projects of the matrix that answer the
    recommendation, and the assistance status follows: a first project makes a "requested" recommendation
    "matched"; removing the last makes a "matched" one "requested" again (each a dated change, by the
    editor, saying which project); a "provided" one stays so. The links are audited (pghistory, on the
    link tables).

    ``projects`` are chosen among those the editor may see; a linked project they may not see (another
    CTED person linked it) is neither shown to them nor dropped by their edit."""
    if not rules.can_record_assessment(by):
        raise PermissionDenied
    entities, projects = set(entities), set(projects)
    if any(e.kind != OrganizationKind.COMPACT_ENTITY or not e.is_active for e in entities):
        raise ValidationError({"entities": _("Choose the entities that could deliver among the Compact's.")})
    visible = projects_for(by)
    if len(projects) != visible.filter(pk__in=[p.pk for p in projects]).count():
        # never name the project: the editor may not know it exists
        raise ValidationError({"projects": _("Choose the projects among those you may see.")})
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    before = set(recommendation.projects.all())
    unseen = set(recommendation.projects.exclude(pk__in=visible.values("pk")))
    after = projects | unseen
    recommendation.entities.set(entities)
    recommendation.projects.set(after)
    status = recommendation.assistance_status
    added, removed = after - before, before - after
    if status == AssistanceStatus.REQUESTED and added:
        first = min(added, key=lambda project: project.title)
        change_status(
            recommendation, kind=StatusKind.ASSISTANCE, to=AssistanceStatus.MATCHED, by=by,
            reason=_("A project answers the need: %(title)s") % {"title": first.title},
        )  # fmt: skip
    elif status == AssistanceStatus.MATCHED and before and not after:
        titles = ", ".join(sorted(project.title for project in removed))
        change_status(
            recommendation, kind=StatusKind.ASSISTANCE, to=AssistanceStatus.REQUESTED, by=by,
            reason=_("No project answers the need any more: %(titles)s unlinked") % {"titles": titles},
        )  # fmt: skip
    indexing.refresh([recommendation.pk])  # its entities and status are facets
    recommendation.refresh_from_db(fields=["assistance_status"])
    return recommendation


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
    indexing.refresh(recommendation.pk for recommendation in created)
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
    if to == AssistanceStatus.MATCHED and not recommendation.projects.exists():
        # "matched" means a project of the matrix answers the need (issue 16): the link says which.
        raise ValidationError({"to": _("Link the project that answers the need first.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the status changes.")})
    setattr(recommendation, field, to)
    recommendation.save(update_fields=[field])
    indexing.refresh([recommendation.pk])
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
    grant = ConsentGrant.objects.create(
        assessment=assessment, recommendation=recommendation, audience=audience, organization=organization,
        expires_on=expires_on, granted_by=by,
    )  # fmt: skip
    indexing.forget_counts()  # who may count what has changed
    return grant


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
    indexing.forget_counts()
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
    indexing.forget_counts()
    return assessment


@transaction.atomic
def offer_assistance(
    recommendation: Recommendation, *, organization: Organization, message: str, by
) -> AssistanceOffer:
    """A Compact entity's people offer to help with a recommendation they may read: the offer is kept and
    the State's focal points and CTED are notified (by email as each chose, once the offer is committed)."""
    recommendation = (
        Recommendation.objects.visible_to(by).select_related("assessment__state").filter(pk=recommendation.pk)
    ).first()
    if recommendation is None or not rules.can_offer_assistance(by, recommendation):
        raise PermissionDenied
    if not selectors.offering_organizations(by).filter(pk=organization.pk).exists():
        raise ValidationError(_("Offer on behalf of your own organisation."))
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Say what your organisation offers."))
    earlier = AssistanceOffer.objects.filter(recommendation=recommendation, organization=organization).first()
    if earlier is not None:
        raise ValidationError(
            _("%(organization)s offered help with this recommendation on %(day)s already.")
            % {"organization": organization, "day": date_format(timezone.localtime(earlier.offered_at))}
        )
    offer = AssistanceOffer.objects.create(
        recommendation=recommendation, organization=organization, message=message, offered_by=by
    )
    assessment = recommendation.assessment
    subject = in_each_readers_language(
        lambda: (
            _("%(organization)s offers assistance to %(state)s")
            % {"organization": organization, "state": assessment.state}
        )
    )
    body = in_each_readers_language(
        lambda: (
            _("On the recommendation: “%(text)s”\n\n%(message)s\n\n— %(person)s")
            % {"text": recommendation.text[:300], "message": message, "person": by.get_full_name()}
        )
    )
    url = reverse("cted:assessment", kwargs={"pk": assessment.pk}) + f"#recommendation-{recommendation.pk}"
    notify(
        recipients=selectors.focal_points_of(assessment),
        subject=subject,
        body=body,
        url=url,
        kind="cted_offer",
    )
    return offer
