from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    """Discussion threads and replies for an audience (a Working Group's space, mostly), with mentions,
    attachments from the library, edit history and moderation."""

    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from discussions import rules  # noqa: F401 -- registers the app's content rules
