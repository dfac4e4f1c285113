"""notices' part of ``seed_demo``: a few notices with different audiences, posted by the demo accounts."""

from core.demo import DemoRun
from directory.access import Visibility
from directory.models import Organization, WorkingGroup
from notices.models import Notice

DEMO_NOTICES = [
    # (author role, owner reference key, visibility, WG number, title, body)
    ("secretariat", "entity:UNOCT", Visibility.PLATFORM, None,
     "Coordination Committee: save the date",
     "The next meeting of the Coordination Committee takes place in New York. "
     "Agenda and registration follow."),
    ("wg_chair", "entity:CTED", Visibility.WORKING_GROUP, 2,
     "WG 2: contributions to the border-management workplan",
     "Members are invited to send their proposed activities for next year's workplan "
     "by the end of the month."),
    ("entity_focal_point", "entity:UNODC", Visibility.COMPACT, None,
     "Compact entities: mapping of technical assistance in the Sahel",
     "UNODC is compiling the entities' technical-assistance projects in the Sahel; "
     "please review your entries."),
    ("organization_admin", "entity:UNDP", Visibility.OWNER, None,
     "UNDP focal points: internal handover checklist",
     "Before a focal point leaves, the organisation admin nominates a successor "
     "and reviews shared documents."),
]  # fmt: skip


def seed(run: DemoRun) -> None:
    for role, owner_key, visibility, group_number, title, body in DEMO_NOTICES:
        Notice.objects.update_or_create(
            title=title,
            defaults={
                "body": body,
                "owner": Organization.objects.get(reference_key=owner_key),
                "author": run.users[role],
                "visibility": visibility,
                "working_group": WorkingGroup.objects.get(number=group_number) if group_number else None,
            },
        )
    run.write(f"notices: {len(DEMO_NOTICES)} demo notices")
