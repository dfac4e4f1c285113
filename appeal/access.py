"""Who may read the Appeal (docs/appeal.md), as filters the querysets' ``visible_to`` apply — on indexed
columns, never a Python loop:

- an appeal project, its requirements and its figures: published, everyone signed in; unpublished, the people
  of the project's lead entity and the Secretariat (it administers the Appeal);
- the ledger: the Secretariat every entry; a donor's people every entry of their donor (their pledges'
  status); everyone signed in the commitments and paid contributions, unless earmarked to an appeal project
  they may not see. A pledge is a non-binding announcement between a donor and the Secretariat: other
  readers do not see it, entry by entry or in a total.

Anonymous visitors and inactive accounts read only what the owners made public (``public_rule``): the
appeal projects marked public — published, of a project whose own visibility is public — with their
requirements, and the commitments and paid contributions earmarked to them; never a pledge, an unearmarked
entry or a cycle's totals, which would add up restricted items. Every other reader's rule returns None for
them (the caller answers with no rows).
"""

from __future__ import annotations

from django.db.models import Q

from directory.access import NOTHING, viewer
from directory.rules import can_administer_platform


def signed_in_rule(user) -> Q | None:
    return None if viewer(user) is None else Q()


def public_rule(user) -> Q:
    """The public appeal projects: marked public (and so published) and of a project the visitor may read —
    a public one (``Project.objects.visible_to`` of an anonymous reader), checked on every read."""
    from projects.models import Project

    return Q(is_public=True, is_published=True, project__in=Project.objects.visible_to(user).values("pk"))


def appeal_project_rule(user) -> Q | None:
    from projects.models import Project

    who = viewer(user)
    if who is None:
        return public_rule(user)
    if can_administer_platform(user):
        return Q()
    # the lead entity's projects by their own index (a join to every project would read them all)
    led = Project.objects.filter(owner_id__in=who.organization_ids).values("pk")
    return Q(is_published=True) | Q(project__in=led)


def _ledger_rule(user) -> tuple[Q, Q] | tuple[None, None] | None:
    """(readable, own) for the ledger's entries and running totals: the earmarks the user may read (none, or
    an appeal project they may see) and their donor's own rows (every stage). (None, None): the Secretariat
    reads everything; None: no signed-in reader (the callers give a visitor ``_public_ledger_rule``)."""
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


def _public_ledger_rule(user) -> Q:
    """A visitor's entries and running totals: those earmarked to a public appeal project."""
    from appeal.models import AppealProject

    return Q(appeal_project__in=AppealProject.objects.visible_to(user).values("pk"))


def flow_rule(user) -> Q | None:
    from appeal.models import Stage

    if viewer(user) is None:
        return ~Q(stage=Stage.PLEDGE) & _public_ledger_rule(user)
    rule = _ledger_rule(user)
    if rule is None:
        return None
    readable, own = rule
    return Q() if own is None else (~Q(stage=Stage.PLEDGE) & readable) | own


def flow_total_rule(user) -> tuple[Q, Q | None] | None:
    """(rows, own): the ledger's running totals the user may read, as ``flow_rule`` reads the entries — a
    group's rule depends only on its donor and earmark, so a group is either wholly visible or not — and the
    groups whose pledges they may see (None: all of them)."""
    if viewer(user) is None:  # a visitor: no donor's own pledges (NOTHING: every pledge reads as zero)
        return _public_ledger_rule(user), NOTHING
    rule = _ledger_rule(user)
    if rule is None:
        return None
    readable, own = rule
    return (Q(), None) if own is None else (readable | own, own)
