from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingGroupsConfig(AppConfig):
    """Working Group spaces, composed from the content apps; the WG registry itself is in directory."""

    name = "working_groups"
    verbose_name = _("Working Group spaces")
