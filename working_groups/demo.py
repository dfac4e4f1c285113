"""working_groups' part of ``seed_demo``: Kenya invited to WG 2 as a guest on a topic, and a UNODC focal
point designated to help run WG 2's space (the other apps seed the spaces' content)."""

from __future__ import annotations

from guardian.shortcuts import assign_perm

from core.demo import DemoRun
from directory.models import Organization, Participation, ParticipationRole, WorkingGroup
from directory.spaces import MANAGE_SPACE


def seed(run: DemoRun) -> None:
    group = WorkingGroup.objects.get(number=2)
    Participation.objects.update_or_create(
        working_group=group,
        organization=Organization.objects.get(reference_key="state:KEN"),
        defaults={"role": ParticipationRole.GUEST, "topic": "One-stop border posts in East Africa"},
    )
    assign_perm(f"directory.{MANAGE_SPACE}", run.users["entity_focal_point"], group)
    run.write("working_groups: Kenya is a guest of WG 2; the UNODC demo focal point helps run its space")
