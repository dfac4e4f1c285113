from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The registry (users, organisations, memberships, pillars, Working Groups) and the contact directory."""

    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from directory import indexing, signals  # noqa: F401 -- connect the index and security receivers
