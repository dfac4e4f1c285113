"""The library's URLs in the permission matrix (see tests/permission_matrix.py).

The world holds a resource only UNODC (focal_a's organisation) may see, with one file: its page, its
file and its title in search results are hidden (404 / absent) from every other role, the Secretariat
included. Writes are POST-only views, answered 405 to a GET once signed in; their rules are tested in
tests/library/test_trash.py and test_resources.py.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from directory.access import Visibility
from directory.models import Organization
from library import samples
from library.models import Document, FileVersion, Resource
from tests.permission_matrix import Row, everyone

PRIVATE_TITLE = "Owner-only resource of UNODC"
NOT_OWNER = dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], 404)


def build(world) -> None:
    resource = Resource.objects.create(
        title=PRIVATE_TITLE,
        resource_type="report",
        owner=Organization.objects.get(reference_key="entity:UNODC"),
        visibility=Visibility.OWNER,
    )
    document = Document.objects.create(resource=resource, language="en")
    version = FileVersion(
        document=document, number=1, original_name="report.pdf", kind="pdf", content_type="application/pdf",
        size=1, sha256="0" * 64,
    )  # fmt: skip
    version.file.save("report.pdf", ContentFile(samples.pdf_bytes(PRIVATE_TITLE, ["Text."])), save=False)
    version.size = version.file.size
    version.save()
    world.extra["resource"] = resource
    world.extra["version"] = version


def _resource(world) -> dict:
    return {"pk": world.extra["resource"].pk}


ROWS = [
    Row("library:overview", everyone(200)),
    Row(
        "library:search",
        everyone(200),
        hidden=dict.fromkeys(["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"], PRIVATE_TITLE),
    ),
    Row("library:new", everyone(200)),
    Row("library:resource", everyone(200, **NOT_OWNER), kwargs=_resource),
    Row("library:edit", everyone(200, **NOT_OWNER), kwargs=_resource),
    Row("library:share", everyone(200, **NOT_OWNER), kwargs=_resource),
    Row("library:download", everyone(200, **NOT_OWNER), kwargs=lambda w: {"pk": w.extra["version"].pk}),
    # POST-only writes: a GET is refused before the object is looked at
    Row("library:add_document", everyone(405), kwargs=_resource),
    Row("library:trash_resource", everyone(405), kwargs=_resource),
    Row("library:add_version", everyone(405), kwargs=lambda w: {"pk": w.extra["version"].document_id}),
    Row("library:restore", everyone(405), kwargs=_resource),
    Row("library:purge", everyone(405), kwargs=_resource),
    Row("library:trash", everyone(200)),
]
