from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Joint planning and prioritisation: Working Group workplans, prioritisation rounds, the cross-WG
    timeline, and the Working Groups' progress reports."""

    name = "planning"
    verbose_name = _("Joint planning and reporting")

    def ready(self):
        from planning import rules  # noqa: F401 -- registers the app's content rules
