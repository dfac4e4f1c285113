"""cted's part of ``seed_demo``: CTED's assessments of three demo Member States with mixed consent — Kenya's
comprehensive visit, its report adopted, released partially and shared by Kenya's focal point with UNODC and
one recommendation with every Compact entity; Morocco's desk review, the State's comments overdue; Indonesia's
follow-up visit, adopted, kept confidential. Written through the services (rules and checks included); a
State already assessed is left as it is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from appeal import services as appeal_services
from appeal.models import AppealCycle, CycleStatus, Earmark, Priority, Stage
from core.demo import DemoRun
from cted import services
from cted.models import Assessment, ConsentAudience, ReleaseLevel, ReportStage, StatusKind, VisitType
from directory.models import Organization
from projects.models import ThematicArea
from projects.selectors import projects_for

KENYA = [
    (
        "Border management and law enforcement", True,
        "Introduce advance passenger information and passenger name record systems at the main airports.",
    ),
    (
        "Countering the financing of terrorism", True,
        "Criminalise the financing of the travel of foreign terrorist fighters, as resolution 2178 requires.",
    ),
    (
        "Criminal justice and the rule of law", False,
        "Train prosecutors and judges on the collection and admissibility of electronic evidence.",
    ),
    (
        "Preventing and countering violent extremism", False,
        "Involve civil society and women's organisations in the national strategy against violent extremism.",
    ),
    ("Human rights", False, "Provide for independent oversight of the counter-terrorism police units."),
]  # fmt: skip
OTHERS = [
    (
        "state:MAR", VisitType.DESK_REVIEW, 400,
        [(
            "Emerging threats and new technologies", True,
            "Assess the terrorist use of the Internet; set up a referral unit with due process safeguards.",
        )],
    ),
    (
        "state:IDN", VisitType.FOLLOW_UP, 900,
        [(
            "Prosecution, rehabilitation and reintegration", True,
            "Develop rehabilitation programmes for returning foreign terrorist fighters and their families.",
        )],
    ),
]  # fmt: skip


def seed(run: DemoRun) -> None:
    cted, kenya_person, unodc = (
        run.users.get(role) for role in ("wg_chair", "state_focal_point", "entity_focal_point")
    )
    if cted is None or kenya_person is None:
        return
    today = timezone.localdate()
    themes = {theme.name: theme for theme in ThematicArea.objects.all()}
    kenya = Organization.objects.get(reference_key="state:KEN")
    if not Assessment.objects.filter(state=kenya).exists():
        assessment = _assess(cted, kenya, VisitType.COMPREHENSIVE, today - timedelta(days=600), KENYA, themes)
        _report(assessment, cted, draft=today - timedelta(days=560), comments=today - timedelta(days=540),
                adopted=today - timedelta(days=480), steps=today - timedelta(days=300))  # fmt: skip
        Assessment.objects.filter(pk=assessment.pk).update(release_level=ReleaseLevel.PARTIAL)
        services.grant_consent(
            assessment, audience=ConsentAudience.ORGANIZATION,
            organization=Organization.objects.get(reference_key="entity:UNODC"), by=kenya_person,
        )  # fmt: skip
        needs = list(assessment.recommendations.order_by("pk"))
        services.grant_consent(
            assessment, recommendation=needs[2], audience=ConsentAudience.COMPACT_ENTITIES, by=kenya_person,
            expires_on=today + timedelta(days=365),
        )  # fmt: skip
        # The chain: UNODC's criminal justice project in Kenya answers the training need (linking it makes it
        # "matched") and is funded through the Appeal; UNITAR's counter-financing project answers the
        # financing need, unfunded; the other needs have no project yet.
        answer = projects_for(cted).filter(title="Criminal justice responses to terrorism in Kenya").first()
        if answer is not None:
            services.set_links(needs[2], entities=[answer.owner], projects=[answer], by=cted)
            _fund(answer, lead=unodc, secretariat=run.users.get("secretariat"), today=today)
        financing = (
            projects_for(cted)
            .filter(countries__contains=["KEN"], title__icontains="financing")
            .order_by("pk")
        ).first()
        if financing is not None:
            services.set_links(needs[1], entities=[financing.owner], projects=[financing], by=cted)
        services.change_status(needs[1], kind=StatusKind.IMPLEMENTATION, to="in_progress", by=kenya_person,
                               reason="A bill is before Parliament.")  # fmt: skip
        run.write("cted: Kenya's assessment, shared with UNODC and, one recommendation, every Compact entity")
    for key, visit_type, days_ago, needs in OTHERS:
        state = Organization.objects.get(reference_key=key)
        if Assessment.objects.filter(state=state).exists():
            continue
        assessment = _assess(cted, state, visit_type, today - timedelta(days=days_ago), needs, themes)
        if visit_type == VisitType.DESK_REVIEW:  # the State's comments are overdue
            _report(assessment, cted, draft=today - timedelta(days=days_ago - 300))
        else:
            _report(assessment, cted, draft=today - timedelta(days=days_ago - 60),
                    adopted=today - timedelta(days=days_ago - 120))  # fmt: skip
        run.write(f"cted: {state.name}'s assessment, confidential")


def _assess(cted, state, visit_type, start, needs, themes) -> Assessment:
    assessment = services.record_assessment(
        state=state, visit_type=visit_type, visit_start=start, visit_end=start + timedelta(days=4), by=cted
    )
    for theme, priority, text in needs:
        services.add_recommendation(
            assessment, text=text, theme=themes.get(theme), is_priority=priority, by=cted
        )
    return assessment


def _report(assessment, cted, **days) -> None:
    for step, field in (
        (ReportStage.DRAFT, "draft"), (ReportStage.COMMENTS, "comments"), (ReportStage.ADOPTED, "adopted"),
        (ReportStage.STEPS, "steps"),
    ):  # fmt: skip
        if field in days:
            assessment = services.record_report_step(assessment, step=step, on=days[field], by=cted)


def _fund(project, *, lead, secretariat, today) -> None:
    """Appeal for the project in the open cycle (its lead entity's focal point) and record a commitment to it
    (the Secretariat), so that the need it answers shows as funded."""
    cycle = AppealCycle.objects.filter(status=CycleStatus.OPEN).order_by("-first_year").first()
    if cycle is None or lead is None or secretariat is None:
        return
    appealed = appeal_services.add_appeal_project(
        cycle=cycle, project=project, priorities=[Priority.CRIMINAL_JUSTICE], by=lead, is_published=True
    )
    appeal_services.set_requirements(
        appealed, amounts=dict.fromkeys(range(cycle.first_year, cycle.last_year + 1), 400000), by=lead
    )
    appeal_services.record_flow(
        cycle=cycle, donor=Organization.objects.get(reference_key="state:NOR"), stage=Stage.COMMITMENT,
        date=today - timedelta(days=30), amount=Decimal(250_000), currency="USD", earmark=Earmark.PROJECT,
        appeal_project=appealed, by=secretariat,
    )  # fmt: skip
