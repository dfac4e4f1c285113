from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """The Matrix of UN projects on preventing and countering terrorism: what each Compact entity runs, by
    pillar, theme and country, with its money — so that the Compact can coordinate and avoid duplication."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from projects import rules  # noqa: F401 -- registers the projects' content rules
