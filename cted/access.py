"""Who may read CTED's assessments and recommendations (docs/cted.md), as filters the querysets'
``visible_to`` apply — so that a page, a search, a facet count, an export or a notification reads exactly the
rows its reader may see, and a grant's revocation or expiry takes effect at the next query:

- CTED's people read every assessment and recommendation (they are CTED's work);
- the Member State's people read their own State's;
- anyone else reads what an active grant of the State names them in (their organisation by name, or every
  Compact entity for the people of a Compact entity): a grant on a recommendation shares it; a grant on the
  assessment shares the assessment and, as its release level says, all its recommendations (full), its
  priority needs only (partial) or none (not shared).

The Secretariat has no right of its own here: the reports are the State's and CTED's. Anonymous visitors and
inactive accounts read nothing (None: the caller answers with no rows).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from core.queries import any_of
from directory.access import Viewer, viewer

#: CTED, by its reference key (directory/reference): its people read every assessment.
CTED = "entity:CTED"


def is_cted(who: Viewer | None) -> bool:
    return who is not None and CTED in who.organization_keys


def _grants_for(who: Viewer):
    """The active grants that name the viewer: their organisation, or every Compact entity for the people of
    one."""
    from cted.models import ConsentAudience, ConsentGrant

    named = Q(audience=ConsentAudience.ORGANIZATION, organization_id__in=who.organization_ids)
    if who.is_compact:
        named |= Q(audience=ConsentAudience.COMPACT_ENTITIES)
    return ConsentGrant.objects.active().filter(named)


def assessment_rule(user) -> Q | None:
    who = viewer(user)
    if who is None:
        return None
    if is_cted(who):
        return Q()
    return Q(state_id__in=who.organization_ids) | Q(
        Exists(_grants_for(who).filter(assessment=OuterRef("pk")))
    )


def recommendation_rule(user) -> Q | None:
    from cted.models import Assessment, ReleaseLevel

    who = viewer(user)
    if who is None:
        return None
    if is_cted(who):
        return Q()
    # The State's assessments and the grants naming the reader are few (two small queries, now): the rule
    # becomes conditions on indexed columns the planner combines (a bitmap of each), where subqueries would be
    # tested on every recommendation of the table.
    own = list(Assessment.objects.filter(state_id__in=who.organization_ids).values_list("pk", flat=True))
    single, full, partial = [], [], []
    for assessment_id, recommendation_id, level in (
        _grants_for(who)
        .order_by()
        .values_list("assessment_id", "recommendation_id", "assessment__release_level")
    ):
        if recommendation_id is not None:
            single.append(recommendation_id)
        elif level == ReleaseLevel.FULL:
            full.append(assessment_id)
        elif level == ReleaseLevel.PARTIAL:
            partial.append(assessment_id)
    rule = Q(any_of("assessment_id", own))
    if single:
        rule |= Q(any_of("id", single))
    if full:
        rule |= Q(any_of("assessment_id", full))
    if partial:
        rule |= Q(any_of("assessment_id", partial), is_priority=True)
    return rule


def grant_rule(user) -> Q | None:
    """The consents given on an assessment: its State's people (who give them) and CTED's."""
    who = viewer(user)
    if who is None:
        return None
    if is_cted(who):
        return Q()
    return Q(assessment__state_id__in=who.organization_ids)
