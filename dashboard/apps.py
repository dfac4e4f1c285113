from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The landing page, the signed-in home, and later Member State pages, statistics and global search."""

    name = "dashboard"
    verbose_name = _("Dashboard")
