"""Who may do what in the Appeal (docs/appeal.md); reading is ``visible_to`` on each model (appeal.access).

The Secretariat runs the Appeal: it opens and closes cycles and keeps the ledger (donors report to it). A
project's lead entity appeals for its own project — adds it to an open cycle, sets its yearly requirements and
publishes it. Rights come from current roles on every check (directory.access.viewer).
"""

from __future__ import annotations

from appeal.models import AppealCycle, AppealProject
from directory.access import viewer
from directory.rules import can_administer_platform


def can_open_cycle(user) -> bool:
    return can_administer_platform(user)


def can_close_cycle(user, cycle: AppealCycle) -> bool:
    return can_administer_platform(user) and cycle.is_open


def can_record_flow(user) -> bool:
    """The ledger is the Secretariat's: pledges, commitments, payments and their corrections."""
    return can_administer_platform(user)


def can_appeal_for(user, project) -> bool:
    """A project of the matrix is appealed for by its lead entity's people (not a partner, not the Secretariat
    as such)."""
    who = viewer(user)
    return who is not None and project.owner_id in who.organization_ids


def can_change_appeal_project(user, appeal_project: AppealProject) -> bool:
    """Its requirements, priorities and publication: the lead entity's people, while the cycle is open."""
    return appeal_project.cycle.is_open and can_appeal_for(user, appeal_project.project)
