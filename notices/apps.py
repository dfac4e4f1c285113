from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Short notices an organisation posts for an audience: the first content app, and the reference
    implementation of the audience model every later content app follows."""

    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from notices import rules  # noqa: F401 -- registers the notices' content rules
