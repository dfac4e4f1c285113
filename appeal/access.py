"""Who may read the Appeal (docs/appeal.md), as filters the querysets' ``visible_to`` apply — on indexed
columns, never a Python loop:

- an appeal project, its requirements and its figures: published, everyone signed in; unpublished, the people
  of the project's lead entity and the Secretariat (it administers the Appeal);
- the ledger: the Secretariat every entry; a donor's people every entry of their donor (their pledges'
  status); everyone signed in the commitments and paid contributions, unless earmarked to an appeal project
  they may not see. A pledge is a non-binding announcement between a donor and the Secretariat: other
  readers do not see it, entry by entry or in a total.

Anonymous visitors and inactive accounts read nothing (None: the caller answers with no rows).
"""

from __future__ import annotations

from django.db.models import Q

from directory.access import viewer
from directory.rules import can_administer_platform


def signed_in_rule(user) -> Q | None:
    return None if viewer(user) is None else Q()


def appeal_project_rule(user) -> Q | None:
    from projects.models import Project

    who = viewer(user)
    if who is None:
        return None
    if can_administer_platform(user):
        return Q()
    # the lead entity's projects by their own index (a join to every project would read them all)
    led = Project.objects.filter(owner_id__in=who.organization_ids).values("pk")
    return Q(is_published=True) | Q(project__in=led)


def _ledger_rule(user) -> tuple[Q, Q] | tuple[None, None] | None:
    """(readable, own) for the ledger's entries and running totals: the earmarks the user may read (none, or
    an appeal project they may see) and their donor's own rows (every stage). (None, None): the Secretariat
    reads everything; None: anonymous, nothing."""
    from appeal.models import AppealProject

    who = viewer(user)
    if who is None:
        return None
    if can_administer_platform(user):
        return None, None
    readable = Q(appeal_project__isnull=True) | Q(
        appeal_project__in=AppealProject.objects.visible_to(user).values("pk")
    )
    return readable, Q(donor_id__in=who.organization_ids)


def flow_rule(user) -> Q | None:
    from appeal.models import Stage

    rule = _ledger_rule(user)
    if rule is None:
        return None
    readable, own = rule
    return Q() if own is None else (~Q(stage=Stage.PLEDGE) & readable) | own


def flow_total_rule(user) -> tuple[Q, Q | None] | None:
    """(rows, own): the ledger's running totals the user may read, as ``flow_rule`` reads the entries — a
    group's rule depends only on its donor and earmark, so a group is either wholly visible or not — and the
    groups whose pledges they may see (None: all of them)."""
    rule = _ledger_rule(user)
    if rule is None:
        return None
    readable, own = rule
    return (Q(), None) if own is None else (readable | own, own)
