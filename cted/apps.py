from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CtedConfig(AppConfig):
    """CTED's country assessments and technical-assistance recommendations, shared only as the Member State
    concerned consents, and linked to the projects that answer them and the money behind those
    (docs/cted.md)."""

    name = "cted"
    verbose_name = _("CTED assessments")

    def ready(self):
        from cted.selectors import organization_section
        from directory.sections import register_organization_section

        register_organization_section("cted/includes/organization.html", organization_section, order=20)
