from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    """A Member State's page — "country-specific information on CT priorities, challenges and good
    practices" — and its brief: the State's own versioned profile, then what the other apps hold about the
    country (CTED's assessments, projects, Appeal funding, events, documents, the State's showcase), each as
    far as the reader may see it."""

    name = "countries"
    verbose_name = _("Member State pages")

    def ready(self):
        from countries import sections
        from directory.sections import register_organization_section

        for template, context, order in sections.REGISTERED:
            register_organization_section(template, context, order=order)
