"""showcase's part of ``bench``: the public pages, as an anonymous visitor, rendered (not from the cache).

The bench's data set draws no public rows: these time the public rule's probe of each big table (the
``visibility`` indexes) and the pages' fixed work, whatever the size."""

from django.urls import reverse

from core.benchmarking import Page, Scale


def measurements(scale: Scale, write) -> list[Page]:
    return [
        Page(
            "showcase: public projects, map and list (anonymous)",
            reverse("showcase:projects"),
            data="public projects",
        ),
        Page(
            "showcase: public projects, map data (anonymous)",
            reverse("showcase:map_data"),
            data="the bench's visibilities",
        ),
        Page(
            "showcase: public Appeal projects (anonymous)",
            reverse("showcase:appeal"),
            data="the bench's appeal projects",
        ),
        Page(
            "showcase: upcoming public events (anonymous)",
            reverse("showcase:events"),
            data="the bench's events",
        ),
        Page(
            "showcase: public documents (anonymous)",
            reverse("showcase:library"),
            data="the bench's resources",
        ),
    ]
