"""Choosing how an event repeats in plain words — every week on Tuesday and Thursday, the second Tuesday of
every month, until a date or a number of times — instead of typing an iCalendar rule.

``RepeatFieldsMixin`` adds the picker's fields to the event form, writes the rule from them (the rule is
then checked and bounded by ``recurrence.normalise``, which also refuses a start that is not one of the
repetitions) and reads a stored rule back into them. A rule the picker cannot say (one imported from
another calendar) stays as it is, under "Custom rule".
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from calendar_app.recurrence import MAX_OCCURRENCES, parts, zone
from calendar_app.recurrence import UNTIL as UNTIL_PART
from core.forms import BoundedDateField

DAILY, WEEKLY, MONTHLY_DAY, MONTHLY_WEEKDAY, YEARLY, CUSTOM = (
    "daily",
    "weekly",
    "monthly_day",
    "monthly_weekday",
    "yearly",
    "custom",
)
REPEATS = [
    ("", _("Does not repeat")),
    (DAILY, _("Every day")),
    (WEEKLY, _("Every week, on chosen days")),
    (MONTHLY_DAY, _("Every month, on the start's day of the month")),
    (MONTHLY_WEEKDAY, _("Every month, on a weekday (e.g. the second Tuesday)")),
    (YEARLY, _("Every year")),
    (CUSTOM, _("Custom rule (iCalendar)")),
]
FREQUENCIES = {
    DAILY: "DAILY",
    WEEKLY: "WEEKLY",
    MONTHLY_DAY: "MONTHLY",
    MONTHLY_WEEKDAY: "MONTHLY",
    YEARLY: "YEARLY",
}
WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
WEEKDAY_CODES = [code for code, _label in WEEKDAYS]
POSITIONS = [("1", _("first")), ("2", _("second")), ("3", _("third")), ("4", _("fourth")), ("-1", _("last"))]
NEVER, COUNT, UNTIL = "never", "count", "until"
ENDS = [
    (NEVER, _("It goes on (shown for two years)")),
    (COUNT, _("After a number of times")),
    (UNTIL, _("On a date")),
]
REPEAT_FIELDS = (
    "repeat",
    "repeat_every",
    "repeat_days",
    "repeat_position",
    "repeat_weekday",
    "repeat_ends",
    "repeat_count",
    "repeat_until",
    "rrule",
)


def stored_until(event) -> date | None:
    """The last day of a stored rule's UNTIL (kept in UTC), as the organiser reads it in their zone."""
    found = UNTIL_PART.search(event.rrule or "")
    if found is None:
        return None
    try:
        moment = datetime.strptime(found.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.astimezone(zone("UTC" if event.all_day else event.time_zone)).date()


def read(rule: str, *, until: date | None) -> dict:
    """The picker's values of a stored rule (UNTIL already read as a date in the organiser's zone); a rule the
    picker cannot say is ``{"repeat": CUSTOM, "rrule": rule}``."""
    try:
        values = parts(rule)
    except forms.ValidationError:
        values = {}
    frequency = values.pop("FREQ", "")
    byday = values.pop("BYDAY", "")
    common = {"repeat_every": values.pop("INTERVAL", "1")}
    if "COUNT" in values:
        common.update(repeat_ends=COUNT, repeat_count=values.pop("COUNT"))
    elif "UNTIL" in values:
        values.pop("UNTIL")
        common.update(repeat_ends=UNTIL, repeat_until=until)
    days = byday.split(",") if byday else []
    if values:  # parts the picker does not say (BYMONTHDAY, BYSETPOS...): kept as a custom rule
        return {"repeat": CUSTOM, "rrule": rule}
    if frequency == "WEEKLY" and days and all(day in WEEKDAY_CODES for day in days):
        return {"repeat": WEEKLY, "repeat_days": days, **common}
    if frequency == "MONTHLY" and len(days) == 1 and days[0][-2:] in WEEKDAY_CODES and days[0][:-2]:
        return {
            "repeat": MONTHLY_WEEKDAY,
            "repeat_position": days[0][:-2],
            "repeat_weekday": days[0][-2:],
            **common,
        }
    if not days and frequency in ("DAILY", "MONTHLY", "YEARLY"):
        return {"repeat": {"DAILY": DAILY, "MONTHLY": MONTHLY_DAY, "YEARLY": YEARLY}[frequency], **common}
    return {"repeat": CUSTOM, "rrule": rule}


def in_words(rule: str, *, until: date | None) -> str:
    """How an event repeats, as a person says it ("every 2 weeks on Tuesday, Thursday, until 3 March 2027"),
    for its page: the rule itself only when the picker cannot say it (a rule imported from elsewhere)."""
    picked = read(rule, until=until)
    if picked["repeat"] == CUSTOM:
        return rule
    every = (
        int(picked["repeat_every"])
        if picked["repeat_every"].isascii() and picked["repeat_every"].isdigit()
        else 1
    )
    weekday = dict(WEEKDAYS)
    if picked["repeat"] == WEEKLY:
        names = ", ".join(str(weekday[day]) for day in picked["repeat_days"])
        words = ngettext("every week on %(days)s", "every %(n)d weeks on %(days)s", every) % {
            "n": every,
            "days": names,
        }
    elif picked["repeat"] == MONTHLY_WEEKDAY:
        words = ngettext(
            "every month on the %(position)s %(weekday)s",
            "every %(n)d months on the %(position)s %(weekday)s",
            every,
        ) % {
            "n": every,
            "position": dict(POSITIONS).get(picked["repeat_position"], picked["repeat_position"]),
            "weekday": weekday[picked["repeat_weekday"]],
        }
    elif picked["repeat"] == MONTHLY_DAY:
        words = ngettext("every month", "every %(n)d months", every) % {"n": every}
    elif picked["repeat"] == YEARLY:
        words = ngettext("every year", "every %(n)d years", every) % {"n": every}
    else:
        words = ngettext("every day", "every %(n)d days", every) % {"n": every}
    if picked.get("repeat_ends") == COUNT:
        count = (
            int(picked["repeat_count"])
            if picked["repeat_count"].isascii() and picked["repeat_count"].isdigit()
            else 0
        )
        words = ngettext("%(rule)s, %(count)d time", "%(rule)s, %(count)d times", count) % {
            "rule": words,
            "count": count,
        }
    elif picked.get("repeat_ends") == UNTIL and until is not None:
        words = gettext("%(rule)s, until %(date)s") % {
            "rule": words,
            "date": date_format(until, "DATE_FORMAT"),
        }
    return words


class RepeatFieldsMixin:
    """The picker's fields on a ModelForm whose model has ``rrule`` (the stored rule)."""

    def repeat_fields(self) -> None:
        self.fields["repeat"] = forms.ChoiceField(label=_("How often"), choices=REPEATS, required=False)
        self.fields["repeat_every"] = forms.IntegerField(
            label=_("Every how many days, weeks, months or years"),
            min_value=1,
            max_value=99,
            required=False,
            initial=1,
            help_text=_("1: every time; 2: every other one; and so on."),
        )
        self.fields["repeat_days"] = forms.MultipleChoiceField(
            label=_("On"), choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple
        )
        self.fields["repeat_position"] = forms.ChoiceField(
            label=_("On the"), choices=POSITIONS, required=False
        )
        self.fields["repeat_weekday"] = forms.ChoiceField(
            label=_("Weekday"), choices=WEEKDAYS, required=False
        )
        self.fields["repeat_ends"] = forms.ChoiceField(
            label=_("Ends"), choices=ENDS, required=False, initial=NEVER, widget=forms.RadioSelect
        )
        self.fields["repeat_count"] = forms.IntegerField(
            label=_("Number of times"), min_value=1, max_value=MAX_OCCURRENCES, required=False
        )
        self.fields["repeat_until"] = BoundedDateField(
            label=_("Last day"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        rule = self.fields["rrule"]
        rule.label = _("Custom rule (iCalendar)")
        rule.help_text = _(
            "For a repetition the choices above cannot say, an iCalendar RRULE, e.g. "
            "FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=10. Without UNTIL or COUNT it stops after two years."
        )

    def initial_repeat(self, rule: str, *, until: date | None) -> None:
        """The picker's fields from a stored rule (UNTIL already read as a date in the organiser's zone)."""
        if rule:
            self.initial.update(read(rule, until=until))

    def picked_rule(self, cleaned: dict) -> str:
        """The rule the picker's fields say (before ``normalise``); errors go to the fields concerned."""
        repeat = cleaned.get("repeat") or ""
        custom = (cleaned.get("rrule") or "").strip()
        if repeat == CUSTOM or (not repeat and custom and not self.is_bound_by_picker()):
            if not custom:
                self.add_error("rrule", _("Write the rule, or choose a repetition above."))
            return custom
        if not repeat:
            return ""
        rule = [f"FREQ={FREQUENCIES[repeat]}"]
        every = cleaned.get("repeat_every") or 1
        if every > 1:
            rule.append(f"INTERVAL={every}")
        if repeat == WEEKLY:
            days = cleaned.get("repeat_days") or []
            if not days:
                self.add_error("repeat_days", _("Tick the days of the week it takes place on."))
            rule.append("BYDAY=" + ",".join(code for code in WEEKDAY_CODES if code in days))
        if repeat == MONTHLY_WEEKDAY:
            position, weekday = cleaned.get("repeat_position"), cleaned.get("repeat_weekday")
            if not position or not weekday:
                self.add_error(
                    "repeat_position", _("Choose which weekday of the month, e.g. the second Tuesday.")
                )
            else:
                rule.append(f"BYDAY={position}{weekday}")
        ends = cleaned.get("repeat_ends") or NEVER
        if ends == COUNT:
            if cleaned.get("repeat_count") is None:
                self.add_error("repeat_count", _("Say how many times it takes place."))
            else:
                rule.append(f"COUNT={cleaned['repeat_count']}")
        elif ends == UNTIL:
            if cleaned.get("repeat_until") is None:
                self.add_error("repeat_until", _("Give the last day it may take place."))
            else:
                rule.append(f"UNTIL={cleaned['repeat_until']:%Y%m%d}")
        return ";".join(rule)

    def is_bound_by_picker(self) -> bool:
        """Whether the posted form carried the picker (a page) or only a rule (a client posting one)."""
        return self.add_prefix("repeat") in self.data
