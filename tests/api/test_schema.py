"""The API's OpenAPI schema: it builds without a warning and validates, it is for signed-in people only, its
reference pages load nothing from outside the platform, and it describes every route the API serves."""

from __future__ import annotations

import re
from io import StringIO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from compact_platform.api import routes
from tests.api.support import bearer
from tests.conftest import signed_in

SCHEMA = reverse("api:schema")


def test_the_schema_builds_without_warnings_and_validates(tmp_path):
    # --fail-on-warn: a serializer field the generator cannot type, a view it cannot describe, fail here
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO())
    assert out.read_text().startswith("openapi: 3.")


def test_the_schema_is_for_signed_in_people_and_tokens(unodc_person):
    assert Client().get(SCHEMA).status_code == 401
    for client in (signed_in(unodc_person), bearer(unodc_person, "library:read")):
        response = client.get(SCHEMA, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert response.json()["info"]["title"] == "Compact Platform API"


def test_the_reference_page_loads_its_assets_from_our_static_files(unodc_person):
    """Swagger UI only: Redoc's page loads its logo from redoc.ly's servers, so it is not served."""
    assert Client().get(reverse("api:docs")).status_code == 401
    response = signed_in(unodc_person).get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    # no CDN: nothing in the page names another site
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE), html
    assets = re.findall(rf"""["']({re.escape(settings.STATIC_URL)}[^"']+)["']""", html)
    assert any(asset.endswith(".js") for asset in assets), html
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset


def _openapi_path(pattern: str) -> str:
    """``^library/resources/(?P<pk>[0-9]+)/$`` → ``/api/v1/library/resources/{id}/``, as the schema names
    it (drf-spectacular calls a detail's ``pk`` ``id``)."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: "{%s}" % match[1], pattern.strip("^$"))  # noqa: UP031
    return "/api/v1/" + route.replace("{pk}", "{id}")


def test_every_route_of_the_api_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    described = {(path, method) for path, operations in schema["paths"].items() for method in operations}
    served = {
        (_openapi_path(str(url.pattern)), method)
        for url in routes()
        for method in url.callback.actions
        if method not in {"head", "options"}
    }
    assert served, "the API serves no route"
    assert served - described == set()
    # and the schema describes nothing the API does not serve
    assert {path for path, _method in described} == {path for path, _method in served}
