"""The projects' URLs in the permission matrix (see tests/permission_matrix.py).

The world holds a project only UNODC (focal_a's organisation) may see: its page, edit and share pages are
404 for every other role, the Secretariat included, and its title is absent from their lists and their
matrix, and so is its possible overlap with a CTED project (the pair's page, the Secretariat's report).
The POST rows act on a project of CTED (wg_chair's organisation) that everyone may read: CTED's
people edit and share it, UNDP's admin, who holds a "change" grant, edits it but may not share it, every
other reader gets a 403.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.shortcuts import assign_perm

from directory.access import Visibility
from projects import indexing
from projects.forms import ProjectForm
from projects.imports.iati import read_activities
from projects.imports.spreadsheet import Table
from projects.imports.staging import stage_iati, stage_spreadsheet
from projects.models import Project, ProjectImport, ProjectOverlap, ThematicArea
from tests import permission_matrix as pm

PRIVATE_TITLE = "Owner-only project of UNODC"
NOT_OWNER = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], 404)
HIDDEN = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], PRIVATE_TITLE)
NEW_TITLE = "Project added through the permission matrix"
API_TITLE = "Project added through the API by the permission matrix"
#: The country of an owner-only UNODC project, and of no other project: absent from others' map and figures.
PRIVATE_COUNTRY = ("TUV", "Tuvalu")


def build(world) -> None:
    # Three projects on gender in Kenya: CTED's overlaps UNODC's private one and UNDP's public one.
    gender = ThematicArea.objects.get(name="Gender")
    private, cted_project, undp_project = (
        Project.objects.create(title=title, owner=pm.org(lead), visibility=visibility, countries=["KEN"])
        for title, lead, visibility in (
            (PRIVATE_TITLE, "entity:UNODC", Visibility.OWNER),
            ("Platform project of CTED", "entity:CTED", Visibility.PLATFORM),
            ("Platform project of UNDP", "entity:UNDP", Visibility.PLATFORM),
        )
    )
    for project in (private, cted_project, undp_project):
        project.themes.set([gender])
    indexing.refresh([private.pk, cted_project.pk, undp_project.pk])
    Project.objects.create(
        title=f"{PRIVATE_TITLE} in {PRIVATE_COUNTRY[1]}", owner=pm.org("entity:UNODC"),
        visibility=Visibility.OWNER, countries=[PRIVATE_COUNTRY[0]], budget=1, budget_usd=1, facet_keys=[],
    )  # fmt: skip
    assign_perm("projects.change_project", world.users["org_admin"], cted_project)
    pm.shared_beforehand(cted_project)
    # for the API's writes: one project of CTED per row (each row's change must not be done before it is sent)
    for name in ("project_api_put", "project_api_patch"):
        world.extra[name] = Project.objects.create(
            title=f"CTED project for {name}", owner=pm.org("entity:CTED"), visibility=Visibility.PLATFORM
        )
        assign_perm("projects.change_project", world.users["org_admin"], world.extra[name])
    world.extra.update(
        project=private,
        cted_project=cted_project,
        private_overlap=ProjectOverlap.objects.get(first=private, second=cted_project),
        public_overlap=ProjectOverlap.objects.get(first=cted_project, second=undp_project),
    )
    build_imports(world)


def _cted_project(world) -> Project:
    return Project.objects.get(pk=world.extra["cted_project"].pk)


def _project(world) -> dict:
    return {"pk": world.extra["project"].pk}


ROWS = [
    pm.Row("projects:list", pm.everyone(200), hidden=HIDDEN),
    pm.Row("projects:matrix", pm.everyone(200), hidden=dict.fromkeys(HIDDEN, "UNODC")),
    pm.Row("projects:matrix_countries", pm.everyone(200), hidden=dict.fromkeys(HIDDEN, PRIVATE_COUNTRY[1])),
    pm.Row("projects:overlaps", pm.secretariat_only(), hidden={"secretariat": PRIVATE_TITLE}),
    # a pair is read by those who may read both its projects: the private one's owners only
    pm.Row("projects:overlap", pm.everyone(200, **NOT_OWNER), kwargs=pm.pk_of("private_overlap")),
    pm.Row("projects:new", pm.everyone(200)),
    # the export without a format is the CSV of the whole list: the owner-only projects are in no one else's
    pm.Row("projects:export", pm.everyone(200), hidden=HIDDEN),
    pm.Row("projects:map", pm.everyone(200), hidden=dict.fromkeys(HIDDEN, PRIVATE_COUNTRY[1])),
    pm.Row("projects:map_data", pm.everyone(200), hidden=dict.fromkeys(HIDDEN, PRIVATE_COUNTRY[0])),
    pm.Row("projects:detail", pm.everyone(200, **NOT_OWNER), kwargs=_project),
    pm.Row("projects:edit", pm.everyone(200, **NOT_OWNER), kwargs=_project),
    pm.Row("projects:share", pm.everyone(200, **NOT_OWNER), kwargs=_project),
    # the API: the same audience, a 401 instead of the sign-in page
    pm.Row("api:projects-project-list", pm.everyone(200, anonymous=401), hidden=HIDDEN),
    pm.Row("api:projects-project-detail", pm.everyone(200, anonymous=401, **NOT_OWNER), kwargs=_project),
]

#: CTED's people and UNDP's admin, who holds a "change" grant on the project, edit it; others may not.
EDITORS = pm.everyone(403, anonymous=401, wg_chair=pm.DONE, org_admin=pm.DONE)

POST_ROWS = [
    # added in UNODC's name: only UNODC's people may choose it as the lead entity
    pm.PostRow(
        "projects:new",
        pm.everyone(pm.REFUSED, focal_a=pm.DONE),
        data=lambda w: {
            "title": NEW_TITLE,
            "status": "ongoing",
            "currency": "USD",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Project.objects.filter(title=NEW_TITLE).exists(),
    ),
    # the API: as the page, with 401 for a caller without credentials and 400 for a lead entity refused
    pm.PostRow(
        "api:projects-project-list",
        pm.everyone(400, anonymous=401, focal_a=pm.DONE),
        data=lambda w: {
            "title": API_TITLE,
            "status": "ongoing",
            "currency": "USD",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Project.objects.filter(title=API_TITLE).exists(),
    ),
    pm.PostRow(
        "api:projects-project-detail",
        EDITORS,
        method="patch",
        kwargs=pm.pk_of("project_api_patch"),
        data=lambda w: {"title": pm.EDITED},
        done=pm.edited(Project, lambda w: w.extra["project_api_patch"].pk),
    ),
    pm.PostRow(
        "api:projects-project-detail",
        EDITORS,
        method="put",
        kwargs=pm.pk_of("project_api_put"),
        data=lambda w: pm.form_body(
            ProjectForm(
                instance=Project.objects.get(pk=w.extra["project_api_put"].pk), user=w.users["wg_chair"]
            ),
            title=pm.EDITED,
        ),
        done=pm.edited(Project, lambda w: w.extra["project_api_put"].pk),
    ),
    pm.PostRow(
        "projects:edit",
        pm.everyone(403, wg_chair=pm.DONE, org_admin=pm.DONE),
        kwargs=pm.pk_of("cted_project"),
        data=lambda w: pm.form_body(
            ProjectForm(
                instance=Project.objects.get(pk=w.extra["cted_project"].pk), user=w.users["wg_chair"]
            ),
            title=pm.EDITED,
        ),
        done=pm.edited(Project, lambda w: w.extra["cted_project"].pk),
    ),
    # either lead entity's people give a verdict; other readers may not
    pm.PostRow(
        "projects:overlap",
        pm.everyone(403, wg_chair=pm.DONE, org_admin=pm.DONE),
        kwargs=pm.pk_of("public_overlap"),
        data=lambda w: {"verdict": "coordinated", "note": "One joint workplan."},
        done=lambda w: ProjectOverlap.objects.filter(
            pk=w.extra["public_overlap"].pk, verdict="coordinated"
        ).exists(),
    ),
    *pm.share_rows(
        "projects:share",
        pm.everyone(403, wg_chair=pm.DONE),
        kwargs=pm.pk_of("cted_project"),
        get_object=lambda w: w.extra["cted_project"],
    ),
]


# --- Imports: a staged import is its uploader's alone (404 for anyone else, the same as no such token) ------

IMPORT_HEADER = ["Title", "Lead entity", "Countries"]
IMPORTED_ALL = "Imported through the permission matrix (all rows)"
IMPORTED_VALID = "Imported through the permission matrix (valid rows)"
IATI_IDENTIFIER = "XM-DAC-41114-MATRIX-1"
IATI_FILE = f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03"><iati-activity default-currency="USD">
  <iati-identifier>{IATI_IDENTIFIER}</iati-identifier>
  <title><narrative>Activity imported through the permission matrix</narrative></title>
  <activity-status code="2"/><recipient-country code="ML"/><sector vocabulary="1" code="15210"/>
</iati-activity></iati-activities>""".encode()


def _stage(world, rows: list[list[str]]):
    table = Table(rows=[dict(zip(["title", "lead", "countries"], r, strict=True)) for r in rows],
                  numbers=list(range(2, len(rows) + 2)))  # fmt: skip
    return stage_spreadsheet(
        by=world.users["focal_a"], filename="staged.csv", table=table, visibility="platform"
    )


def _stage_iati(world):
    activities = read_activities(SimpleUploadedFile("staged.xml", IATI_FILE))
    return stage_iati(by=world.users["focal_a"], filename="staged.xml", activities=activities,
                      lead=pm.org("entity:UNODC"), visibility="platform", rates={})  # fmt: skip


def build_imports(world) -> None:
    world.extra["import_preview"] = _stage(world, [["Previewed", "UNODC", "MLI"]])
    world.extra["import_save_all"] = _stage(world, [[IMPORTED_ALL, "UNODC", "MLI"]])
    world.extra["import_save_valid"] = _stage(
        world, [[IMPORTED_VALID, "UNODC", "MLI"], ["Bad", "UNODC", "Atlantis"]]
    )
    world.extra["iati_preview"] = _stage_iati(world)
    world.extra["iati_save"] = _stage_iati(world)


def _token(name: str):
    return lambda w: {"token": w.extra[name].token}


def _upload(name: str, content: bytes, **fields):
    return lambda w: {"file": SimpleUploadedFile(name, content), "visibility": Visibility.PLATFORM, **fields}


def _staged_upload(filename: str):
    return lambda w: (
        ProjectImport.objects.filter(uploaded_by=w.actor, filename=filename).exists() if w.actor else False
    )


ROWS += [
    pm.Row("projects:import", pm.everyone(200)),
    pm.Row("projects:import_iati", pm.everyone(200)),
    pm.Row("projects:import_template", pm.everyone(200), kwargs=lambda w: {"format": "xlsx"}),
    # someone else's staged import is a 404 for everyone but its uploader (focal_a, of UNODC)
    pm.Row("projects:import_preview", pm.everyone(404, focal_a=200), kwargs=_token("import_preview")),
    pm.Row("projects:import_iati_preview", pm.everyone(404, focal_a=200), kwargs=_token("iati_preview")),
]

POST_ROWS += [
    # anyone with an organisation may upload and check a file (the rows name their lead; the preview says
    # which rows they may not add); someone of no organisation is told why
    pm.PostRow(
        "projects:import",
        pm.everyone(pm.DONE, outsider=pm.REFUSED),
        data=lambda w: _upload("matrix.csv", b"Title,Lead entity\nMatrix upload,UNODC\n")(w),
        done=_staged_upload("matrix.csv"),
    ),
    # an IATI file is read for a lead entity chosen among one's own organisations: UNODC is focal_a's only
    pm.PostRow(
        "projects:import_iati",
        pm.everyone(pm.REFUSED, focal_a=pm.DONE),
        data=lambda w: _upload("matrix.xml", IATI_FILE, lead=pm.org("entity:UNODC").pk, rates="")(w),
        done=_staged_upload("matrix.xml"),
    ),
    pm.PostRow(
        "projects:import_preview",
        pm.everyone(404, focal_a=pm.DONE),
        label="save all",
        kwargs=_token("import_save_all"),
        data=lambda w: {"action": "save_all"},
        done=lambda w: Project.objects.filter(title=IMPORTED_ALL).exists(),
    ),
    pm.PostRow(
        "projects:import_preview",
        pm.everyone(404, focal_a=pm.DONE),
        label="save valid",
        kwargs=_token("import_save_valid"),
        data=lambda w: {"action": "save_valid"},
        done=lambda w: Project.objects.filter(title=IMPORTED_VALID).exists(),
    ),
    pm.PostRow(
        "projects:import_iati_preview",
        pm.everyone(404, focal_a=pm.DONE),
        kwargs=_token("iati_save"),
        data=lambda w: {"activity": ["1"]},
        done=lambda w: Project.objects.filter(iati_identifier=IATI_IDENTIFIER).exists(),
    ),
]
