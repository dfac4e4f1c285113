from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """The Matrix of UN projects on preventing and countering terrorism: what each Compact entity runs, by
    pillar, theme and country, with its money — so that the Compact can coordinate and avoid duplication."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from directory.sections import register_organization_section
        from projects import rules  # noqa: F401 -- registers the projects' content rules
        from projects.selectors import organization_section

        register_organization_section("projects/includes/summary.html", organization_section, order=30)
