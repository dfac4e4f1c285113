"""The notifications URLs in the permission matrix (see tests/permission_matrix.py).

Notifications belong to their recipient alone: focal_a has one (with a subject nobody else may see); its
"open" link is a 404 for everyone else, the Secretariat included, and the list never shows it to them.
"Mark all as read" is POST only (a GET is 405 once signed in).
"""

from __future__ import annotations

from notifications.models import Notification
from tests.permission_matrix import Row, everyone

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


ROWS = [
    Row("notifications:list", everyone(200), hidden=dict.fromkeys(OTHERS, PRIVATE_SUBJECT)),
    Row("notifications:mark_all_read", everyone(405)),
    Row("notifications:preferences", everyone(200)),
    Row(
        "notifications:open",
        everyone(404, focal_a=302),
        kwargs=lambda w: {"pk": w.extra["notification"].pk},
    ),
]
