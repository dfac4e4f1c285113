from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    """The Secretariat's bi-monthly and annual newsletters: compiled from a period's data, edited, previewed,
    sent to every subscriber in batches by a background job, and kept in an archive (docs/newsletters.md)."""

    name = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from newsletters import rules  # noqa: F401 -- declares the audit trail's administrative records
