from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealConfig(AppConfig):
    """The UN Multi-Year Appeal for Counter-Terrorism: appeal cycles, the projects of the matrix appealed for
    with their yearly requirements, and the ledger of donors' pledges, commitments and paid contributions
    that their coverage is computed from (docs/appeal.md)."""

    name = "appeal"
    verbose_name = _("Multi-Year Appeal")

    def ready(self):
        from appeal.selectors import organization_section
        from directory.sections import register_organization_section

        register_organization_section("appeal/includes/organization.html", organization_section, order=40)
