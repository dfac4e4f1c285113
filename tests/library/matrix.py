"""The library's URLs in the permission matrix (see tests/permission_matrix.py).

The world holds a resource only UNODC (focal_a's organisation) may see, with one file: its page, its
file and its title in search results are hidden (404 / absent) from every other role, the Secretariat
included. Writes are POST-only views, answered 405 to a GET once signed in.

The POST rows act on resources of CTED (wg_chair's organisation) that everyone may read: its people change,
share and trash them, every other reader gets a 403 — but UNDP's admin, who holds a "change" grant on one:
it edits that resource and adds files to it, and may still neither share nor trash it (the owner's).
The trash is managed by the owner organisation (restore) and its organisation admins (purge), and by the
Secretariat (both): a resource outside the trash one manages is a 404, one in it that one may not purge a
403.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from guardian.shortcuts import assign_perm

from directory.access import Visibility
from library import samples
from library.forms import ResourceForm
from library.models import Document, FileVersion, Resource
from tests import permission_matrix as pm

PRIVATE_TITLE = "Owner-only resource of UNODC"
NOT_OWNER = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], 404)
NEW_TITLE = "Resource added through the permission matrix"
API_TITLE = "Resource added through the API by the permission matrix"
HIDDEN = dict.fromkeys(NOT_OWNER, PRIVATE_TITLE)


def _resource_of(owner_key: str, title: str, visibility=Visibility.PLATFORM, **fields) -> Resource:
    return Resource.objects.create(
        title=title, resource_type="report", owner=pm.org(owner_key), visibility=visibility, **fields
    )


def _with_file(resource: Resource) -> FileVersion:
    """One document with one stored PDF version (its text never extracted: the matrix reads no text)."""
    document = Document.objects.create(resource=resource, language="en")
    version = FileVersion(
        document=document, number=1, original_name="report.pdf", kind="pdf", content_type="application/pdf",
        size=1, sha256="0" * 64,
    )  # fmt: skip
    version.file.save("report.pdf", ContentFile(samples.pdf_bytes(resource.title, ["Text."])), save=False)
    version.size = version.file.size
    version.save()
    return version


def build(world) -> None:
    resource = _resource_of("entity:UNODC", PRIVATE_TITLE, Visibility.OWNER)
    world.extra["resource"] = resource
    world.extra["version"] = _with_file(resource)
    # for the POST rows: CTED's resources, read by everyone, each destructive row its own
    cted_resource = _resource_of("entity:CTED", "Platform resource of CTED")
    world.extra["cted_resource"] = cted_resource
    assign_perm("library.change_resource", world.users["org_admin"], cted_resource)
    pm.shared_beforehand(cted_resource)
    world.extra["cted_document"] = _with_file(cted_resource).document
    world.extra["to_trash"] = _resource_of("entity:CTED", "CTED resource to trash")
    # for the API's writes: one object per row (each row's change must not be done before it is posted)
    for name in ("api_put", "api_patch", "api_delete"):
        world.extra[name] = _resource_of("entity:CTED", f"CTED resource for {name}")
        assign_perm("library.change_resource", world.users["org_admin"], world.extra[name])
    trashed = {"deleted_at": timezone.now(), "deleted_by": world.users["wg_chair"]}
    world.extra["to_restore"] = _resource_of("entity:CTED", "CTED resource to restore", **trashed)
    world.extra["to_purge"] = _resource_of("entity:CTED", "CTED resource to purge", **trashed)


def _resource(world) -> dict:
    return {"pk": world.extra["resource"].pk}


def text_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


ROWS = [
    pm.Row("library:overview", pm.everyone(200)),
    pm.Row("library:search", pm.everyone(200), hidden=HIDDEN),
    pm.Row("library:new", pm.everyone(200)),
    pm.Row("library:resource", pm.everyone(200, **NOT_OWNER), kwargs=_resource),
    pm.Row("library:edit", pm.everyone(200, **NOT_OWNER), kwargs=_resource),
    pm.Row("library:share", pm.everyone(200, **NOT_OWNER), kwargs=_resource),
    pm.Row("library:download", pm.everyone(200, **NOT_OWNER), kwargs=lambda w: {"pk": w.extra["version"].pk}),
    # POST-only writes: a GET is refused before the object is looked at
    pm.Row("library:add_document", pm.everyone(405), kwargs=_resource),
    pm.Row("library:trash_resource", pm.everyone(405), kwargs=_resource),
    pm.Row("library:add_version", pm.everyone(405), kwargs=lambda w: {"pk": w.extra["version"].document_id}),
    pm.Row("library:restore", pm.everyone(405), kwargs=_resource),
    pm.Row("library:purge", pm.everyone(405), kwargs=_resource),
    pm.Row("library:trash", pm.everyone(200)),
    # the API: the same audience, a 401 instead of the sign-in page
    pm.Row("api:library-resource-list", pm.everyone(200, anonymous=401), hidden=HIDDEN),
    pm.Row("api:library-resource-detail", pm.everyone(200, anonymous=401, **NOT_OWNER), kwargs=_resource),
    pm.Row(
        "api:library-file-download",
        pm.everyone(200, anonymous=401, **NOT_OWNER),
        kwargs=lambda w: {"pk": w.extra["version"].pk},
    ),
]

#: CTED's people change its resources; every other reader is refused.
CTED_ONLY = pm.everyone(403, wg_chair=pm.DONE)
#: CTED's people and UNDP's admin, who holds a "change" grant on the resource.
EDITORS = pm.everyone(403, wg_chair=pm.DONE, org_admin=pm.DONE)

POST_ROWS = [
    # added in UNODC's name: only UNODC's people may choose it as the owner
    pm.PostRow(
        "library:new",
        pm.everyone(pm.REFUSED, focal_a=pm.DONE),
        data=lambda w: {
            "title": NEW_TITLE,
            "resource_type": "guidance",
            "publication_date": "2024-05-01",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
            "external_url": "https://www.un.org/counterterrorism/",
        },
        done=lambda w: Resource.objects.filter(title=NEW_TITLE).exists(),
    ),
    # the API: as the page, with 401 for a caller without credentials and 400 for a choice refused
    pm.PostRow(
        "api:library-resource-list",
        pm.everyone(400, anonymous=401, focal_a=pm.DONE),
        data=lambda w: {
            "title": API_TITLE,
            "resource_type": "report",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
            "files": text_file("api.txt", "Uploaded through the API."),
        },  # fmt: skip
        done=lambda w: Resource.objects.filter(title=API_TITLE, documents__isnull=False).exists(),
    ),
    pm.PostRow(
        "api:library-resource-detail",
        {**EDITORS, "anonymous": 401},
        method="patch",
        kwargs=pm.pk_of("api_patch"),
        data=lambda w: {"title": pm.EDITED},
        done=pm.edited(Resource, lambda w: w.extra["api_patch"].pk),
    ),
    pm.PostRow(
        "api:library-resource-detail",
        {**EDITORS, "anonymous": 401},
        method="put",
        kwargs=pm.pk_of("api_put"),
        data=lambda w: pm.form_body(
            ResourceForm(instance=Resource.objects.get(pk=w.extra["api_put"].pk), user=w.users["wg_chair"]),
            title=pm.EDITED,
        ),
        done=pm.edited(Resource, lambda w: w.extra["api_put"].pk),
    ),
    pm.PostRow(
        "api:library-resource-detail",
        {**CTED_ONLY, "anonymous": 401},
        method="delete",
        kwargs=pm.pk_of("api_delete"),
        done=lambda w: Resource.objects.filter(
            pk=w.extra["api_delete"].pk, deleted_at__isnull=False
        ).exists(),
    ),
    pm.PostRow(
        "library:edit",
        EDITORS,
        kwargs=pm.pk_of("cted_resource"),
        data=lambda w: pm.form_body(
            ResourceForm(
                instance=Resource.objects.get(pk=w.extra["cted_resource"].pk), user=w.users["wg_chair"]
            ),
            title=pm.EDITED,
        ),
        done=pm.edited(Resource, lambda w: w.extra["cted_resource"].pk),
    ),
    *pm.share_rows(
        "library:share",
        CTED_ONLY,
        kwargs=pm.pk_of("cted_resource"),
        get_object=lambda w: w.extra["cted_resource"],
    ),
    pm.PostRow(
        "library:add_document",
        EDITORS,
        kwargs=pm.pk_of("cted_resource"),
        data=lambda w: {"file": text_file("annex.txt", "An annex added by the matrix."), "label": "Annex"},
        done=lambda w: Document.objects.filter(resource=w.extra["cted_resource"], label="Annex").exists(),
    ),
    pm.PostRow(
        "library:add_version",
        EDITORS,
        kwargs=pm.pk_of("cted_document"),
        data=lambda w: {"file": text_file("report-v2.txt", "The second version, by the matrix.")},
        done=lambda w: FileVersion.objects.filter(document=w.extra["cted_document"], number=2).exists(),
    ),
    pm.PostRow(
        "library:trash_resource",
        CTED_ONLY,
        kwargs=pm.pk_of("to_trash"),
        done=lambda w: Resource.objects.filter(pk=w.extra["to_trash"].pk, deleted_at__isnull=False).exists(),
    ),
    pm.PostRow(
        "library:restore",
        pm.everyone(404, wg_chair=pm.DONE, secretariat=pm.DONE),
        kwargs=pm.pk_of("to_restore"),
        done=lambda w: Resource.objects.filter(pk=w.extra["to_restore"].pk, deleted_at__isnull=True).exists(),
    ),
    # in CTED's trash for wg_chair, who is no organisation admin: 403
    pm.PostRow(
        "library:purge",
        pm.everyone(404, wg_chair=403, secretariat=pm.DONE),
        kwargs=pm.pk_of("to_purge"),
        done=lambda w: not Resource.objects.filter(pk=w.extra["to_purge"].pk).exists(),
    ),
]
