"""The Appeal's URLs in the permission matrix (see tests/permission_matrix.py).

The world holds the 2021–2022 cycle, opened by the Secretariat, with a published appeal project of CTED
(wg_chair's organisation) and an unpublished one of UNODC (focal_a's): the unpublished one's page is 404 for
every role but UNODC's people and the Secretariat, and its title is absent from the others' coverage tables.
Only the Secretariat opens and closes cycles (a second cycle, 2023–2024, is the one the matrix closes),
records flows and corrects them (an unearmarked commitment of Kenya, which everyone signed in reads). focal_a
appeals for UNODC's other project and changes UNODC's unpublished appeal project; the Secretariat sees that
one but may not change it (403).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from appeal import services
from appeal.models import AppealCycle, AppealProject, CycleStatus, Earmark, Flow, Priority, Requirement, Stage
from directory.access import Visibility
from projects.models import Project
from tests import permission_matrix as pm

UNPUBLISHED = "Unpublished appeal for border posts"
OTHERS = ("outsider", "focal_b", "wg_chair", "org_admin")
PLEDGE_NOTE = "Announced at the donor conference"
NOT_KENYA = ("outsider", "focal_a", "wg_chair", "org_admin")
PLEDGE_STATUS = "What became of its pledges"
MATRIX_AMOUNT = Decimal("4321.00")
TO_APPEAL = "UNODC project not yet in the appeal"
NEW_CYCLE = "2031–2032 (matrix)"


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
    entry = services.record_flow(
        cycle=cycle, donor=pm.org("state:KEN"), stage=Stage.COMMITMENT, date=date(2021, 3, 1),
        amount=Decimal("1000.00"), currency="USD", by=secretariat,
    )  # fmt: skip
    world.extra.update(
        appeal_cycle=cycle,
        unpublished_appeal=private,
        cycle_to_close=services.open_cycle(name="2023–2024", first_year=2023, last_year=2024, by=secretariat),
        project_to_appeal=Project.objects.create(
            title=TO_APPEAL, owner=pm.org("entity:UNODC"), visibility=Visibility.OWNER
        ),
        entry_to_correct=entry,
    )


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
    pm.Row("appeal:new_cycle", pm.secretariat_only()),
    pm.Row("appeal:close_cycle", pm.secretariat_only(), kwargs=pm.pk_of("cycle_to_close")),
    # everyone signed in may ask; who leads no project outside the cycle reads that there is none to add
    pm.Row("appeal:new_appeal_project", pm.everyone(200), kwargs=pm.pk_of("appeal_cycle")),
    pm.Row(
        "appeal:edit_appeal_project",
        pm.everyone(404, focal_a=200, secretariat=403),
        kwargs=pm.pk_of("unpublished_appeal"),
    ),
    pm.Row("appeal:correct_flow", pm.secretariat_only(), kwargs=pm.pk_of("entry_to_correct")),
    # the API (read only): the same audience, a 401 instead of the sign-in page
    pm.Row("api:appeal-cycle-list", pm.everyone(200, anonymous=401)),
    pm.Row("api:appeal-cycle-detail", pm.everyone(200, anonymous=401), kwargs=pm.pk_of("appeal_cycle")),
    pm.Row(
        "api:appeal-project-list", pm.everyone(200, anonymous=401), hidden=dict.fromkeys(OTHERS, UNPUBLISHED)
    ),
    pm.Row(
        "api:appeal-project-detail",
        pm.everyone(200, anonymous=401, **dict.fromkeys(OTHERS, 404)),
        kwargs=pm.pk_of("unpublished_appeal"),
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

POST_ROWS += [
    pm.PostRow(
        "appeal:new_cycle",
        pm.everyone(403, secretariat=pm.DONE),
        data=lambda w: {"name": NEW_CYCLE, "first_year": "2031", "last_year": "2032"},
        done=lambda w: AppealCycle.objects.filter(name=NEW_CYCLE).exists(),
    ),
    pm.PostRow(
        "appeal:close_cycle",
        pm.everyone(403, secretariat=pm.DONE),
        kwargs=pm.pk_of("cycle_to_close"),
        done=lambda w: AppealCycle.objects.filter(
            pk=w.extra["cycle_to_close"].pk, status=CycleStatus.CLOSED
        ).exists(),
    ),
    # UNODC's project is no choice of anyone else's: the form refuses it
    pm.PostRow(
        "appeal:new_appeal_project",
        pm.everyone(pm.REFUSED, focal_a=pm.DONE),
        kwargs=pm.pk_of("appeal_cycle"),
        data=lambda w: {
            "project": w.extra["project_to_appeal"].pk,
            "priorities": [Priority.CFT],
            "requirement_2021": "1000",
        },
        done=lambda w: AppealProject.objects.filter(project=w.extra["project_to_appeal"]).exists(),
    ),
    pm.PostRow(
        "appeal:edit_appeal_project",
        pm.everyone(404, focal_a=pm.DONE, secretariat=403),
        kwargs=pm.pk_of("unpublished_appeal"),
        data=lambda w: {
            "priorities": [Priority.BORDER_SECURITY],
            "requirement_2021": "250000",
            "requirement_2022": "777.00",
        },
        done=lambda w: Requirement.objects.filter(
            appeal_project=w.extra["unpublished_appeal"], year=2022, amount_usd=Decimal("777.00")
        ).exists(),
    ),
    pm.PostRow(
        "appeal:correct_flow",
        pm.everyone(403, secretariat=pm.DONE),
        kwargs=pm.pk_of("entry_to_correct"),
        data=lambda w: {"amount": "-1.00", "reason": "Corrected by the matrix.", "date": "2021-03-02"},
        done=lambda w: Flow.objects.filter(corrects=w.extra["entry_to_correct"]).exists(),
    ),
]
