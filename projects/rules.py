"""Who may do what with projects (docs/access-control.md). Reading is the audience rule
(``Project.objects.visible_to``) and nothing else: lists, the matrix, facets and exports alike.

A project follows the generic content rules: its lead entity (the owner organisation) edits, shares and
deletes it; a person holding a "change" grant edits its description and figures, never its audience.
"""

from __future__ import annotations

from directory.access import viewer
from directory.rules import (
    can_administer_platform,
    can_change_content,
    can_share_content,
    register_content_rules,
)
from projects.models import Project, ProjectOverlap


def can_change_project(user, project: Project) -> bool:
    return can_change_content(user, project)


def can_share_project(user, project: Project) -> bool:
    return can_share_content(user, project)


register_content_rules(Project, change=can_change_project, share=can_share_project)


def can_mark_overlap(user, overlap: ProjectOverlap) -> bool:
    """A verdict on a pair is the two leads' business: the people of either lead entity (not a person who
    edits one of the projects through a grant, and not the Secretariat as such)."""
    who = viewer(user)
    return who is not None and bool({overlap.first.owner_id, overlap.second.owner_id} & who.organization_ids)


def can_read_overlap_report(user) -> bool:
    """The report over every entity's pairs is the Secretariat's tool for coordination; each lead sees its
    own projects' overlaps on their pages. It shows only pairs the reader may read both projects of."""
    return can_administer_platform(user)
