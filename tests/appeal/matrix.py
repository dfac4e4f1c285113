"""The Appeal's URLs in the permission matrix (see tests/permission_matrix.py).

The world holds the 2021–2022 cycle, opened by the Secretariat, with a published appeal project of CTED
(wg_chair's organisation) and an unpublished one of UNODC (focal_a's): the unpublished one's page is 404 for
every role but UNODC's people and the Secretariat, and its title is absent from the others' coverage tables.
Only the Secretariat records flows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from appeal import services
from appeal.models import Earmark, Flow, Priority, Stage
from directory.access import Visibility
from projects.models import Project
from tests import permission_matrix as pm

UNPUBLISHED = "Unpublished appeal for border posts"
OTHERS = ("outsider", "focal_b", "wg_chair", "org_admin")
PLEDGE_NOTE = "Announced at the donor conference"
NOT_KENYA = ("outsider", "focal_a", "wg_chair", "org_admin")
PLEDGE_STATUS = "What became of its pledges"
MATRIX_AMOUNT = Decimal("4321.00")


def build(world) -> None:
    secretariat = world.users["secretariat"]
    cycle = services.open_cycle(name="2021–2022", first_year=2021, last_year=2022, by=secretariat)
    published, unpublished = (
        Project.objects.create(title=title, owner=pm.org(lead), visibility=visibility)
        for title, lead, visibility in (
            ("Appeal for victims' associations", "entity:CTED", Visibility.PLATFORM),
            (UNPUBLISHED, "entity:UNODC", Visibility.OWNER),
        )
    )
    services.add_appeal_project(
        cycle=cycle, project=published, priorities=[Priority.VICTIMS], by=world.users["wg_chair"],
        is_published=True,
    )  # fmt: skip
    private = services.add_appeal_project(
        cycle=cycle, project=unpublished, priorities=[Priority.BORDER_SECURITY], by=world.users["focal_a"]
    )
    services.set_requirements(private, amounts={2021: "250000"}, by=world.users["focal_a"])
    # Kenya (focal_b's) pledges: its people and the Secretariat see it, nobody else
    services.record_flow(
        cycle=cycle, donor=pm.org("state:KEN"), stage=Stage.PLEDGE, date=date(2021, 1, 15),
        amount=Decimal("7777.00"), currency="USD", earmark=Earmark.UNEARMARKED, reason=PLEDGE_NOTE,
        by=secretariat,
    )  # fmt: skip
    world.extra.update(appeal_cycle=cycle, unpublished_appeal=private)


ROWS = [
    pm.Row("appeal:cycles", pm.everyone(200)),
    pm.Row(
        "appeal:cycle",
        pm.everyone(200),
        kwargs=pm.pk_of("appeal_cycle"),
        hidden=dict.fromkeys(OTHERS, UNPUBLISHED),
    ),
    pm.Row(
        "appeal:project",
        pm.everyone(200, **dict.fromkeys(OTHERS, 404)),
        kwargs=pm.pk_of("unpublished_appeal"),
    ),
    pm.Row("appeal:new_flow", pm.secretariat_only(), kwargs=pm.pk_of("appeal_cycle")),
    pm.Row(
        "appeal:flows",
        pm.everyone(200),
        kwargs=pm.pk_of("appeal_cycle"),
        hidden=dict.fromkeys(NOT_KENYA, PLEDGE_NOTE),
    ),
    pm.Row(
        "appeal:flows_export",
        pm.everyone(200),
        kwargs=pm.pk_of("appeal_cycle"),
        hidden=dict.fromkeys(NOT_KENYA, PLEDGE_NOTE),
    ),
    pm.Row("appeal:coverage_export", pm.everyone(200), kwargs=pm.pk_of("appeal_cycle")),
    pm.Row("appeal:projects", pm.everyone(200), hidden=dict.fromkeys(OTHERS, UNPUBLISHED)),
    pm.Row("appeal:trends", pm.everyone(200)),
    pm.Row(
        "appeal:donor",
        pm.everyone(200),
        kwargs=lambda w: {"pk": pm.org("state:KEN").pk},
        hidden=dict.fromkeys(NOT_KENYA, PLEDGE_STATUS),
    ),
]

POST_ROWS = [
    pm.PostRow(
        "appeal:new_flow",
        pm.everyone(403, secretariat=pm.DONE),
        kwargs=pm.pk_of("appeal_cycle"),
        data=lambda w: {
            "donor": pm.org("state:KEN").pk,
            "stage": "pledge",
            "date": "2021-02-01",
            "amount": str(MATRIX_AMOUNT),
            "currency": "USD",
            "earmark": "unearmarked",
        },
        done=lambda w: Flow.objects.filter(amount=MATRIX_AMOUNT).exists(),
    ),
]
