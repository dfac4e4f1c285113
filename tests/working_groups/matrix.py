"""The working_groups URLs in the permission matrix (see tests/permission_matrix.py).

A Working Group's page is no secret on the platform (its content blocks come from each app's
``visible_to``); managing who takes part is for those who run the space: WG 2 is chaired by CTED
(wg_chair's organisation) with UNODC (focal_a's) a vice-chair, and the Secretariat administers
participation.

The members page multiplexes its writes on one URL with an ``action`` field: one POST row per action.
Nobody raises their own role: UNODC's people may not make UNODC chair, and no manager designates
themselves (both refused with a message).
"""

from __future__ import annotations

from guardian.shortcuts import assign_perm

from directory.models import Participation, WorkingGroup, WorkingGroupUserGrant
from directory.spaces import MANAGE_SPACE
from tests import permission_matrix as pm


def build(world) -> None:
    """The matrix's Working Group is WG 2 (``world.working_group``); the POST rows need a person to
    designate as a space manager and one already designated (both of UNDP, a member of WG 2)."""
    undp = pm.org("entity:UNDP")
    world.extra["helper"] = world.make_user("helper@undp.example.org", organization=undp)
    world.extra["designated"] = world.make_user("designated@undp.example.org", organization=undp)
    assign_perm(f"directory.{MANAGE_SPACE}", world.extra["designated"], world.working_group)


def _group(world) -> dict:
    return {"pk": world.working_group.pk}


ROWS = [
    pm.Row("working_groups:list", pm.everyone(200)),
    pm.Row("working_groups:home", pm.everyone(200), kwargs=_group),
    pm.Row(
        "working_groups:members", pm.everyone(403, focal_a=200, wg_chair=200, secretariat=200), kwargs=_group
    ),
]

#: Those who run WG 2's space.
MANAGERS = pm.everyone(403, focal_a=pm.DONE, wg_chair=pm.DONE, secretariat=pm.DONE)


def _takes_part(key: str, number: int = 2, **fields):
    return lambda w: Participation.objects.filter(
        working_group__number=number, organization__reference_key=key, **fields
    ).exists()


def _designated(person):
    """``person(world)`` holds the right to help manage WG 2."""
    return lambda w: WorkingGroupUserGrant.objects.filter(
        user=person(w), content_object=w.working_group, permission__codename=MANAGE_SPACE
    ).exists()


def _members_row(action: str, expect: dict, data, done, label: str = "", kwargs=_group) -> pm.PostRow:
    return pm.PostRow(
        "working_groups:members",
        expect,
        label=label or action,
        kwargs=kwargs,
        data=lambda w: {"action": action, **data(w)},
        done=done,
    )


def _participation_of(key: str):
    return lambda w: (
        Participation.objects.get(working_group=w.working_group, organization__reference_key=key).pk
    )


POST_ROWS = [
    _members_row(
        "add",
        MANAGERS,
        lambda w: {"add-organization": pm.org("entity:UNESCO").pk, "add-role": "member"},
        _takes_part("entity:UNESCO"),
    ),
    # WG 3 is run by other organisations (CTED, UNODC, UNDP and UNOCT are plain members): running WG 2's
    # space gives no right in another's; the Secretariat administers every group's participation
    _members_row(
        "add",
        pm.everyone(403, secretariat=pm.DONE),
        lambda w: {"add-organization": pm.org("entity:UN-WOMEN").pk, "add-role": "member"},
        _takes_part("entity:UN-WOMEN", number=3),
        label="add to a group one does not run",
        kwargs=lambda w: {"pk": WorkingGroup.objects.get(number=3).pk},
    ),
    _members_row(
        "guest",
        MANAGERS,
        lambda w: {
            "guest-organization": pm.org("state:FRA").pk,
            "guest-topic": "Border data",
            "guest-until": "",
        },
        _takes_part("state:FRA", role="guest"),
    ),
    # UNODC, a vice-chair, made chair: by CTED's chair or the Secretariat, never by UNODC's own people
    _members_row(
        "role",
        pm.everyone(403, focal_a=pm.REFUSED, wg_chair=pm.DONE, secretariat=pm.DONE),
        lambda w: {"participation": _participation_of("entity:UNODC")(w), "role": "chair"},
        _takes_part("entity:UNODC", role="chair"),
    ),
    _members_row(
        "remove",
        MANAGERS,
        lambda w: {"participation": _participation_of("entity:WHO")(w)},
        lambda w: not _takes_part("entity:WHO")(w),
    ),
    _members_row(
        "manager",
        MANAGERS,
        lambda w: {"manager-email": w.extra["helper"].email},
        _designated(lambda w: w.extra["helper"]),
    ),
    _members_row(
        "manager",
        pm.everyone(403, focal_a=pm.REFUSED, wg_chair=pm.REFUSED, secretariat=pm.REFUSED),
        lambda w: {"manager-email": w.actor.email if w.actor else ""},
        _designated(lambda w: w.actor),
        label="designate oneself",
    ),
    _members_row(
        "unmanager",
        MANAGERS,
        lambda w: {"manager-email": w.extra["designated"].email},
        lambda w: not _designated(lambda w: w.extra["designated"])(w),
    ),
]
