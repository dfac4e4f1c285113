from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Domain-free building blocks: embedded PostgreSQL, health, background jobs, base templates."""

    name = "core"
    verbose_name = _("Core")
