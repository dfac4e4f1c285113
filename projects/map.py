"""Projects by beneficiary country, for the world map and the table beside it: how many projects, and their
budgets in US dollars, for the projects the reader may see under the list's filters.

One query: the filtered projects' ``countries`` arrays unnested and grouped in PostgreSQL. A project for
several countries counts in each of them with its whole budget (as a project under two pillars does in the
matrix), so the countries' figures do not add up to the list's total; regional and global projects are on
no country. Budgets without a dollar rate are left out of the sums, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import CharField, Count, F, Func, QuerySet, Sum

from directory import countries
from directory.selectors import registry_names
from projects.models import Project


@dataclass(frozen=True)
class CountryFigures:
    iso3: str
    name: str
    #: ISO 3166-1 numeric code: the id of the country's shape in world-atlas (None for a code ISO lacks).
    numeric: str | None
    projects: int
    usd: Decimal
    #: The list's query string for these filters and this country.
    link: str

    def as_json(self) -> dict:
        return {
            "iso3": self.iso3,
            "numeric": self.numeric,
            "name": self.name,
            "projects": self.projects,
            "usd": f"{self.usd:.2f}",
            "link": self.link,
        }


def country_counts(projects: QuerySet[Project]) -> list[tuple[str, int, Decimal]]:
    """(ISO3, projects, US dollars) for each country of ``projects``, in one query."""
    rows = (
        projects.order_by()
        .annotate(country=Func(F("countries"), function="unnest", output_field=CharField()))
        .values("country")
        .annotate(n=Count("pk"), usd=Sum("budget_usd"))
        .values_list("country", "n", "usd")
    )
    return [(iso3, n, usd or Decimal(0)) for iso3, n, usd in rows]


def by_country(projects: QuerySet[Project], query) -> list[CountryFigures]:
    """Each country's figures, most projects first (then by name), each with a link to the list filtered by
    it and by ``query`` (the list's other filters)."""
    names = registry_names("country")
    others = [(name, value) for name, value in query.items() if name not in ("country", "page", "format")]
    figures = [
        CountryFigures(
            iso3=iso3,
            name=names.get(iso3, iso3),
            numeric=countries.numeric(iso3),
            projects=n,
            usd=usd,
            link="?" + urlencode([*others, ("country", iso3)]),
        )
        for iso3, n, usd in country_counts(projects)
    ]
    figures.sort(key=lambda figure: (-figure.projects, figure.name.lower()))
    return figures
