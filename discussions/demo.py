"""discussions' part of ``seed_demo``: a few threads in every Working Group's space, with replies and a
mention, written by the demo accounts whose organisations take part (idempotent: found again by title)."""

from __future__ import annotations

from datetime import timedelta

from core.demo import DemoRun
from directory.access import Visibility
from directory.models import MEMBER_ROLES, Membership, Participation, WorkingGroup
from discussions.models import Reply, Thread

THREADS = [
    # (title, body, members only?)
    (
        "Priorities for next year's workplan",
        "Dear colleagues,\n\nWhich two activities should the group prioritise next year? Please reply with "
        "your proposals and the lead organisation for each.",
        True,
    ),
    (
        "Good practices to share with Member States",
        "We are collecting short case studies (one page each) for the group's compendium. Observers and "
        "invited guests are welcome to contribute.",
        False,
    ),
]
REPLY = "Thank you @{email}: we propose a joint training module and will send a one-page note by Friday."
FOLLOW_UP = "Noted, thanks. I will add it to the draft list for the next meeting."


def _people_by_group(run: DemoRun) -> dict[int, list]:
    """For each Working Group, the demo accounts whose organisation takes part, members first."""
    organizations = {}
    for user in run.users.values():
        for org_id in Membership.objects.filter(user=user, ended_at__isnull=True).values_list(
            "organization_id", flat=True
        ):
            organizations.setdefault(org_id, []).append(user)
    people: dict[int, list] = {}
    for participation in Participation.objects.filter(organization_id__in=organizations).order_by("role"):
        member = participation.role in MEMBER_ROLES
        for user in organizations[participation.organization_id]:
            people.setdefault(participation.working_group_id, []).append((not member, user.pk, user))
    return {group: [user for *_key, user in sorted(found)] for group, found in people.items()}


def seed(run: DemoRun) -> None:
    people = _people_by_group(run)
    fallback = run.users["secretariat"]
    created = 0
    for group in WorkingGroup.objects.filter(is_active=True).order_by("number"):
        taking_part = people.get(group.pk) or [fallback]
        author = taking_part[0]
        owner = (
            Membership.objects.filter(user=author, ended_at__isnull=True).order_by("pk").first().organization
        )
        for title, body, members_only in THREADS:
            visibility = Visibility.WORKING_GROUP_MEMBERS if members_only else Visibility.WORKING_GROUP
            thread, new = Thread.objects.update_or_create(
                title=f"WG {group.number}: {title}",
                defaults={
                    "body": body,
                    "owner": owner,
                    "author": author,
                    "visibility": visibility,
                    "working_group": group,
                },
            )
            created += new
            replier = taking_part[1] if len(taking_part) > 1 else author
            replies = [(replier, REPLY.format(email=author.email)), (author, FOLLOW_UP)]
            latest = thread.created_at
            for position, (who, text) in enumerate(replies):
                reply, _new = Reply.objects.get_or_create(
                    thread=thread,
                    body=text,
                    defaults={
                        "author": who,
                        "created_at": thread.created_at + timedelta(minutes=30 * (position + 1)),
                    },
                )
                latest = max(latest, reply.created_at)
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=latest)
    run.write(f"discussions: {created} new demo threads (2 per Working Group, with replies and a mention)")
