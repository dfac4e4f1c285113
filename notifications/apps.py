from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and their emails (immediately or in daily / weekly digests, per person and
    Working Group space)."""

    name = "notifications"
    verbose_name = _("Notifications")
