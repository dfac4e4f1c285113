"""What each app's ``bench.py`` plugs into ``python manage.py bench`` (compact_platform.benchmarking runs
them and writes docs/benchmarks.md): the scale of the data set, the pages and queries to time, and a way to
write bench rows without their audit rows. Kept here, in the lowest layer, so that apps never import the
project package above them.

Each app's ``bench.py`` may define ``generate(scale: Scale, write)`` (make its part of the data set) and
``measurements(scale: Scale, write)`` (an iterable of ``Page`` and ``Query`` to time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pgtrigger


def ignoring_audit(*labels: str, models: tuple = ()):
    """``pgtrigger.ignore`` for the audit triggers of these apps (or of these models): bench rows are
    synthetic, and an audit row per bench row would double the work."""
    uris = [
        trigger.get_uri(model)
        for model, trigger in pgtrigger.registered()
        if model._meta.app_label in labels or model in models
    ]
    return pgtrigger.ignore(*uris)


@dataclass(frozen=True)
class Scale:
    """How big the data set is; the defaults are what the issues' performance targets are stated for."""

    users: int = 20_000
    #: Active organisations: the reference data's, then synthetic ones up to this number.
    organizations: int = 500
    #: The sizes the notices list (the reference ``visible_to`` list) is timed at, in growing order.
    notices: tuple[int, ...] = (100_000, 1_000_000)
    #: Library resources, with extracted text of realistic length.
    resources: int = 100_000
    #: Calendar events (a tenth of them recurring).
    events: int = 50_000
    #: Projects of the matrix.
    projects: int = 20_000
    #: Projects appealed for in the Multi-Year Appeal's three cycles (from the projects of the matrix).
    appeal_projects: int = 5_000
    #: Entries of the Appeal's ledger (pledges, commitments, payments, corrections).
    flows: int = 200_000
    #: CTED's recommendations, over the 193 Member States' assessments.
    recommendations: int = 70_000
    #: Rows of the projects' timed spreadsheet import (the issue's figure: 10,000 within a minute).
    import_rows: int = 10_000


@dataclass(frozen=True)
class Page:
    """One page to time: who asks for it (None = anonymous) and what the data set holds for it."""

    name: str
    url: str
    user: Callable[[], object] | None = None
    data: str = ""
    expected_status: int = 200
    #: The issue's target for the median, shown beside the measurement (never asserted: machines vary).
    target_ms: float | None = None
    #: At most this many timed runs (for what takes seconds), whatever ``--runs`` says.
    max_runs: int | None = None


@dataclass(frozen=True)
class Query:
    """One database call to time, as a page makes it: ``run`` must evaluate it (list(), count...)."""

    name: str
    run: Callable[[], object]
    data: str = ""
    target_ms: float | None = None
    max_runs: int | None = None
