from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """Requests for tailored support: a Member State or a regional organisation asks the Compact for help on
    a theme, Compact entities and Working Group chairs offer it, the asker accepts one offer
    (docs/support.md)."""

    name = "support"
    verbose_name = _("Requests for support")

    def ready(self):
        from directory.sections import register_organization_section
        from support import rules  # noqa: F401 -- registers the requests' content rules
        from support.selectors import organization_section

        register_organization_section("support/includes/organization.html", organization_section, order=25)
