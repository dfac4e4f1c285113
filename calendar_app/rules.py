"""Who may do what in the calendar. Reading is the audience rule (``Event.objects.visible_to``), for pages,
feeds, the .ics download and reminders alike; an edited occurrence carries its series' audience.

- An event (a series with its occurrences) is changed, cancelled and its attendees listed by its owner
  organisation's people and anyone with a "change" grant; shared by its owner organisation only.
- Anyone who may read an event answers it (RSVP).
- Feeds are their owner's alone (``calendar_app.selectors.feeds_of``).
"""

from __future__ import annotations

from calendar_app.models import Event
from directory.rules import can_change_content, can_share_content, can_view_content, register_content_rules


def can_change_event(user, event: Event) -> bool:
    return can_change_content(user, event)


def can_share_event(user, event: Event) -> bool:
    return can_share_content(user, event)


def can_answer_event(user, event: Event) -> bool:
    return can_view_content(user, event)


register_content_rules(Event, change=can_change_event, share=can_share_event)
