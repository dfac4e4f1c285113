"""CTED's tests' world: Kenya's comprehensive assessment with three recommendations (one a priority need),
recorded by CTED, shared with nobody yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from cted import services
from cted.models import Assessment, Recommendation, VisitType
from tests.appeal.conftest import cycle  # noqa: F401 -- the Appeal's open cycle, for the chain's money
from tests.conftest import organization


@pytest.fixture
def cted_person(compact, make_user):
    return make_user("cted@example.org", organization=organization("entity:CTED"), full_name="Cleo Cted")


@dataclass
class Kenya:
    assessment: Assessment
    priority: Recommendation
    legislation: Recommendation
    training: Recommendation


@pytest.fixture
def kenya(cted_person) -> Kenya:
    assessment = services.record_assessment(
        state=organization("state:KEN"), visit_type=VisitType.COMPREHENSIVE, visit_start=date(2025, 3, 3),
        visit_end=date(2025, 3, 7), by=cted_person,
    )  # fmt: skip

    def add(text: str, **options) -> Recommendation:
        return services.add_recommendation(assessment, text=text, by=cted_person, **options)

    return Kenya(
        assessment,
        add("Border agencies need passenger data (API/PNR) systems", is_priority=True),
        add("Criminalise the financing of travel of foreign terrorist fighters"),
        add("Train prosecutors on the use of electronic evidence"),
    )
