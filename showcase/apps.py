from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    """The public showcase: pages anyone may open without signing in, showing exactly the items their owners
    made public (docs/showcase.md)."""

    name = "showcase"
    verbose_name = _("Public showcase")
