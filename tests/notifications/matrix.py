"""The notifications URLs in the permission matrix (see tests/permission_matrix.py).

Notifications belong to their recipient alone: focal_a has one (with a subject nobody else may see); its
"open" link is a 404 for everyone else, the Secretariat included, and the list never shows it to them.
"Mark all as read" is POST only (a GET is 405 once signed in).

Writes are about one's own notifications and settings: every signed-in role marks its own notifications
read (each has one unread) and saves its own email frequencies.
"""

from __future__ import annotations

from notifications.forms import PreferencesForm
from notifications.models import Frequency, Notification, Preference
from notifications.selectors import preference_spaces, preferences_of
from tests import permission_matrix as pm

PRIVATE_SUBJECT = "Notification for focal A only"
OTHERS = ["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"]


def build(world) -> None:
    world.extra["notification"] = Notification.objects.create(
        recipient=world.users["focal_a"],
        working_group=world.working_group,
        subject=PRIVATE_SUBJECT,
        body="x",
        url="/notifications/",
    )
    for role in OTHERS:
        Notification.objects.create(recipient=world.users[role], subject="Unread", url="/notifications/")


ROWS = [
    pm.Row("notifications:list", pm.everyone(200), hidden=dict.fromkeys(OTHERS, PRIVATE_SUBJECT)),
    pm.Row("notifications:mark_all_read", pm.everyone(405)),
    pm.Row("notifications:preferences", pm.everyone(200)),
    pm.Row(
        "notifications:open",
        pm.everyone(404, focal_a=302),
        kwargs=lambda w: {"pk": w.extra["notification"].pk},
    ),
]


def _preferences_body(world) -> dict:
    """The actor's settings form as shown to them (one field per space they take part in), weekly outside."""
    if world.actor is None:
        return {}
    form = PreferencesForm(spaces=preference_spaces(world.actor), current=preferences_of(world.actor))
    return pm.form_body(form, outside=Frequency.WEEKLY)


POST_ROWS = [
    pm.PostRow(
        "notifications:mark_all_read",
        pm.everyone(pm.DONE),
        done=lambda w: (
            Notification.objects.filter(recipient=w.actor).exists()
            and not Notification.objects.filter(recipient=w.actor, read_at__isnull=True).exists()
        ),
    ),
    pm.PostRow(
        "notifications:preferences",
        pm.everyone(pm.DONE),
        data=_preferences_body,
        done=lambda w: Preference.objects.filter(
            user=w.actor, working_group=None, frequency=Frequency.WEEKLY
        ).exists(),
    ),
]
