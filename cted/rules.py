"""Who may do what with CTED's assessments (docs/cted.md); reading is ``visible_to`` (cted.access).

CTED records its assessments, their report's workflow and their recommendations, and tracks the assistance
each recommendation gets. The Member State's people decide who sees their State's assessments (consent) and
report on implementation. Rights come from current roles on every check (directory.access.viewer).
"""

from __future__ import annotations

from cted.access import is_cted
from cted.models import Assessment
from directory.access import viewer


def can_record_assessment(user) -> bool:
    return is_cted(viewer(user))


def is_state_person(user, assessment: Assessment) -> bool:
    who = viewer(user)
    return who is not None and assessment.state_id in who.organization_ids


def can_grant_consent(user, assessment: Assessment) -> bool:
    """The Member State's own people (its focal points): consent is the State's alone — not CTED's."""
    return is_state_person(user, assessment)


def can_see_consents(user, assessment: Assessment) -> bool:
    """Whom an assessment is shared with is the State's business and CTED's (``cted.access.grant_rule``)."""
    return is_cted(viewer(user)) or is_state_person(user, assessment)


def can_change_assistance(user) -> bool:
    return is_cted(viewer(user))


def can_change_implementation(user, assessment: Assessment) -> bool:
    """CTED, and the State reporting on the steps it took."""
    return is_cted(viewer(user)) or is_state_person(user, assessment)


def can_offer_assistance(user, recommendation) -> bool:
    """The people of a Compact entity who may read the recommendation (consent decides), other than the
    State's own: an offer is help from outside."""
    who = viewer(user)
    return (
        who is not None and who.is_compact and recommendation.assessment.state_id not in who.organization_ids
    )
