"""The projects' fixed lists: UN M49 regions, the currencies budgets are given in, and SDG targets. The
thematic areas are data (projects.ThematicArea, first loaded by the migration 0002_thematic_areas)."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The UN Statistics Division's M49 regions (their numeric codes)."""

    AFRICA = "002", _("Africa")
    AMERICAS = "019", _("Americas")
    ASIA = "142", _("Asia")
    EUROPE = "150", _("Europe")
    OCEANIA = "009", _("Oceania")


#: A project for every country, beside the regions.
GLOBAL = _("Global")

#: ISO 4217 codes of the currencies the Compact's budgets and contributions are given in.
CURRENCIES = [
    ("USD", _("US dollar")),
    ("EUR", _("Euro")),
    ("GBP", _("Pound sterling")),
    ("CHF", _("Swiss franc")),
    ("JPY", _("Japanese yen")),
    ("CAD", _("Canadian dollar")),
    ("AUD", _("Australian dollar")),
    ("NOK", _("Norwegian krone")),
    ("SEK", _("Swedish krona")),
    ("DKK", _("Danish krone")),
    ("NZD", _("New Zealand dollar")),
    ("CNY", _("Chinese yuan")),
    ("KRW", _("South Korean won")),
    ("INR", _("Indian rupee")),
    ("RUB", _("Russian rouble")),
    ("SAR", _("Saudi riyal")),
    ("QAR", _("Qatari riyal")),
    ("AED", _("UAE dirham")),
    ("KWD", _("Kuwaiti dinar")),
    ("TRY", _("Turkish lira")),
    ("BRL", _("Brazilian real")),
    ("MXN", _("Mexican peso")),
    ("ZAR", _("South African rand")),
]

#: An SDG target: goal 1–17, then a number or a letter (16.1, 16.4, 16.a).
SDG_TARGET = re.compile(r"^(?:[1-9]|1[0-7])\.(?:[1-9][0-9]?|[a-d])$")

#: IATI's rule for an activity identifier: the reporting organisation's reference, a hyphen, its own id;
#: no white space and none of / & | ? (they break the registry's URLs).
IATI_IDENTIFIER = r"^[^\s/&|?]+-[^\s/&|?]+$"
