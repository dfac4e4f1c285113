"""Who may do what in discussions. Reading is the audience rule of the thread (``Thread.objects.visible_to``);
a reply is read with its thread.

- A thread is edited by its author (while it takes edits: not locked, unless they moderate it), shared
  by its owner organisation's people.
- A reply is edited by its author, on the same terms.
- Anyone who may read a thread replies to it while it is neither locked nor hidden.
- A Working Group's threads are moderated (hidden, locked) by those who run its space
  (``directory.rules.can_manage_space``); a thread outside the groups by its owner organisation's people.
"""

from __future__ import annotations

from directory.access import viewer
from directory.rules import can_change_content, can_manage_space, can_share_content, register_content_rules
from discussions.models import Reply, Thread


def can_moderate_thread(user, thread: Thread) -> bool:
    if thread.working_group_id:
        return can_manage_space(user, thread.working_group_id)
    who = viewer(user)
    return who is not None and thread.owner_id in who.organization_ids


def _takes_edits(user, thread: Thread) -> bool:
    return not thread.is_locked or can_moderate_thread(user, thread)


def can_edit_thread(user, thread: Thread) -> bool:
    return (
        user.is_authenticated
        and thread.author_id == user.pk
        and can_change_content(user, thread)
        and _takes_edits(user, thread)
    )


def can_edit_reply(user, reply: Reply) -> bool:
    return user.is_authenticated and reply.author_id == user.pk and _takes_edits(user, reply.thread)


def can_reply_to_thread(user, thread: Thread) -> bool:
    """The caller read the thread through ``visible_to``."""
    return not thread.is_locked and not thread.is_hidden and viewer(user) is not None


def can_share_thread(user, thread: Thread) -> bool:
    return can_share_content(user, thread)


register_content_rules(Thread, change=can_edit_thread, share=can_share_thread)
