"""The projects' URLs in the permission matrix (see tests/permission_matrix.py).

The world holds a project only UNODC (focal_a's organisation) may see: its page, edit and share pages are
404 for every other role, the Secretariat included, and its title is absent from their lists and their
matrix, and so is its possible overlap with a CTED project (the pair's page, the Secretariat's report).
The POST rows act on a project of CTED (wg_chair's organisation) that everyone may read: CTED's
people edit and share it, UNDP's admin, who holds a "change" grant, edits it but may not share it, every
other reader gets a 403.
"""

from __future__ import annotations

from guardian.shortcuts import assign_perm

from directory.access import Visibility
from projects import indexing
from projects.forms import ProjectForm
from projects.models import Project, ProjectOverlap, ThematicArea
from tests import permission_matrix as pm

PRIVATE_TITLE = "Owner-only project of UNODC"
NOT_OWNER = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], 404)
HIDDEN = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], PRIVATE_TITLE)
NEW_TITLE = "Project added through the permission matrix"
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
    world.extra.update(
        project=private,
        cted_project=cted_project,
        private_overlap=ProjectOverlap.objects.get(first=private, second=cted_project),
        public_overlap=ProjectOverlap.objects.get(first=cted_project, second=undp_project),
    )


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
]

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
