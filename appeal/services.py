"""Writing the Appeal: cycles, appeal projects and their requirements, and the ledger. Every write is
keyword-only, checked by ``appeal.rules`` (``PermissionDenied``) and by the rules of money below
(``ValidationError`` with a message a person can act on), in one transaction, audited by the models' triggers.

Money is ``Decimal`` end to end: a float is refused rather than rounded, amounts have at most two decimals,
and a dollar amount is the amount times the recorded rate, rounded half up to the cent — as the projects'
budgets are (``projects.services.budget_in_usd``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date as Date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from appeal import rules
from appeal.models import (
    FIRST_YEAR,
    LAST_YEAR,
    AppealCycle,
    AppealProject,
    CycleStatus,
    Earmark,
    Flow,
    Priority,
    Requirement,
    Stage,
)
from directory.access import Visibility
from directory.models import Organization, Pillar
from projects.reference import CURRENCIES

CENT = Decimal("0.01")
#: Amounts have 16 digits, two after the point (the columns' size).
MAX_AMOUNT = Decimal("1e14")
CURRENCY_CODES = frozenset(code for code, _label in CURRENCIES)


def to_usd(amount: Decimal, rate: Decimal) -> Decimal:
    """The amount in US dollars at ``rate``, rounded half up (away from zero) to the cent: a reversal of an
    entry is exactly the negative of its dollar amount."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value, *, label: str) -> Decimal:
    """A Decimal with at most two decimals and 16 digits, or a ValidationError naming ``label``."""
    if isinstance(value, float):
        raise ValidationError(
            _("%(label)s must be given as a decimal, not a floating-point number.") % {"label": label}
        )
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s is not a number.") % {"label": label}) from None
    if not amount.is_finite():
        raise ValidationError(_("%(label)s is not a number.") % {"label": label})
    if abs(amount) >= MAX_AMOUNT:  # before quantizing: a huge number has no room for cents
        raise ValidationError(_("%(label)s is too large.") % {"label": label})
    if amount != amount.quantize(CENT):
        raise ValidationError(_("%(label)s has more than two decimals.") % {"label": label})
    return amount.quantize(CENT)


def _locked_open_cycle(cycle: AppealCycle) -> AppealCycle:
    """The cycle, locked until the end of the transaction (closing it waits for the writes in progress, and
    they for it), refused when closed."""
    cycle = AppealCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_open:
        raise ValidationError(
            _("The appeal cycle %(name)s is closed: nothing more is recorded in it.") % {"name": cycle.name}
        )
    return cycle


# --- Cycles -------------------------------------------------------------------------------------------------


@transaction.atomic
def open_cycle(*, name: str, first_year: int, last_year: int, by) -> AppealCycle:
    """Open a new appeal cycle (the Secretariat)."""
    if not rules.can_open_cycle(by):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the cycle a name, for example 2025–2026."))
    if not (FIRST_YEAR <= first_year <= last_year <= LAST_YEAR):
        raise ValidationError(
            _("A cycle runs from its first year to its last, between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if AppealCycle.objects.filter(name=name).exists():
        raise ValidationError(_("There is already a cycle named %(name)s.") % {"name": name})
    return AppealCycle.objects.create(name=name, first_year=first_year, last_year=last_year, opened_by=by)


@transaction.atomic
def close_cycle(cycle: AppealCycle, *, by) -> AppealCycle:
    """Close a cycle (the Secretariat): its projects, requirements and ledger are kept, and frozen."""
    cycle = AppealCycle.objects.select_for_update().get(pk=cycle.pk)
    if not rules.can_close_cycle(by, cycle):
        raise PermissionDenied
    cycle.status, cycle.closed_by, cycle.closed_at = CycleStatus.CLOSED, by, timezone.now()
    cycle.save(update_fields=["status", "closed_by", "closed_at"])
    return cycle


# --- Appeal projects and requirements -----------------------------------------------------------------------


def _priorities(values) -> list[str]:
    chosen = list(dict.fromkeys(values or ()))
    unknown = [value for value in chosen if value not in Priority.values]
    if unknown:
        raise ValidationError(
            _("Not a thematic priority of the Appeal: %(values)s.") % {"values": ", ".join(map(str, unknown))}
        )
    if not chosen:
        raise ValidationError(_("Choose at least one thematic priority."))
    return chosen


def _check_public(project, *, is_published: bool, is_public: bool) -> None:
    """A public appeal project is published, and its project is public: its page would otherwise show a
    visitor a project they may not read."""
    if not is_public:
        return
    if not is_published:
        raise ValidationError({"is_public": _("Publish the appeal project to show it on the public pages.")})
    if project.visibility != Visibility.PUBLIC:
        raise ValidationError(
            {"is_public": _("Make the project public first: only public projects are on the public pages.")}
        )


@transaction.atomic
def add_appeal_project(
    *, cycle: AppealCycle, project, priorities, by, is_published: bool = False, is_public: bool = False
) -> AppealProject:
    """Appeal for a project of the matrix in an open cycle (its lead entity's people)."""
    if not rules.can_appeal_for(by, project):
        raise PermissionDenied
    cycle = _locked_open_cycle(cycle)
    chosen = _priorities(priorities)
    if AppealProject.objects.filter(cycle=cycle, project=project).exists():
        raise ValidationError(_("This project is already in the %(name)s appeal.") % {"name": cycle.name})
    _check_public(project, is_published=is_published, is_public=is_public)
    return AppealProject.objects.create(
        cycle=cycle, project=project, priorities=chosen, is_published=is_published, is_public=is_public,
        added_by=by,
    )  # fmt: skip


@transaction.atomic
def change_appeal_project(
    appeal_project: AppealProject, *, by, priorities=None, is_published=None, is_public=None
) -> AppealProject:
    """Change an appeal project's priorities, publish it (withdraw it from publication) or show it on the
    public pages, while open."""
    if not rules.can_change_appeal_project(by, appeal_project):
        raise PermissionDenied
    _locked_open_cycle(appeal_project.cycle)
    if priorities is not None:
        appeal_project.priorities = _priorities(priorities)
    if is_published is not None:
        appeal_project.is_published = bool(is_published)
    if is_public is not None:
        appeal_project.is_public = bool(is_public)
    elif not appeal_project.is_published:
        appeal_project.is_public = False  # withdrawn from publication: from the public pages too
    _check_public(
        appeal_project.project, is_published=appeal_project.is_published, is_public=appeal_project.is_public
    )
    appeal_project.save(update_fields=["priorities", "is_published", "is_public"])
    return appeal_project


@transaction.atomic
def set_requirements(
    appeal_project: AppealProject, *, amounts: Mapping[int, object], by
) -> list[Requirement]:
    """Set an appeal project's yearly requirements in US dollars: ``amounts`` maps each year of the cycle to
    its requirement (a year left out, or given as None, has none). Refused whole on any bad year or amount."""
    if not rules.can_change_appeal_project(by, appeal_project):
        raise PermissionDenied
    cycle = _locked_open_cycle(appeal_project.cycle)
    wanted: dict[int, Decimal] = {}
    for year, value in amounts.items():
        if year not in cycle.years:
            raise ValidationError(
                _("%(year)s is not a year of the %(name)s appeal.") % {"year": year, "name": cycle.name}
            )
        if value is None or value == "":
            continue
        amount = _money(value, label=_("The requirement for %(year)s") % {"year": year})
        if amount <= 0:
            raise ValidationError(_("The requirement for %(year)s must be more than zero.") % {"year": year})
        wanted[year] = amount
    appeal_project.requirements.exclude(year__in=wanted).delete()
    for year, amount in wanted.items():
        Requirement.objects.update_or_create(
            appeal_project=appeal_project, year=year, defaults={"amount_usd": amount}
        )
    return list(appeal_project.requirements.order_by("year"))


# --- The ledger ---------------------------------------------------------------------------------------------


def _earmark_filter(flow: Flow) -> Q:
    return Q(
        earmark=flow.earmark,
        appeal_project_id=flow.appeal_project_id,
        pillar_id=flow.pillar_id,
        priority=flow.priority,
    )


def _net_usd(cycle: AppealCycle, donor_id: int, earmark: Q, stage: str) -> Decimal:
    found = Flow.objects.filter(earmark, cycle=cycle, donor_id=donor_id, stage=stage).aggregate(
        total=Sum("amount_usd")
    )
    return found["total"] or Decimal(0)


@transaction.atomic
def record_flow(
    *,
    cycle: AppealCycle,
    donor: Organization,
    stage: str,
    date: Date,
    amount,
    currency: str,
    usd_rate=None,
    earmark: str = Earmark.UNEARMARKED,
    appeal_project: AppealProject | None = None,
    pillar: Pillar | None = None,
    priority: str = "",
    reason: str = "",
    by,
) -> Flow:
    """Record a new entry of the ledger (the Secretariat): a pledge, commitment or paid contribution of a
    donor in an open cycle, in its currency at the rate to US dollars used (1 for dollars), earmarked to one
    appeal project of the cycle, a pillar, a priority, or unearmarked.

    A payment that brings what the donor paid for this earmark above what it committed is refused unless a
    reason is given (a payment without a recorded commitment, a currency gain...); the reason is kept."""
    if not rules.can_record_flow(by):
        raise PermissionDenied
    cycle = _locked_open_cycle(cycle)
    if stage not in Stage.values:
        raise ValidationError(_("Not a stage of a flow: %(stage)s.") % {"stage": stage})
    if not isinstance(date, Date):
        raise ValidationError(_("Give the date of the flow."))
    amount = _money(amount, label=_("The amount"))
    if amount <= 0:
        raise ValidationError(
            _("The amount must be more than zero; to reverse or reduce an entry, correct it.")
        )
    currency = (currency or "").strip().upper()
    if currency not in CURRENCY_CODES:
        raise ValidationError(_("Unknown currency: %(code)s.") % {"code": currency or "—"})
    rate = _rate(currency, usd_rate)
    flow = Flow(
        cycle=cycle, donor=donor, stage=stage, date=date, amount=amount, currency=currency, usd_rate=rate,
        amount_usd=to_usd(amount, rate), earmark=earmark, reason=(reason or "").strip(), recorded_by=by,
    )  # fmt: skip
    _set_earmark(flow, cycle, appeal_project=appeal_project, pillar=pillar, priority=priority)
    if stage == Stage.PAID and not flow.reason:
        earmarked = _earmark_filter(flow)
        committed = _net_usd(cycle, donor.pk, earmarked, Stage.COMMITMENT)
        paid = _net_usd(cycle, donor.pk, earmarked, Stage.PAID)
        if paid + flow.amount_usd > committed:
            raise ValidationError(
                _(
                    "This payment brings what %(donor)s paid for this earmark to US$ %(paid)s, above the US$ "
                    "%(committed)s it committed. Record the commitment first, or give the reason."
                )
                % {"donor": donor, "paid": f"{paid + flow.amount_usd:,.2f}", "committed": f"{committed:,.2f}"}
            )
    return _insert(flow)


def _rate(currency: str, usd_rate) -> Decimal:
    given = usd_rate not in (None, "")
    if given and isinstance(usd_rate, float):
        raise ValidationError(_("The rate must be given as a decimal, not a floating-point number."))
    try:
        rate = Decimal(str(usd_rate).strip()) if given else None
    except (InvalidOperation, ValueError):
        raise ValidationError(_("The rate is not a number.")) from None
    if currency == "USD":
        if rate is not None and rate != 1:
            raise ValidationError(_("An amount in US dollars has no other rate than 1."))
        return Decimal(1)
    if rate is None:
        raise ValidationError(
            _("Give the rate to US dollars used for the amount in %(code)s.") % {"code": currency}
        )
    if not rate.is_finite() or rate <= 0:
        raise ValidationError(_("The rate to US dollars must be more than zero."))
    if rate >= Decimal("1e10") or rate != rate.quantize(Decimal("1e-8")):
        raise ValidationError(_("The rate has at most ten digits before the point and eight after it."))
    return rate


def _set_earmark(flow: Flow, cycle: AppealCycle, *, appeal_project, pillar, priority) -> None:
    if flow.earmark == Earmark.PROJECT:
        if appeal_project is None or appeal_project.cycle_id != cycle.pk:
            raise ValidationError(_("Choose the appeal project of this cycle the flow is earmarked to."))
        flow.appeal_project = appeal_project
    elif flow.earmark == Earmark.PILLAR:
        if pillar is None:
            raise ValidationError(_("Choose the pillar the flow is earmarked to."))
        flow.pillar = pillar
    elif flow.earmark == Earmark.PRIORITY:
        if priority not in Priority.values:
            raise ValidationError(_("Choose the thematic priority the flow is earmarked to."))
        flow.priority = priority
    elif flow.earmark != Earmark.UNEARMARKED:
        raise ValidationError(_("Not a kind of earmarking: %(value)s.") % {"value": flow.earmark})


def _insert(flow: Flow) -> Flow:
    if abs(flow.amount_usd) >= MAX_AMOUNT:
        raise ValidationError(_("The amount in US dollars at this rate is too large."))
    try:
        with transaction.atomic():
            flow.save(force_insert=True)
    except IntegrityError as error:  # a check the services above should have made: say so, never a 500
        raise ValidationError(_("The ledger refused this entry: %(error)s") % {"error": error}) from error
    return flow


def remaining(entry: Flow) -> Decimal:
    """What is left of an entry in its currency: its amount and the corrections made to it."""
    corrections = entry.corrections.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return entry.amount + corrections


@transaction.atomic
def correct_flow(entry: Flow, *, amount, reason: str, date: Date | None = None, by) -> Flow:
    """Reverse all or part of an entry (a negative ``amount``) or adjust it upwards (a positive one), as a
    new entry in its currency, at its rate, with the same donor, stage and earmark, and a reason. A reversal
    may not take away more than what remains of the entry; a correction is never corrected itself (correct
    the entry)."""
    if not rules.can_record_flow(by):
        raise PermissionDenied
    cycle = _locked_open_cycle(entry.cycle)
    entry = Flow.objects.select_for_update().get(pk=entry.pk)
    if entry.corrects_id is not None:
        raise ValidationError(_("This entry is itself a correction: correct the entry it corrects."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."))
    amount = _money(amount, label=_("The correction"))
    if amount == 0:
        raise ValidationError(_("A correction of zero changes nothing."))
    left = remaining(entry)
    if amount < 0 and -amount > left:
        raise ValidationError(
            _("A correction may not reverse more than what remains of the entry: %(left)s %(code)s.")
            % {"left": f"{left:,.2f}", "code": entry.currency}
        )
    correction = Flow(
        cycle=cycle, donor_id=entry.donor_id, stage=entry.stage, date=date or timezone.localdate(),
        amount=amount, currency=entry.currency, usd_rate=entry.usd_rate,
        amount_usd=to_usd(amount, entry.usd_rate),
        earmark=entry.earmark, appeal_project_id=entry.appeal_project_id, pillar_id=entry.pillar_id,
        priority=entry.priority, corrects=entry, reason=reason, recorded_by=by,
    )  # fmt: skip
    return _insert(correction)
