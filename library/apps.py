from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The thematic resource library: documents shared for an audience, with versions, extracted text and
    full-text search inside the files."""

    name = "library"
    verbose_name = _("Resource library")

    def ready(self):
        from library import rules  # noqa: F401 -- registers the app's content rules
