"""The REST API under ``/api/v1/``: every app's endpoints (its ``api.py`` lists them in ``ROUTES``), the
OpenAPI schema, and its reference page (Swagger UI, served from the vendored sidecar package — no CDN;
not Redoc, whose page loads its logo from redoc.ly's servers).

The version is in the address: a change that breaks a client gets ``/api/v2/`` next to v1, never an edit
of v1 in place.
"""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

#: The apps serving endpoints, in the schema's order.
API_APPS = (
    "directory", "library", "calendar_app", "discussions", "notices", "planning", "projects", "appeal",
    "cted", "support", "countries",
)  # fmt: skip


class Router(DefaultRouter):
    include_root_view = False  # the schema and its reference pages are the API's index
    include_format_suffixes = False  # JSON only: one address per resource


def routes():
    router = Router()
    for app in API_APPS:
        for prefix, viewset, basename in import_module(f"{app}.api").ROUTES:
            router.register(prefix, viewset, basename=basename)
    return router.urls


app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(routes())),
]
