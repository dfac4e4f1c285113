"""CTED's country assessments and the needs and recommendations they identify (docs/cted.md).

An assessment and its recommendations are confidential by default: the Member State concerned and CTED see
them. The State's focal points share them by consent — an assessment (as far as its release level allows) or
single recommendations, with named organisations or with every Compact entity, dated, with an optional expiry,
revocable — and access follows the grants at once, because every read filters on them
(``visible_to``, ``cted.access``). The State's Detailed Implementation Survey is never stored here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import track_links
from core.models import StagedUpload
from directory.models import Organization
from library.models import Resource
from projects.models import Project, ThematicArea

#: The State's comments are due 30 days after the draft report; its report on the steps taken six months
#: after the report's adoption (CTED's procedure).
COMMENTS_DAYS = 30
STEPS_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day (31 August + 6 months
    is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class VisitType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive")
    FOCUSED = "focused", _("Focused or regional")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ADVOCACY = "advocacy", _("Advocacy")
    DESK_REVIEW = "desk_review", _("Desk review")


class ReportStage(models.TextChoices):
    """The report's workflow as CTED runs it, in order."""

    PRELIMINARY = "preliminary", _("Preliminary observations")
    DRAFT = "draft", _("Draft report sent to the State")
    COMMENTS = "comments", _("The State's comments received")
    ADOPTED = "adopted", _("Report adopted")
    STEPS = "steps", _("The State's report on steps taken received")


class ReleaseLevel(models.TextChoices):
    """How much of the assessment the State's consent to share it releases."""

    NOT_SHARED = "not_shared", _("Not shared")
    PARTIAL = "partial", _("Partial: the priority needs only")
    FULL = "full", _("Full")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """The Member State's and CTED's people; and whoever an active grant names (``cted.access``)."""
        from cted.access import assessment_rule

        rule = assessment_rule(user)
        return self.none() if rule is None else self.filter(rule)


class DeadlineKind(models.TextChoices):
    """What the State owes CTED by a date."""

    COMMENTS = "comments", _("The State's comments on the draft report")
    STEPS = "steps", _("The State's report on steps taken")


@dataclass(frozen=True)
class Deadline:
    """A date the State owes CTED something; whether it is still awaited (nothing received, and — for the
    comments — the report not adopted without them) and past."""

    kind: DeadlineKind
    due: date
    received: date | None
    awaited: bool
    overdue: bool

    @property
    def label(self) -> str:
        return str(self.kind.label)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Assessment(models.Model):
    """A CTED assessment visit to a Member State and its report's workflow: preliminary observations, the
    draft report, the State's comments (due 30 days after the draft), the adopted report, the State's report
    on steps taken (due six months after adoption). The confidential report is a library resource with a
    restricted audience."""

    state = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("Member State")
    )
    visit_type = models.CharField(_("visit type"), max_length=13, choices=VisitType.choices)
    visit_start = models.DateField(_("visit from"))
    visit_end = models.DateField(_("visit until"), null=True, blank=True)
    stage = models.CharField(
        _("report stage"), max_length=11, choices=ReportStage.choices, default=ReportStage.PRELIMINARY
    )
    draft_sent_on = models.DateField(_("draft report sent on"), null=True, blank=True)
    comments_received_on = models.DateField(_("the State's comments received on"), null=True, blank=True)
    adopted_on = models.DateField(_("report adopted on"), null=True, blank=True)
    steps_received_on = models.DateField(_("report on steps taken received on"), null=True, blank=True)
    release_level = models.CharField(
        _("release level"), max_length=10, choices=ReleaseLevel.choices, default=ReleaseLevel.NOT_SHARED
    )
    report = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confidential report"),
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-visit_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_end__isnull=True) | Q(visit_end__gte=models.F("visit_start")),
                name="cted_assessment_visit_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} — {self.get_visit_type_display()} {self.visit_start:%Y}"

    @property
    def comments_due(self) -> date | None:
        return self.draft_sent_on + timedelta(days=COMMENTS_DAYS) if self.draft_sent_on else None

    @property
    def steps_due(self) -> date | None:
        return add_months(self.adopted_on, STEPS_MONTHS) if self.adopted_on else None

    def deadlines(self, today: date) -> list[Deadline]:
        """The State's deadlines so far, each flagged overdue when past with nothing received (comments are
        no longer awaited once the report is adopted)."""
        found = []
        if self.comments_due:
            awaited = self.comments_received_on is None and self.adopted_on is None
            found.append(
                Deadline(
                    DeadlineKind.COMMENTS,
                    self.comments_due,
                    self.comments_received_on,
                    awaited,
                    awaited and today > self.comments_due,
                )  # fmt: skip
            )
        if self.steps_due:
            awaited = self.steps_received_on is None
            found.append(
                Deadline(
                    DeadlineKind.STEPS,
                    self.steps_due,
                    self.steps_received_on,
                    awaited,
                    awaited and today > self.steps_due,
                )  # fmt: skip
            )
        return found


class AssistanceStatus(models.TextChoices):
    """As CTED's technical-assistance matrix tracked it."""

    REQUESTED = "requested", _("Requested")
    MATCHED = "matched", _("Matched")
    PROVIDED = "provided", _("Provided")


class ImplementationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    CLOSED = "closed", _("Closed")


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecommendationQuerySet:
        """The Member State's and CTED's people; whoever a grant on it names; whoever a grant on its
        assessment names, as far as the assessment's release level allows (``cted.access``)."""
        from cted.access import recommendation_rule

        rule = recommendation_rule(user)
        return self.none() if rule is None else self.filter(rule)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
    exclude=["search_vector", "facet_keys", "visit_start"],
)  # fmt: skip
class Recommendation(models.Model):
    """A need or technical-assistance recommendation of an assessment: its thematic area, text, whether the
    State agreed it is a high priority, its assistance and implementation status (each change kept in
    ``StatusChange``), the entities that could deliver, and the projects of the matrix that answer it."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("assessment")
    )
    theme = models.ForeignKey(
        ThematicArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("thematic area"),
    )  # fmt: skip
    text = models.TextField(_("text"), max_length=5_000)
    is_priority = models.BooleanField(_("high-priority need agreed with the State"), default=False)
    assistance_status = models.CharField(
        _("assistance"), max_length=9, choices=AssistanceStatus.choices, default=AssistanceStatus.REQUESTED
    )
    implementation_status = models.CharField(
        _("implementation"), max_length=11, choices=ImplementationStatus.choices,
        default=ImplementationStatus.OPEN,
    )  # fmt: skip
    entities = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("entities that could deliver")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="+", verbose_name=_("projects that answer it")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    #: Derived by ``cted.indexing`` after every write: the text, theme and State, for the full-text search.
    search_vector = SearchVectorField(null=True, editable=False)
    #: Derived likewise: every filter value as "<facet>:<value>", for one-query facet counts (core.facets).
    facet_keys = ArrayField(models.CharField(max_length=40), default=list, editable=False)
    #: Derived likewise: the assessment's visit start, so that a list in visit order walks one index and stops
    #: at its page rather than sorting every row it chose.
    visit_start = models.DateField(null=True, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["assessment", "id"]
        indexes = [
            GinIndex(fields=["facet_keys"], name="cted_rec_facets_idx"),
            GinIndex(fields=["search_vector"], name="cted_rec_search_idx"),
            models.Index(models.F("visit_start").desc(), "assessment", "id", name="cted_rec_visit_order_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


# Which entities could deliver and which projects answer a need are edits like any other: audited too.
track_links(
    Recommendation,
    links={"entities": "RecommendationEntityEvent", "projects": "RecommendationProjectEvent"},
)


class StatusKind(models.TextChoices):
    ASSISTANCE = "assistance", _("Assistance")
    IMPLEMENTATION = "implementation", _("Implementation")


@pghistory.track(pghistory.InsertEvent())
class StatusChange(models.Model):
    """One change of a recommendation's assistance or implementation status: dated, with who and why."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=14, choices=StatusKind.choices)
    old = models.CharField(max_length=11)
    new = models.CharField(max_length=11)
    reason = models.TextField(max_length=2_000)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="cted_status_change_reason")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.old} → {self.new}"

    def _label(self, value: str) -> str:
        statuses = AssistanceStatus if self.kind == StatusKind.ASSISTANCE else ImplementationStatus
        return str(statuses(value).label)

    @property
    def old_label(self) -> str:
        return self._label(self.old)

    @property
    def new_label(self) -> str:
        return self._label(self.new)


class ConsentAudience(models.TextChoices):
    ORGANIZATION = "organization", _("A named entity or regional organisation")
    COMPACT_ENTITIES = "compact_entities", _("Every Compact entity")


class ConsentGrantQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsentGrantQuerySet:
        """The consents on an assessment: its State's people and CTED's (``cted.access``)."""
        from cted.access import grant_rule

        rule = grant_rule(user)
        return self.none() if rule is None else self.filter(rule)

    def active(self, today: date | None = None) -> ConsentGrantQuerySet:
        """Grants in force: not revoked, not expired (a grant runs through its expiry day)."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ConsentGrant(models.Model):
    """The Member State's consent to share its assessment (as far as the release level allows) or one of its
    recommendations with a named organisation or with every Compact entity: dated, with an optional expiry,
    revocable (revocation is recorded, never deleted). Every grant and revocation is audited."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grants")
    #: None: the assessment itself; else this recommendation only.
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="grants"
    )
    audience = models.CharField(_("shared with"), max_length=16, choices=ConsentAudience.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(_("until"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent grant")
        verbose_name_plural = _("consent grants")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["organization", "assessment"], name="cted_grant_audience_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience=ConsentAudience.ORGANIZATION, organization__isnull=False)
                | Q(audience=ConsentAudience.COMPACT_ENTITIES, organization__isnull=True),
                name="cted_grant_audience",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="cted_grant_revoked_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.audience} {self.organization_id or ''}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class AssistanceOffer(models.Model):
    """An entity's offer to help a Member State with a recommendation it may see: who offered, for which
    organisation, what, and when. The State's focal points and CTED are notified; one offer per organisation
    and recommendation (a second one says when the first was made)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="offers")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("offered by")
    )
    message = models.TextField(_("what you offer"), max_length=3_000)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offer of assistance")
        verbose_name_plural = _("offers of assistance")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "organization"], name="cted_offer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.recommendation_id}"


class ReminderKind(models.TextChoices):
    """The emails about one deadline: two weeks before it, on the day, and once the day after it passed."""

    BEFORE = "before", _("Two weeks before")
    DUE = "due", _("On the due date")
    OVERDUE = "overdue", _("Overdue")


class DeadlineReminder(models.Model):
    """A reminder of one of a State's deadlines that was sent (``cted.reminders``). The row is the claim: it
    is inserted before the emails go, in their transaction, and the unique constraint lets one run only —
    a rerun, a retry or a second worker finds it and sends nothing."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField(_("deadline"), max_length=8, choices=DeadlineKind.choices)
    reminder = models.CharField(_("reminder"), max_length=7, choices=ReminderKind.choices)
    #: The due date reminded of, as it was then.
    due = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "deadline", "reminder"], name="cted_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.deadline} {self.reminder}"


class RecommendationImport(StagedUpload):
    """A spreadsheet of recommendations CTED uploaded, read and checked, waiting for its uploader to save it
    (``core.models.StagedUpload``: its uploader's alone, by its token; it expires after a day)."""

    class Meta:
        verbose_name = _("recommendations import")
        verbose_name_plural = _("recommendations imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="cted_import_expiry_idx")]
