"""Time zones as people read them: "America/New York (UTC−05:00)", never the database's identifier."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils import timezone

register = template.Library()


def zone_label(name: str, *, at: datetime | None = None) -> str:
    """The zone's name with its current offset from UTC (daylight saving included)."""
    try:
        zone = ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return name
    offset = (at or timezone.now()).astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{name.replace('_', ' ')} (UTC{sign}{hours:02d}:{rest:02d})"


def zone_title(name: str) -> str:
    """The zone's name as people write it: "America/New York"."""
    return str(name).replace("_", " ")


@register.filter(name="zone_label")
def zone_label_filter(name: str) -> str:
    return zone_label(str(name))


@register.filter(name="zone_title")
def zone_title_filter(name: str) -> str:
    return zone_title(name)
