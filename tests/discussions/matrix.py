"""The discussions URLs in the permission matrix (see tests/permission_matrix.py).

The world holds:
- an owner-only thread of UNODC (focal_a's organisation) with a reply by focal_a: 404 for every other role,
  the Secretariat included, and its title absent from their lists;
- a members-only thread of WG 2 started by the chair (CTED): read by WG 2's member organisations (UNODC is a
  vice-chair, UNDP and UNOCT members), 404 for the outsider and Kenya; only its author edits it (403 for
  the other readers), only CTED's people share it.
Moderation, lock and reply writes are POST-only views: a GET is answered 405 once signed in.

The POST rows write in WG 2's members-only threads: its readers reply, the author edits, CTED shares, and
those who run WG 2's space (UNODC and CTED, which lead it, and the Secretariat) moderate — UNDP, a plain
member, gets a 403. Each moderation row has a thread or reply of its own, in the state it changes.

The API reads the same audience (401 without credentials); its writes are those of the pages: a thread
started in UNODC's name (a 400 for whoever may not choose that owner), a reply by WG 2's readers, PATCH
and PUT by the author only (each its own thread); no DELETE, as the pages delete no thread (test_api.py).
"""

from __future__ import annotations

from django.utils import timezone

from directory.access import Visibility
from discussions.forms import ReplyForm, ThreadForm
from discussions.models import Reply, Thread
from tests import permission_matrix as pm

PRIVATE_TITLE = "Owner-only thread of UNODC"
NOT_OWNER = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], 404)
WG_READERS_ONLY = {"outsider": 404, "focal_b": 404}
NEW_TITLE = "Thread started through the permission matrix"
REPLY_TEXT = "A reply posted through the permission matrix."
API_TITLE = "Thread started through the API by the permission matrix"
API_REPLY_TEXT = "A reply posted through the API by the permission matrix."


def _wg_thread(world, title: str, **fields) -> Thread:
    return Thread.objects.create(
        title=title, body="For the members.", owner=pm.org("entity:CTED"), author=world.users["wg_chair"],
        visibility=Visibility.WORKING_GROUP_MEMBERS, working_group=world.working_group, **fields,
    )  # fmt: skip


def build(world) -> None:
    private = Thread.objects.create(
        title=PRIVATE_TITLE,
        body="Internal coordination.",
        owner=pm.org("entity:UNODC"),
        author=world.users["focal_a"],
        visibility=Visibility.OWNER,
    )
    Reply.objects.create(thread=private, author=world.users["focal_a"], body="A reply.")
    members_only = _wg_thread(world, "WG 2 members-only thread")
    reply = Reply.objects.create(thread=members_only, author=world.users["org_admin"], body="UNDP's answer.")
    pm.shared_beforehand(members_only)
    world.extra["private_thread"] = private
    world.extra["wg_thread"] = members_only
    world.extra["wg_reply"] = reply
    # for the moderation rows: each in the state its row changes
    hidden = {"hidden_at": timezone.now(), "hidden_by": world.users["wg_chair"]}
    world.extra.update(
        thread_to_hide=_wg_thread(world, "Thread to hide"),
        thread_to_unhide=_wg_thread(world, "Thread to show again", **hidden),
        thread_to_lock=_wg_thread(world, "Thread to lock"),
        thread_to_unlock=_wg_thread(world, "Thread to unlock", is_locked=True),
    )
    # for the API's edits: a thread of its own per row (each row's change must not be done before it runs)
    world.extra.update(
        thread_to_patch=_wg_thread(world, "Thread to patch"), thread_to_put=_wg_thread(world, "Thread to put")
    )
    for name, fields in (("reply_to_hide", {}), ("reply_to_unhide", hidden)):
        world.extra[name] = Reply.objects.create(
            thread=members_only, author=world.users["org_admin"], body=name, **fields
        )


def _private(world) -> dict:
    return {"pk": world.extra["private_thread"].pk}


def _wg(world) -> dict:
    return {"pk": world.extra["wg_thread"].pk}


ROWS = [
    pm.Row(
        "discussions:list",
        pm.everyone(200),
        hidden=dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], PRIVATE_TITLE),
    ),
    pm.Row("discussions:new", pm.everyone(200)),
    pm.Row("discussions:detail", pm.everyone(200, **NOT_OWNER), kwargs=_private),
    pm.Row("discussions:history", pm.everyone(200, **NOT_OWNER), kwargs=_private),
    # only the author edits a thread; readers who are not its author get 403, others 404
    pm.Row("discussions:edit", pm.everyone(403, wg_chair=200, **WG_READERS_ONLY), kwargs=_wg),
    # sharing is the owner organisation's (CTED)
    pm.Row("discussions:share", pm.everyone(403, wg_chair=200, **WG_READERS_ONLY), kwargs=_wg),
    pm.Row(
        "discussions:reply_edit",
        pm.everyone(403, org_admin=200, **WG_READERS_ONLY),
        kwargs=lambda w: {"pk": w.extra["wg_reply"].pk},
    ),
    # POST-only writes: a GET is refused before the object is looked at
    pm.Row("discussions:reply", pm.everyone(405), kwargs=_wg),
    pm.Row("discussions:hide", pm.everyone(405), kwargs=_wg),
    pm.Row("discussions:unhide", pm.everyone(405), kwargs=_wg),
    pm.Row("discussions:lock", pm.everyone(405), kwargs=_wg),
    pm.Row("discussions:unlock", pm.everyone(405), kwargs=_wg),
    pm.Row("discussions:reply_hide", pm.everyone(405), kwargs=lambda w: {"pk": w.extra["wg_reply"].pk}),
    pm.Row("discussions:reply_unhide", pm.everyone(405), kwargs=lambda w: {"pk": w.extra["wg_reply"].pk}),
    # the API: the same audience, a 401 instead of the sign-in page
    pm.Row(
        "api:discussions-thread-list",
        pm.everyone(200, anonymous=401),
        hidden=dict.fromkeys(NOT_OWNER, PRIVATE_TITLE),
    ),
    pm.Row("api:discussions-thread-detail", pm.everyone(200, anonymous=401, **NOT_OWNER), kwargs=_private),
    pm.Row("api:discussions-thread-posts", pm.everyone(200, anonymous=401, **NOT_OWNER), kwargs=_private),
]

#: Those who run WG 2's space moderate its threads; UNDP reads them but does not moderate.
MODERATORS = pm.everyone(403, focal_a=pm.DONE, wg_chair=pm.DONE, secretariat=pm.DONE, **WG_READERS_ONLY)


def _moderation(name: str, thing: str, model, **state) -> pm.PostRow:
    """A moderation row: the thread or reply ``thing`` ends in ``state``."""
    return pm.PostRow(
        f"discussions:{name}",
        MODERATORS,
        kwargs=pm.pk_of(thing),
        done=lambda w: model.objects.filter(pk=w.extra[thing].pk, **state).exists(),
    )


#: Only the author (the chair, of CTED) edits a thread of WG 2; its other readers get a 403.
API_AUTHOR_ONLY = pm.everyone(403, anonymous=401, wg_chair=pm.DONE, **WG_READERS_ONLY)


def _api_edit(method: str, thing: str) -> pm.PostRow:
    """An API edit of the thread ``thing``: PATCH sends the title alone, PUT the whole form."""

    def data(world):
        if method == "patch":
            return {"title": pm.EDITED}
        instance = Thread.objects.get(pk=world.extra[thing].pk)
        return pm.form_body(ThreadForm(instance=instance, user=world.users["wg_chair"]), title=pm.EDITED)

    return pm.PostRow(
        "api:discussions-thread-detail",
        API_AUTHOR_ONLY,
        method=method,
        kwargs=pm.pk_of(thing),
        data=data,
        done=pm.edited(Thread, lambda w: w.extra[thing].pk),
    )


POST_ROWS = [
    # the API: as the pages, with 401 for a caller without credentials and 400 for a choice refused
    pm.PostRow(
        "api:discussions-thread-list",
        pm.everyone(400, anonymous=401, focal_a=pm.DONE),
        data=lambda w: {
            "title": API_TITLE,
            "body": "x",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Thread.objects.filter(title=API_TITLE).exists(),
    ),
    pm.PostRow(
        "api:discussions-thread-posts",
        pm.everyone(pm.DONE, anonymous=401, **WG_READERS_ONLY),
        kwargs=_wg,
        data=lambda w: {"body": API_REPLY_TEXT},
        done=lambda w: Reply.objects.filter(thread=w.extra["wg_thread"], body=API_REPLY_TEXT).exists(),
    ),
    _api_edit("patch", "thread_to_patch"),
    _api_edit("put", "thread_to_put"),
    # started in UNODC's name: only UNODC's people may choose it as the owner
    pm.PostRow(
        "discussions:new",
        pm.everyone(pm.REFUSED, focal_a=pm.DONE),
        data=lambda w: {
            "title": NEW_TITLE,
            "body": "x",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Thread.objects.filter(title=NEW_TITLE).exists(),
    ),
    pm.PostRow(
        "discussions:reply",
        pm.everyone(pm.DONE, **WG_READERS_ONLY),
        kwargs=_wg,
        data=lambda w: {"body": REPLY_TEXT},
        done=lambda w: Reply.objects.filter(thread=w.extra["wg_thread"], body=REPLY_TEXT).exists(),
    ),
    pm.PostRow(
        "discussions:edit",
        pm.everyone(403, wg_chair=pm.DONE, **WG_READERS_ONLY),
        kwargs=_wg,
        data=lambda w: pm.form_body(
            ThreadForm(instance=Thread.objects.get(pk=w.extra["wg_thread"].pk), user=w.users["wg_chair"]),
            title=pm.EDITED,
        ),
        done=pm.edited(Thread, lambda w: w.extra["wg_thread"].pk),
    ),
    *pm.share_rows(
        "discussions:share",
        pm.everyone(403, wg_chair=pm.DONE, **WG_READERS_ONLY),
        kwargs=_wg,
        get_object=lambda w: w.extra["wg_thread"],
    ),
    pm.PostRow(
        "discussions:reply_edit",
        pm.everyone(403, org_admin=pm.DONE, **WG_READERS_ONLY),
        kwargs=pm.pk_of("wg_reply"),
        data=lambda w: pm.form_body(
            ReplyForm(instance=Reply.objects.get(pk=w.extra["wg_reply"].pk), user=w.users["org_admin"]),
            body=pm.EDITED,
        ),
        done=pm.edited(Reply, lambda w: w.extra["wg_reply"].pk, "body"),
    ),
    _moderation("hide", "thread_to_hide", Thread, hidden_at__isnull=False),
    _moderation("unhide", "thread_to_unhide", Thread, hidden_at__isnull=True),
    _moderation("lock", "thread_to_lock", Thread, is_locked=True),
    _moderation("unlock", "thread_to_unlock", Thread, is_locked=False),
    _moderation("reply_hide", "reply_to_hide", Reply, hidden_at__isnull=False),
    _moderation("reply_unhide", "reply_to_unhide", Reply, hidden_at__isnull=True),
]
