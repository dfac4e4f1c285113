"""The discussions URLs in the permission matrix (see tests/permission_matrix.py).

The world holds:
- an owner-only thread of UNODC (focal_a's organisation) with a reply by focal_a: 404 for every other role,
  the Secretariat included, and its title absent from their lists;
- a members-only thread of WG 2 started by the chair (CTED): read by WG 2's member organisations (UNODC is a
  vice-chair, UNDP and UNOCT members), 404 for the outsider and Kenya; only its author edits it (403 for
  the other readers), only CTED's people share it.
Moderation, lock and reply writes are POST-only views: a GET is answered 405 once signed in.
"""

from __future__ import annotations

from directory.access import Visibility
from directory.models import Organization, WorkingGroup
from discussions.models import Reply, Thread
from tests.permission_matrix import Row, everyone

PRIVATE_TITLE = "Owner-only thread of UNODC"
NOT_OWNER = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], 404)
WG_READERS_ONLY = {"outsider": 404, "focal_b": 404}


def build(world) -> None:
    def org(key: str) -> Organization:
        return Organization.objects.get(reference_key=key)

    private = Thread.objects.create(
        title=PRIVATE_TITLE,
        body="Internal coordination.",
        owner=org("entity:UNODC"),
        author=world.users["focal_a"],
        visibility=Visibility.OWNER,
    )
    Reply.objects.create(thread=private, author=world.users["focal_a"], body="A reply.")
    members_only = Thread.objects.create(
        title="WG 2 members-only thread",
        body="For the members.",
        owner=org("entity:CTED"),
        author=world.users["wg_chair"],
        visibility=Visibility.WORKING_GROUP_MEMBERS,
        working_group=WorkingGroup.objects.get(number=2),
    )
    reply = Reply.objects.create(thread=members_only, author=world.users["org_admin"], body="UNDP's answer.")
    world.extra["private_thread"] = private
    world.extra["wg_thread"] = members_only
    world.extra["wg_reply"] = reply


def _private(world) -> dict:
    return {"pk": world.extra["private_thread"].pk}


def _wg(world) -> dict:
    return {"pk": world.extra["wg_thread"].pk}


ROWS = [
    Row(
        "discussions:list",
        everyone(200),
        hidden=dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], PRIVATE_TITLE),
    ),
    Row("discussions:new", everyone(200)),
    Row("discussions:detail", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("discussions:history", everyone(200, **NOT_OWNER), kwargs=_private),
    # only the author edits a thread; readers who are not its author get 403, others 404
    Row("discussions:edit", everyone(403, wg_chair=200, **WG_READERS_ONLY), kwargs=_wg),
    # sharing is the owner organisation's (CTED)
    Row("discussions:share", everyone(403, wg_chair=200, **WG_READERS_ONLY), kwargs=_wg),
    Row(
        "discussions:reply_edit",
        everyone(403, org_admin=200, **WG_READERS_ONLY),
        kwargs=lambda w: {"pk": w.extra["wg_reply"].pk},
    ),
    # POST-only writes: a GET is refused before the object is looked at
    Row("discussions:reply", everyone(405), kwargs=_wg),
    Row("discussions:hide", everyone(405), kwargs=_wg),
    Row("discussions:unhide", everyone(405), kwargs=_wg),
    Row("discussions:lock", everyone(405), kwargs=_wg),
    Row("discussions:unlock", everyone(405), kwargs=_wg),
    Row("discussions:reply_hide", everyone(405), kwargs=lambda w: {"pk": w.extra["wg_reply"].pk}),
    Row("discussions:reply_unhide", everyone(405), kwargs=lambda w: {"pk": w.extra["wg_reply"].pk}),
]
