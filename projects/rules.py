"""Who may do what with projects (docs/access-control.md). Reading is the audience rule
(``Project.objects.visible_to``) and nothing else: lists, the matrix, facets and exports alike.

A project follows the generic content rules: its lead entity (the owner organisation) edits, shares and
deletes it; a person holding a "change" grant edits its description and figures, never its audience.
"""

from __future__ import annotations

from directory.rules import can_change_content, can_share_content, register_content_rules
from projects.models import Project


def can_change_project(user, project: Project) -> bool:
    return can_change_content(user, project)


def can_share_project(user, project: Project) -> bool:
    return can_share_content(user, project)


register_content_rules(Project, change=can_change_project, share=can_share_project)
