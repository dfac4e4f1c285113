from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API's building blocks — personal access tokens, their scopes and rate limits, the paging,
    the base views every app's ``api.py`` builds on — and the pages where people manage their tokens.

    It sits just above the directory (it knows people) and below the content apps (each app serves its own
    endpoints from its own ``api.py``, through its own selectors, rules and services); the project gathers
    those endpoints under ``/api/v1/`` (compact_platform/api.py)."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import schema  # noqa: F401 -- registers the token authentication with drf-spectacular
