"""Sections that the apps above the directory add to an organisation's page — its projects, say — without
the directory importing them (the layers of import-linter): an app registers a template and a function
that gives the template its context for a reader and an organisation, in its AppConfig.ready, as content
apps register their rules (directory.rules.register_content_rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from directory.models import Organization

#: (reader, organisation) → the template's context.
SectionContext = Callable[[object, Organization], dict]


@dataclass(frozen=True)
class Section:
    template: str
    context: SectionContext
    #: Where the section goes on the page, smallest first (ties: the order the apps were loaded in).
    order: int = 100


_organization_sections: list[Section] = []


def register_organization_section(template: str, context: SectionContext, *, order: int = 100) -> None:
    if all(section.template != template for section in _organization_sections):
        _organization_sections.append(Section(template, context, order))
        # sorted is stable: sections of the same order keep the order the apps were loaded in
        _organization_sections.sort(key=lambda section: section.order)


def organization_sections(user, organization: Organization) -> list[tuple[str, dict]]:
    """(template, context) of each registered section, in their order."""
    return [(section.template, section.context(user, organization)) for section in _organization_sections]
