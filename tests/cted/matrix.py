"""CTED's URLs in the permission matrix (see tests/permission_matrix.py).

The world holds Kenya's assessment (focal_b is Kenya's), recorded by CTED (wg_chair's organisation), released
in full and shared by Kenya with UNDP (org_admin's): those three see it and its recommendations; UNODC's
focal_a, the outsider and the Secretariat see nothing of it (404, and no title in the list). Only Kenya's
people give and withdraw consent; CTED and UNDP see the assessment but may not (403). A second consent, to
the African Union (nobody's here), is the one the matrix withdraws. Only CTED records: assessments, the
report's steps and report, recommendations; Kenya's people and UNDP see the assessment but may not (403).
The import of recommendations is CTED's alone (403 for everyone else); its staged imports are CTED's chair's
(wg_chair).
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from core.tables import csv_bytes
from cted import imports, services
from cted.models import (
    Assessment,
    AssistanceOffer,
    ConsentAudience,
    ConsentGrant,
    Recommendation,
    RecommendationImport,
    ReleaseLevel,
    ReportStage,
    VisitType,
)
from directory.access import Visibility
from library.models import Resource
from projects.imports.spreadsheet import Table
from tests import permission_matrix as pm
from tests.projects.conftest import make_project

CONFIDENTIAL = "Confidential need: passenger data systems"
HIDDEN_FROM = ("outsider", "focal_a", "secretariat")
SEES = {"focal_b": 200, "wg_chair": 200, "org_admin": 200}
STATE_ONLY = {"focal_b": 200, "wg_chair": 403, "org_admin": 403}
CTED_ONLY = {"focal_b": 403, "wg_chair": 200, "org_admin": 403}
NEW_NEED = "A need recorded through the permission matrix"


def build(world) -> None:
    kenya, cted = world.users["focal_b"], world.users["wg_chair"]
    assessment = services.record_assessment(
        state=pm.org("state:KEN"), visit_type=VisitType.COMPREHENSIVE, visit_start=date(2025, 3, 3), by=cted
    )
    need = services.add_recommendation(assessment, text=CONFIDENTIAL, is_priority=True, by=cted)
    # "matched" needs a project; CTED's own, so that no other app's list shows one more row
    answer = make_project(
        "Passenger data systems in East Africa", lead="entity:CTED", visibility=Visibility.OWNER
    )
    need.projects.add(answer)
    report = Resource.objects.create(
        title="CTED's report on Kenya", resource_type="report", owner=pm.org("entity:CTED"),
        visibility=Visibility.OWNER,
    )  # fmt: skip
    Assessment.objects.filter(pk=assessment.pk).update(release_level=ReleaseLevel.FULL)
    services.grant_consent(
        assessment, audience=ConsentAudience.ORGANIZATION, organization=pm.org("entity:UNDP"), by=kenya
    )
    to_withdraw = services.grant_consent(
        assessment, audience=ConsentAudience.ORGANIZATION, organization=pm.org("regional:AU"), by=kenya
    )
    world.extra.update(
        assessment=assessment,
        consent_to_withdraw=to_withdraw,
        recommendation=need,
        answer=answer,
        report=report,
    )
    world.extra["cted_import_preview"] = _stage(world, ["Previewed through the matrix"])
    world.extra["cted_import_save_all"] = _stage(world, [IMPORTED_ALL])
    world.extra["cted_import_save_valid"] = _stage(world, [IMPORTED_VALID, ""])  # the second row has no text


IMPORTED_ALL = "Imported through the permission matrix (all rows)"
IMPORTED_VALID = "Imported through the permission matrix (valid rows)"


def _stage(world, texts: list[str]) -> RecommendationImport:
    """CTED's chair's staged import of recommendations of Kenya's assessment."""
    table = Table(
        rows=[{"state": "KEN", "visit": "2025-03-03", "text": text} for text in texts],
        numbers=list(range(2, len(texts) + 2)),
    )
    return imports.stage(by=world.users["wg_chair"], filename="staged.csv", table=table)


def _token(name: str):
    return lambda w: {"token": w.extra[name].token}


def _upload(w) -> dict:
    content = csv_bytes(
        ["Member State", "Visit date", "Recommendation"], [["Kenya", "2025-03-03", "Uploaded"]]
    )
    return {"file": SimpleUploadedFile("matrix.csv", content)}


def _recorded(text: str):
    return lambda w: Recommendation.objects.filter(text=text).exists()


def _status(kind: str):
    return lambda w: {"pk": w.extra["recommendation"].pk, "kind": kind}


def _status_is(kind: str, value: str):
    return lambda w: Recommendation.objects.filter(
        pk=w.extra["recommendation"].pk, **{f"{kind}_status": value}
    ).exists()


ROWS = [
    pm.Row("cted:assessments", pm.everyone(200), hidden=dict.fromkeys(HIDDEN_FROM, "Kenya")),
    # the log: counts for everyone (no State named), rows only for the shared assessments the reader may see
    pm.Row("cted:shared", pm.everyone(200), hidden=dict.fromkeys(HIDDEN_FROM, "Kenya")),
    pm.Row("cted:new_assessment", pm.everyone(403, wg_chair=200)),
    pm.Row("cted:step", pm.everyone(404, **CTED_ONLY), kwargs=pm.pk_of("assessment")),
    pm.Row("cted:report", pm.everyone(404, **CTED_ONLY), kwargs=pm.pk_of("assessment")),
    pm.Row("cted:new_recommendation", pm.everyone(404, **CTED_ONLY), kwargs=pm.pk_of("assessment")),
    pm.Row("cted:edit_recommendation", pm.everyone(404, **CTED_ONLY), kwargs=pm.pk_of("recommendation")),
    pm.Row("cted:assessment", pm.everyone(404, **SEES), kwargs=pm.pk_of("assessment")),
    pm.Row("cted:consent", pm.everyone(404, **STATE_ONLY), kwargs=pm.pk_of("assessment")),
    # POST only
    pm.Row("cted:withdraw", pm.everyone(405), kwargs=pm.pk_of("consent_to_withdraw")),
    pm.Row("cted:release", pm.everyone(404, **STATE_ONLY), kwargs=pm.pk_of("assessment")),
    # assistance is CTED's to track (one row per URL name: implementation, CTED's and the State's, is in the
    # POST rows and tests/cted/test_pages.py)
    pm.Row(
        "cted:status",
        pm.everyone(404, **{**SEES, "focal_b": 403, "org_admin": 403}),
        kwargs=_status("assistance"),
    ),
    pm.Row("cted:recommendations", pm.everyone(200), hidden=dict.fromkeys(HIDDEN_FROM, CONFIDENTIAL)),
    pm.Row("cted:export", pm.everyone(200), hidden=dict.fromkeys(HIDDEN_FROM, CONFIDENTIAL)),
    # the world's need has no thematic area: its row is all a reader who sees it finds
    pm.Row("cted:statistics", pm.everyone(200), hidden=dict.fromkeys(HIDDEN_FROM, "No thematic area")),
    # CTED and UNDP (consented) are Compact entities that may offer help; Kenya does not offer to itself
    pm.Row("cted:offer", pm.everyone(404, **{**SEES, "focal_b": 403}), kwargs=pm.pk_of("recommendation")),
    # the import is CTED's alone; a staged import is its uploader's (another of CTED's people: 404, in
    # tests/cted/test_import.py)
    pm.Row("cted:import", pm.everyone(403, wg_chair=200)),
    pm.Row("cted:import_template", pm.everyone(403, wg_chair=200), kwargs=lambda w: {"format": "xlsx"}),
    pm.Row("cted:import_preview", pm.everyone(403, wg_chair=200), kwargs=_token("cted_import_preview")),
    # the API: the same readers (consent decides), a 401 instead of the sign-in page
    pm.Row(
        "api:cted-assessment-list",
        pm.everyone(200, anonymous=401),
        hidden=dict.fromkeys(HIDDEN_FROM, "Kenya"),
    ),
    pm.Row(
        "api:cted-assessment-detail", pm.everyone(404, anonymous=401, **SEES), kwargs=pm.pk_of("assessment")
    ),
    pm.Row(
        "api:cted-recommendation-list",
        pm.everyone(200, anonymous=401),
        hidden=dict.fromkeys(HIDDEN_FROM, CONFIDENTIAL),
    ),
    pm.Row(
        "api:cted-recommendation-detail",
        pm.everyone(404, anonymous=401, **SEES),
        kwargs=pm.pk_of("recommendation"),
    ),
]

POST_ROWS = [
    pm.PostRow(
        "cted:consent",
        pm.everyone(404, **{**STATE_ONLY, "focal_b": pm.DONE}),
        kwargs=pm.pk_of("assessment"),
        data=lambda w: {"audience": ConsentAudience.COMPACT_ENTITIES},
        done=lambda w: ConsentGrant.objects.filter(audience=ConsentAudience.COMPACT_ENTITIES).exists(),
    ),
    pm.PostRow(
        "cted:withdraw",
        pm.everyone(404, **{**STATE_ONLY, "focal_b": pm.DONE}),
        kwargs=pm.pk_of("consent_to_withdraw"),
        done=lambda w: ConsentGrant.objects.filter(
            pk=w.extra["consent_to_withdraw"].pk, revoked_at__isnull=False
        ).exists(),
    ),
    pm.PostRow(
        "cted:release",
        pm.everyone(404, **{**STATE_ONLY, "focal_b": pm.DONE}),
        kwargs=pm.pk_of("assessment"),
        data=lambda w: {"release_level": ReleaseLevel.PARTIAL},
        done=lambda w: Assessment.objects.filter(release_level=ReleaseLevel.PARTIAL).exists(),
    ),
    pm.PostRow(
        "cted:status",
        pm.everyone(404, **{**SEES, "focal_b": 403, "org_admin": 403, "wg_chair": pm.DONE}),
        kwargs=_status("assistance"),
        label="assistance",
        data=lambda w: {"to": "matched", "reason": "A project answers it"},
        done=_status_is("assistance", "matched"),
    ),
    pm.PostRow(
        "cted:status",
        pm.everyone(404, **{**SEES, "org_admin": 403, "focal_b": pm.DONE, "wg_chair": pm.DONE}),
        kwargs=_status("implementation"),
        label="implementation",
        data=lambda w: {"to": "in_progress", "reason": "A bill is before Parliament"},
        done=_status_is("implementation", "in_progress"),
    ),
    pm.PostRow(
        "cted:offer",
        pm.everyone(404, **{**SEES, "focal_b": 403, "wg_chair": pm.DONE, "org_admin": pm.DONE}),
        kwargs=pm.pk_of("recommendation"),
        data=lambda w: {"message": "Two experts on passenger data for six months"},
        done=lambda w: AssistanceOffer.objects.filter(recommendation=w.extra["recommendation"]).exists(),
    ),
    pm.PostRow(
        "cted:new_assessment",
        pm.everyone(403, wg_chair=pm.DONE),
        data=lambda w: {
            "state": pm.org("state:MAR").pk,
            "visit_type": "desk_review",
            "visit_start": "2025-01-10",
        },
        done=lambda w: Assessment.objects.filter(state=pm.org("state:MAR")).exists(),
    ),
    pm.PostRow(
        "cted:step",
        pm.everyone(404, **{**CTED_ONLY, "wg_chair": pm.DONE}),
        kwargs=pm.pk_of("assessment"),
        data=lambda w: {"step": ReportStage.DRAFT, "on": "2025-04-10"},
        done=lambda w: Assessment.objects.filter(stage=ReportStage.DRAFT).exists(),
    ),
    pm.PostRow(
        "cted:report",
        pm.everyone(404, **{**CTED_ONLY, "wg_chair": pm.DONE}),
        kwargs=pm.pk_of("assessment"),
        data=lambda w: {"report": w.extra["report"].pk},
        done=lambda w: Assessment.objects.filter(report=w.extra["report"]).exists(),
    ),
    pm.PostRow(
        "cted:new_recommendation",
        pm.everyone(404, **{**CTED_ONLY, "wg_chair": pm.DONE}),
        kwargs=pm.pk_of("assessment"),
        data=lambda w: {"text": NEW_NEED, "projects": [w.extra["answer"].pk]},
        done=lambda w: Recommendation.objects.filter(text=NEW_NEED, assistance_status="matched").exists(),
    ),
    pm.PostRow(
        "cted:edit_recommendation",
        pm.everyone(404, **{**CTED_ONLY, "wg_chair": pm.DONE}),
        kwargs=pm.pk_of("recommendation"),
        data=lambda w: {"text": pm.EDITED, "is_priority": "on", "projects": [w.extra["answer"].pk]},
        done=lambda w: Recommendation.objects.filter(
            pk=w.extra["recommendation"].pk, text=pm.EDITED
        ).exists(),
    ),
]

POST_ROWS += [
    pm.PostRow(
        "cted:import",
        pm.everyone(403, wg_chair=pm.DONE),
        data=_upload,
        done=lambda w: RecommendationImport.objects.filter(filename="matrix.csv").exists(),
    ),
    pm.PostRow(
        "cted:import_preview",
        pm.everyone(403, wg_chair=pm.DONE),
        label="save all",
        kwargs=_token("cted_import_save_all"),
        data=lambda w: {"action": "save_all"},
        done=_recorded(IMPORTED_ALL),
    ),
    pm.PostRow(
        "cted:import_preview",
        pm.everyone(403, wg_chair=pm.DONE),
        label="save valid",
        kwargs=_token("cted_import_save_valid"),
        data=lambda w: {"action": "save_valid"},
        done=_recorded(IMPORTED_VALID),
    ),
]
