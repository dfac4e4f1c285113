"""The UN Multi-Year Appeal for Counter-Terrorism: cycles, the projects appealed for and their yearly
requirements, and the append-only ledger of funding flows (docs/appeal.md).

Money is ``Decimal`` end to end: amounts in their currency with two decimals, rates with eight, US dollar
amounts rounded half up to the cent at the recorded rate. The ledger (``Flow``) is append-only in the database
itself — a trigger refuses UPDATE and DELETE whatever code or SQL session attempts them — and every insert is
audited: a correction is a new entry that reverses or adjusts an earlier one, never an edit of money.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, Pillar
from projects.models import Project
from projects.reference import CURRENCIES

#: The years an appeal cycle, a requirement or a flow may fall in (a typo such as 20221 is refused).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    """The Appeal's thematic priorities (gender and human rights cut across the others)."""

    PCVE = "pcve", _("Preventing and countering violent extremism")
    CFT = "cft", _("Countering the financing of terrorism")
    NEW_TECHNOLOGIES = "new_technologies", _("New technologies")
    CRIMINAL_JUSTICE = "criminal_justice", _("Criminal justice and rule of law")
    BORDER_SECURITY = "border_security", _("Border security management")
    VICTIMS = "victims", _("Victims of terrorism")
    GENDER_HUMAN_RIGHTS = "gender_human_rights", _("Gender and human rights (cross-cutting)")


class AppealCycleQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppealCycleQuerySet:
        """Every cycle, for everyone signed in (what is in it follows its own rules)."""
        from appeal.access import signed_in_rule

        rule = signed_in_rule(user)
        return self.none() if rule is None else self.filter(rule)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AppealCycle(models.Model):
    """One Multi-Year Appeal (e.g. 2021–2022), opened and closed by the Secretariat. Appeal projects are
    added and flows recorded only while it is open."""

    name = models.CharField(_("name"), max_length=40, unique=True, help_text=_("For example 2021–2022."))
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=6, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened on"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("closed by"),
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)

    objects = AppealCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal cycle")
        verbose_name_plural = _("appeal cycles")
        ordering = ["-first_year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    first_year__gte=FIRST_YEAR, last_year__lte=LAST_YEAR, last_year__gte=F("first_year")
                ),
                name="appeal_cycle_years",
            ),
            models.CheckConstraint(
                condition=Q(status=CycleStatus.OPEN, closed_at__isnull=True, closed_by__isnull=True)
                | Q(status=CycleStatus.CLOSED, closed_at__isnull=False),
                name="appeal_cycle_closed_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class AppealProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppealProjectQuerySet:
        """Published appeal projects for everyone signed in; unpublished ones for the people of the project's
        lead entity and the Secretariat; public ones of public projects for everyone (``appeal.access``)."""
        from appeal.access import appeal_project_rule

        rule = appeal_project_rule(user)
        return self.none() if rule is None else self.filter(rule)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AppealProject(models.Model):
    """A project of the matrix appealed for in one cycle, under one or more thematic priorities. Its lead
    entity is the project's; it is *joint* when the project has partner entities (derived, never stored:
    ``appeal.selectors``). Unpublished, it is seen by its lead entity's people and the Secretariat only."""

    cycle = models.ForeignKey(
        AppealCycle, on_delete=models.PROTECT, related_name="projects", verbose_name=_("appeal cycle")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    priorities = ArrayField(
        models.CharField(max_length=20, choices=Priority.choices), verbose_name=_("thematic priorities")
    )
    is_published = models.BooleanField(_("published"), default=False)
    #: Shown on the public pages, to visitors without sign-in: only a published appeal project of a public
    #: project (``appeal.access.public_rule`` checks the project's visibility on every read, so a project
    #: made private again takes its appeal project off the public pages at once).
    # db_default too: the bench writes appeal projects in SQL
    is_public = models.BooleanField(_("public"), default=False, db_default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added on"), default=timezone.now)

    objects = AppealProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal project")
        verbose_name_plural = _("appeal projects")
        ordering = ["cycle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "project"], name="appeal_project_once_per_cycle"),
            models.CheckConstraint(condition=Q(priorities__len__gt=0), name="appeal_project_has_priority"),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(is_published=True), name="appeal_project_public_is_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.cycle})"

    @property
    def priority_labels(self) -> list[str]:
        return [Priority(value).label for value in self.priorities]


class RequirementQuerySet(models.QuerySet):
    def visible_to(self, user) -> RequirementQuerySet:
        """The requirements of the appeal projects the user may see."""
        return self.filter(appeal_project__in=AppealProject.objects.visible_to(user).values("pk"))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Requirement(models.Model):
    """What an appeal project asks for in one year of its cycle, in US dollars (one per year)."""

    appeal_project = models.ForeignKey(
        AppealProject, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("appeal project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_usd = models.DecimalField(_("requirement in US dollars"), max_digits=16, decimal_places=2)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["appeal_project", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal_project", "year"], name="appeal_requirement_once_per_year"
            ),
            models.CheckConstraint(condition=Q(amount_usd__gt=0), name="appeal_requirement_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="appeal_requirement_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_project} {self.year}: US$ {self.amount_usd}"


class Stage(models.TextChoices):
    """FTS's statuses: a pledge is a non-binding announcement; a commitment a binding one; a paid contribution
    money transferred. Funding is commitments and paid contributions (docs/appeal.md)."""

    PLEDGE = "pledge", _("Pledge")
    COMMITMENT = "commitment", _("Commitment")
    PAID = "paid", _("Paid contribution")


class Earmark(models.TextChoices):
    PROJECT = "project", _("An appeal project")
    PILLAR = "pillar", _("A pillar of the Strategy")
    PRIORITY = "priority", _("A thematic priority")
    UNEARMARKED = "unearmarked", _("Unearmarked")


#: The trigger's body: the new entry's dollars added to its stage's total in its group (created at its first
#: entry). The unique index on the group's columns treats NULLs as equal, so every group has one row.
ADD_TO_TOTALS = """
INSERT INTO appeal_flowtotal (cycle_id, donor_id, earmark, appeal_project_id, pillar_id, priority,
                              pledged, committed, paid)
VALUES (NEW.cycle_id, NEW.donor_id, NEW.earmark, NEW.appeal_project_id, NEW.pillar_id, NEW.priority,
        CASE WHEN NEW.stage = 'pledge' THEN NEW.amount_usd ELSE 0 END,
        CASE WHEN NEW.stage = 'commitment' THEN NEW.amount_usd ELSE 0 END,
        CASE WHEN NEW.stage = 'paid' THEN NEW.amount_usd ELSE 0 END)
ON CONFLICT (cycle_id, donor_id, earmark, appeal_project_id, pillar_id, priority) DO UPDATE
SET pledged = appeal_flowtotal.pledged + EXCLUDED.pledged,
    committed = appeal_flowtotal.committed + EXCLUDED.committed,
    paid = appeal_flowtotal.paid + EXCLUDED.paid;
RETURN NULL;
"""

#: The totals recomputed from the ledger (after rows were written with the trigger ignored: the bench).
REBUILD_TOTALS = """
DELETE FROM appeal_flowtotal;
INSERT INTO appeal_flowtotal (cycle_id, donor_id, earmark, appeal_project_id, pillar_id, priority,
                              pledged, committed, paid)
SELECT cycle_id, donor_id, earmark, appeal_project_id, pillar_id, priority,
       coalesce(sum(amount_usd) FILTER (WHERE stage = 'pledge'), 0),
       coalesce(sum(amount_usd) FILTER (WHERE stage = 'commitment'), 0),
       coalesce(sum(amount_usd) FILTER (WHERE stage = 'paid'), 0)
FROM appeal_flow GROUP BY cycle_id, donor_id, earmark, appeal_project_id, pillar_id, priority;
"""


class FlowQuerySet(models.QuerySet):
    def visible_to(self, user) -> FlowQuerySet:
        """The entries the user may read (``appeal.access``): the Secretariat all; a donor's people their own;
        everyone signed in the commitments and paid contributions not earmarked to an appeal project they
        may not see. Pledges are their donor's and the Secretariat's business."""
        from appeal.access import flow_rule

        rule = flow_rule(user)
        return self.none() if rule is None else self.filter(rule)


@pghistory.track(pghistory.InsertEvent())
class Flow(models.Model):
    """One entry of the Appeal's ledger: a donor's pledge, commitment or paid contribution in a cycle, dated,
    in its currency with the rate to US dollars used and the dollar amount at that rate, earmarked to an
    appeal project, a pillar, a priority or nothing. Never changed or deleted (the database refuses it): a
    correction is a new entry (``corrects``, with its reason) that reverses all or part of an earlier one, or
    adjusts it, in the entry's currency and at its rate."""

    cycle = models.ForeignKey(
        AppealCycle, on_delete=models.PROTECT, related_name="+", verbose_name=_("cycle")
    )
    donor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("donor")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    usd_rate = models.DecimalField(
        _("US dollars for one unit of the currency"), max_digits=18, decimal_places=8
    )
    amount_usd = models.DecimalField(_("amount in US dollars"), max_digits=16, decimal_places=2)
    earmark = models.CharField(_("earmarked to"), max_length=11, choices=Earmark.choices)
    appeal_project = models.ForeignKey(
        AppealProject, on_delete=models.PROTECT, null=True, blank=True, related_name="flows",
        verbose_name=_("appeal project"),
    )  # fmt: skip
    pillar = models.ForeignKey(
        Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pillar")
    )
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("corrects"),
    )  # fmt: skip
    reason = models.TextField(_("reason"), max_length=2_000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)

    objects = FlowQuerySet.as_manager()

    class Meta:
        verbose_name = _("flow")
        verbose_name_plural = _("flows")
        ordering = ["date", "id"]
        indexes = [
            # A cycle's donor-and-earmark groups in order, with what coverage sums (appeal.selectors): an
            # index-only scan feeds the grouping without a sort. Its first columns serve a donor's entries.
            models.Index(
                fields=["cycle", "donor", "appeal_project", "pillar", "priority"],
                include=["stage", "amount_usd"],
                name="appeal_flow_cycle_groups_idx",
            ),
            # the ledger page, newest first: its first page without reading the cycle's every entry
            models.Index(fields=["cycle", "-date", "-id"], name="appeal_flow_cycle_date_idx"),
            models.Index(fields=["appeal_project"], name="appeal_flow_project_idx"),
            models.Index(fields=["corrects"], name="appeal_flow_corrects_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="appeal_flow_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=False) | Q(amount__gt=0), name="appeal_flow_new_entry_positive"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="appeal_flow_reason"
            ),
            models.CheckConstraint(condition=Q(usd_rate__gt=0), name="appeal_flow_rate_positive"),
            models.CheckConstraint(
                condition=~Q(currency="USD") | Q(usd_rate=1), name="appeal_flow_usd_rate_one"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount_usd__gte=0) | Q(amount__lt=0, amount_usd__lte=0),
                name="appeal_flow_usd_same_sign",
            ),
            models.CheckConstraint(
                condition=Q(
                    earmark=Earmark.PROJECT, appeal_project__isnull=False, pillar__isnull=True, priority=""
                )
                | Q(earmark=Earmark.PILLAR, appeal_project__isnull=True, pillar__isnull=False, priority="")
                | (
                    Q(earmark=Earmark.PRIORITY, appeal_project__isnull=True, pillar__isnull=True)
                    & ~Q(priority="")
                )
                | Q(
                    earmark=Earmark.UNEARMARKED, appeal_project__isnull=True, pillar__isnull=True, priority=""
                ),
                name="appeal_flow_one_earmark",
            ),
        ]
        triggers = [
            # The ledger is append-only: the same trigger as the audit trail's events and the security log.
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # Every entry is added to its group's running totals in the same transaction (FlowTotal).
            pgtrigger.Trigger(
                name="add_to_totals",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                func=ADD_TO_TOTALS,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.amount} {self.currency} — {self.donor_id}"


class FlowTotalQuerySet(models.QuerySet):
    def visible_to(self, user) -> FlowTotalQuerySet:
        """The groups whose entries the user may read, as ``Flow.objects.visible_to`` (``appeal.access``);
        ``seen_pledged`` and ``seen_uncommitted`` are the pledged totals for those who may see the group's
        pledges (its donor's people and the Secretariat), zero for the others."""
        from appeal.access import flow_total_rule

        rule = flow_total_rule(user)
        if rule is None:  # no rows, with the same columns
            return self.none().annotate(seen_pledged=F("pledged"), seen_uncommitted=F("uncommitted"))
        rows, own = rule
        if own is None:  # every pledge
            return self.filter(rows).annotate(seen_pledged=F("pledged"), seen_uncommitted=F("uncommitted"))
        money = models.DecimalField(max_digits=18, decimal_places=2)
        return self.filter(rows).annotate(
            seen_pledged=Case(When(own, then=F("pledged")), default=Value(0), output_field=money),
            seen_uncommitted=Case(When(own, then=F("uncommitted")), default=Value(0), output_field=money),
        )


class FlowTotal(models.Model):
    """The running totals of the ledger: for each cycle, donor and earmark, the net US dollars of its pledges,
    commitments and paid contributions. Written by the database only — a trigger on ``Flow`` adds every new
    entry to its group in the same transaction — and exact without ever being recomputed, since the ledger is
    append-only. The dashboards read these groups rather than the entries (at 200,000 entries, a cycle's
    78,000 are 23,000 groups); a list filtered by date reads the entries (``appeal.selectors.figures``)."""

    cycle = models.ForeignKey(AppealCycle, on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    earmark = models.CharField(max_length=11, choices=Earmark.choices)
    appeal_project = models.ForeignKey(
        AppealProject, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    priority = models.CharField(max_length=20, choices=Priority.choices, blank=True)
    pledged = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    committed = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    paid = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    # Each dollar once, at the furthest stage it reached (docs/appeal.md), kept by the database with the sums.
    uncommitted = models.GeneratedField(
        expression=Greatest(F("pledged") - Greatest(F("committed"), F("paid")), Value(0)),
        output_field=models.DecimalField(max_digits=18, decimal_places=2), db_persist=True,
    )  # fmt: skip
    unpaid = models.GeneratedField(
        expression=Greatest(F("committed") - F("paid"), Value(0)),
        output_field=models.DecimalField(max_digits=18, decimal_places=2), db_persist=True,
    )  # fmt: skip

    objects = FlowTotalQuerySet.as_manager()

    class Meta:
        verbose_name = _("flow total")
        verbose_name_plural = _("flow totals")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "donor", "earmark", "appeal_project", "pillar", "priority"],
                nulls_distinct=False,
                name="appeal_flowtotal_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.donor_id}/{self.earmark}"
