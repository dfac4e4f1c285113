from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealConfig(AppConfig):
    """The UN Multi-Year Appeal for Counter-Terrorism: appeal cycles, the projects of the matrix appealed for
    with their yearly requirements, and the ledger of donors' pledges, commitments and paid contributions
    that their coverage is computed from (docs/appeal.md)."""

    name = "appeal"
    verbose_name = _("Multi-Year Appeal")
