"""Recurrence rules (RFC 5545 RRULE) and time zones: validation, bounding and expansion.

A rule is expanded in the organiser's time zone (wall-clock time kept across daylight saving), from the
event's local start. Every stored rule is bounded: a rule without UNTIL or COUNT is given an UNTIL at the
last occurrence within ``MAX_SPAN`` and ``MAX_OCCURRENCES``; a bounded rule with more occurrences than
that is refused. Views, feeds and reminders therefore always agree on the same finite set.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 500
MAX_SPAN = timedelta(days=2 * 365)
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
ALLOWED_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "UNTIL", "COUNT", "WKST"}
UNTIL = re.compile(r"UNTIL=([0-9TZ]+)", re.IGNORECASE)


def zone(name: str | None) -> ZoneInfo:
    """The zone named, or UTC for an empty or unknown name (a stored name is validated on entry)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_time_zone(name: str) -> bool:
    if not name or name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES  # noqa: PLW0603 -- read once per process
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(_zone_names()) if "/" in name or name == "UTC"]


def parts(rule: str) -> dict[str, str]:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    result = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValidationError(_("Write the rule as NAME=value pairs separated by semicolons."))
        result[key.strip().upper()] = value.strip().upper()
    return result


def _utc_until(value: str, tz: ZoneInfo) -> str:
    """UNTIL as RFC 5545 wants it with a zoned DTSTART: a UTC date-time. A date means its last second in
    the organiser's zone; a floating date-time is read in that zone."""
    try:
        if len(value) == 8:
            local = datetime.combine(datetime.strptime(value, "%Y%m%d").date(), time(23, 59, 59), tz)
        elif value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").strftime("%Y%m%dT%H%M%SZ")
        else:
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=tz)
    except ValueError:
        raise ValidationError(_("UNTIL must be a date such as 20271231.")) from None
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _positive_whole(value: str) -> bool:
    # isdecimal, not isdigit: "²" is a digit that int() refuses; every decimal string is a number to it.
    return value.isdecimal() and int(value) > 0


def normalise(rule: str, *, start: datetime, time_zone: str) -> str:
    """The rule as stored: validated, UNTIL in UTC, bounded. Raises ValidationError with a plain message."""
    if not rule.strip():
        return ""
    tz = zone(time_zone)
    values = parts(rule)
    unknown = set(values) - ALLOWED_PARTS
    if unknown:
        raise ValidationError(
            _("Unsupported part of the rule: %(parts)s.") % {"parts": ", ".join(sorted(unknown))}
        )
    if values.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(_("The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if "UNTIL" in values and "COUNT" in values:
        raise ValidationError(_("Give UNTIL or COUNT, not both."))
    if "UNTIL" in values:
        values["UNTIL"] = _utc_until(values["UNTIL"], tz)
    for name in ("COUNT", "INTERVAL"):
        # INTERVAL=0 would give the start again and again, never the next occurrence.
        if name in values and not _positive_whole(values[name]):
            raise ValidationError(_("%(name)s must be a positive whole number.") % {"name": name})
    order = ["FREQ", *sorted(set(values) - {"FREQ"})]
    text = ";".join(f"{key}={values[key]}" for key in order)
    local_start = start.astimezone(tz)
    try:
        parsed = rrulestr(text, dtstart=local_start)
        first = list(islice(parsed, MAX_OCCURRENCES + 1))
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise ValidationError(
            _("This is not a valid repetition rule (%(error)s).") % {"error": error}
        ) from None
    if not first:
        raise ValidationError(_("The rule gives no occurrence after the start."))
    if first[0] != local_start:
        # A start outside the rule is shown by some calendar programs and not by others: a meeting that
        # does not exist for half the readers. The first date the rule does give is the way out.
        raise ValidationError(
            _(
                "The start, %(start)s, is not one of the repetitions: the first would be %(first)s. Start on "
                "that day, or choose another repetition."
            )
            % {"start": _day(local_start), "first": _day(first[0])}
        )
    if "UNTIL" in values or "COUNT" in values:
        if len(first) > MAX_OCCURRENCES:
            raise ValidationError(
                _("The rule gives more than %(max)d occurrences: end it earlier.") % {"max": MAX_OCCURRENCES}
            )
        return text
    # Unbounded: capped at the last occurrence within the span and the count.
    within = [moment for moment in first[:MAX_OCCURRENCES] if moment - local_start <= MAX_SPAN]
    until = within[-1].astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{text};UNTIL={until}"


def _day(moment: datetime) -> str:
    return f"{date_format(moment, 'l')} {date_format(moment, 'DATE_FORMAT')}"


def first_occurrence(rule: str, *, start: datetime, time_zone: str) -> datetime:
    """The first moment on or after ``start`` (same time of day) that ``rule`` gives: where an event
    repeating by that rule should start."""
    local_start = start.astimezone(zone(time_zone))
    found = next(iter(rrulestr(rule, dtstart=local_start)), None)
    return found.astimezone(UTC) if found is not None else start


def expand(*, rule: str, start: datetime, time_zone: str) -> list[datetime]:
    """The UTC starts of every occurrence of a stored (bounded) rule, the first one included."""
    if not rule:
        return [start]
    tz = zone(time_zone)
    local_start = start.astimezone(tz)
    try:
        parsed = rrulestr(rule, dtstart=local_start)
        moments = list(islice(parsed, MAX_OCCURRENCES))
    except (ValueError, TypeError, KeyError, OverflowError):
        return [start]
    # Each moment once: a rule stored before INTERVAL=0 was refused repeats its start.
    return list(dict.fromkeys(moment.astimezone(UTC) for moment in moments))


def local_to_utc(value: datetime | date, time_zone: str) -> datetime:
    """A wall-clock time (naive, as a form gives it) in the zone, as UTC."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value.replace(tzinfo=zone(time_zone)).astimezone(UTC)


def occurrence_key(moment: datetime) -> str:
    """An occurrence's original start in URLs: 20261128T100000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_occurrence_key(key: str) -> datetime | None:
    try:
        return datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
