"""The landing page's live figures, for anonymous visitors (docs/showcase.md).

Two kinds, decided figure by figure:

- **platform-wide aggregates that name nothing**, as the brochure publishes them ("936 focal points, 2,808
  documents, 705 recommendations"): the focal points, the Member States with focal points, the library's
  documents and CTED's recommendations. A total of everything reveals no title, no State, no person;
- **figures of public items only**: the public projects and the Appeal's coverage — requirements and
  funding of the public appeal projects alone (``appeal.selectors.overall`` of an anonymous reader). Money is
  attributed to named projects, so a total over restricted ones could be taken apart: it is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from appeal.selectors import Figures, overall
from cted.selectors import recommendation_total
from directory.selectors import network_figures
from library.selectors import document_total
from projects.selectors import projects_for


@dataclass(frozen=True)
class LandingFigures:
    focal_points: int
    member_states: int
    documents: int
    recommendations: int
    #: Of the public items only.
    public_projects: int
    appeal: Figures


def landing_figures(visitor) -> LandingFigures:
    """The figures for ``visitor`` (an anonymous user: the public items' figures are theirs), in eight
    queries; the page is cached for visitors (core.public_pages)."""
    network = network_figures()
    return LandingFigures(
        focal_points=network["focal_points"],
        member_states=network["member_states"],
        documents=document_total(),
        recommendations=recommendation_total(),
        public_projects=projects_for(visitor).count(),
        appeal=overall(visitor),
    )
