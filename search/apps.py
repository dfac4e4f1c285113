from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The one search box: people, organisations, resources, events, projects, CTED's recommendations and
    discussions, each group read through its own app's selector (docs/search.md)."""

    name = "search"
    verbose_name = _("Search")
