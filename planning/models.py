"""Joint planning and reporting of the Working Groups.

- ``Activity``: an item of a WG's workplan, content with an audience (visible through ``visible_to``).
- ``PrioritisationRound``: a round opened by the space's managers in which member organisations score the
  activities it covers (one ``Ballot`` per organisation, with one ``BallotScore`` per activity scored);
  closing it writes each activity's ``priority`` (1 = highest).
- ``ReportingPeriod`` (set by the Secretariat) and ``ProgressReport`` (one per WG and period, drafted and
  submitted by the space's managers; its figures are computed from the space's data while it is a draft
  and frozen into ``figures`` when it is submitted).

Every write is audited by pghistory's triggers.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from directory.access import AudienceModel, Visibility
from directory.models import Organization, Pillar, WorkingGroup

#: An activity is part of a joint workplan: it is seen at least by the Working Group's members. Restricting
#: it to one organisation would hide it from the plan it belongs to, so these are the only choices (also a
#: database constraint).
PLAN_VISIBILITIES = (
    Visibility.PLATFORM,
    Visibility.COMPACT,
    Visibility.WORKING_GROUP,
    Visibility.WORKING_GROUP_MEMBERS,
)

MIN_SCORE, MAX_SCORE = 1, 5


class ActivityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: Activities still to be done: the WG home's "open workplan items".
OPEN_STATUSES = (ActivityStatus.PROPOSED, ActivityStatus.PLANNED, ActivityStatus.ONGOING)
#: Activities a prioritisation round may cover: not yet under way.
RANKABLE_STATUSES = (ActivityStatus.PROPOSED, ActivityStatus.PLANNED)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Activity(AudienceModel):
    """An item of a Working Group's workplan."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    lead_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead organisation")
    )
    contributing_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("contributing organisations")
    )
    pillar = models.ForeignKey(
        Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pillar")
    )
    countries = ArrayField(
        models.CharField(max_length=3), blank=True, default=list, verbose_name=_("countries")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PROPOSED
    )
    #: 1 is the highest priority; written by closing a round, or set by the space's managers.
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    priority_round = models.ForeignKey(
        "PrioritisationRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("priority set by the round"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["working_group", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="activity_end_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(working_group__isnull=False), name="activity_has_working_group"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=[v.value for v in PLAN_VISIBILITIES]),
                name="activity_plan_visibility",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "status", "start"], name="activity_wg_idx"),
            models.Index(fields=["visibility", "start"], name="activity_visibility_idx"),
            models.Index(fields=["owner", "start"], name="activity_owner_idx"),
            models.Index(fields=["start", "end"], name="activity_dates_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:activity", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Still open (proposed, planned, ongoing) after its end date: its status needs updating."""
        return self.is_open and self.end < timezone.localdate()

    @property
    def status_label(self) -> str:
        """The status as people read it: an open activity past its end says so, rather than "Proposed"."""
        if self.is_overdue:
            return _("%(status)s, past its end date: update it") % {"status": self.get_status_display()}
        return self.get_status_display()


class ActivityUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Activity, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("activity shared with a person")


class ActivityGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Activity, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("activity shared with a group")


track_links(
    Activity,
    grants=(ActivityUserGrant, ActivityGroupGrant),
    links={
        "audience_organizations": "ActivityAudienceOrganizationEvent",
        "contributing_organizations": "ActivityContributorEvent",
    },
)


class RoundState(models.TextChoices):
    SCHEDULED = "scheduled", _("Not open yet")
    OPEN = "open", _("Open for ranking")
    ENDED = "ended", _("Ranking ended, waiting to be closed")
    CLOSED = "closed", _("Closed")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PrioritisationRound(models.Model):
    """A round in which the Working Group's member organisations score proposed activities."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("Working Group")
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), max_length=3000, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("opened by"),
    )  # fmt: skip
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("closed by"),
    )  # fmt: skip
    activities = models.ManyToManyField(Activity, related_name="rounds", verbose_name=_("activities"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("prioritisation round")
        verbose_name_plural = _("prioritisation rounds")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            ),
            # One round at a time per group: a second one would split the members' votes.
            models.UniqueConstraint(
                fields=["working_group"],
                condition=models.Q(closed_at__isnull=True),
                name="round_one_open_per_wg",
                violation_error_message=_("The group already has a round that is not closed."),
            ),
        ]
        indexes = [models.Index(fields=["working_group", "-opens_at"], name="round_wg_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:round", kwargs={"pk": self.pk})

    def state(self, now=None) -> RoundState:
        now = now or timezone.now()
        if self.closed_at is not None:
            return RoundState.CLOSED
        if now < self.opens_at:
            return RoundState.SCHEDULED
        if now >= self.closes_at:
            return RoundState.ENDED
        return RoundState.OPEN

    @property
    def current_state(self) -> RoundState:
        return self.state()

    @property
    def is_open(self) -> bool:
        return self.state() == RoundState.OPEN


pghistory.track(
    pghistory.InsertEvent(), pghistory.DeleteEvent(), model_name="RoundActivityEvent", app_label="planning"
)(PrioritisationRound.activities.through)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Ballot(models.Model):
    """One member organisation's scores in a round: submitted once, final."""

    round = models.ForeignKey(PrioritisationRound, on_delete=models.CASCADE, related_name="ballots")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("submitted by"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="ballot_once_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.round}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class BallotScore(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["ballot", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "activity"], name="score_once_per_activity"),
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE), name="score_in_range"
            ),
        ]
        indexes = [models.Index(fields=["activity"], name="score_activity_idx")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.score}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ReportingPeriod(models.Model):
    """A period the Working Groups report on (set by the Secretariat), e.g. "2025"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("reports due"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("start")), name="period_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:period", kwargs={"pk": self.pk})


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProgressReport(models.Model):
    """A Working Group's progress report for one period."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("Working Group")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("reporting period")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    achievements = models.TextField(_("achievements"), max_length=20_000, blank=True)
    challenges = models.TextField(_("challenges"), max_length=20_000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=20_000, blank=True)
    #: The figures as they were at submission (see planning.figures); empty while a draft.
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("drafted by"),
    )  # fmt: skip
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period", "working_group__number"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "period"], name="report_once_per_wg_and_period"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="report_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.working_group} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("planning:report", kwargs={"wg": self.working_group_id, "period": self.period_id})

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED
