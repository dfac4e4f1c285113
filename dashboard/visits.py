"""Counting visits without a database write per request, and without keeping who visited.

**What is counted**, per UTC day: *page views* (a page shown: an HTML answer 200 to a GET, signed in or not —
not static files, the health check, downloads, redirects or htmx fragments) and *visitors* (distinct
signed-in people who opened a page that day).

**How, cheaply.** ``VisitMiddleware`` adds one to a tally in the process's memory (a lock and an integer:
about a microsecond) and, for a signed-in person, their id to an in-memory set. At most every
``VISITS_FLUSH_SECONDS`` the tally is added to the cache's counters for the day (``cache.incr``: Redis in
production, shared by every process; the local-memory cache otherwise). A daily job
(``dashboard.services.roll_up_visits``) moves finished days from the cache into ``VisitDay`` rows. The
database sees one write per day, not one per page.

**Privacy.** No address, no user agent, no page and no per-person row is stored anywhere. To count a person
once a day across processes, their id is hashed (SHA-256) with a random salt of the day, kept in the cache
only and expiring with the day's keys (two days): once it is gone, nobody can tell whose hash a key was —
not even with the database and the secret key. The per-person keys (``visits:seen:<day>:<hash>``) expire
with it; the database only ever gets the day's two totals.

**Failure.** Redis down costs the counts of the outage (the tolerant cache skips the writes), never a page.
A process that stops cleanly hands its tally over; one that crashes loses at most its last
``VISITS_FLUSH_SECONDS`` of views. With the local-memory cache
(one process, the embedded set-up without Celery beat) a process rolls finished days up itself, once, when
its first page of a new day is counted.
"""

from __future__ import annotations

import atexit
import hashlib
import secrets
import threading
import time
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache

#: How long the day's counters stay in the cache: the roll-up looks this far back, so a day missed while
#: the job could not run (beat down, a long outage) is still moved later.
COUNTER_DAYS = 8
#: How long a day's salt and per-person keys live: the day itself and late flushes, nothing more.
SALT_SECONDS = 2 * 86_400


def utc_today() -> date:
    return datetime.now(UTC).date()


def views_key(day: date) -> str:
    return f"visits:views:{day.isoformat()}"


def visitors_key(day: date) -> str:
    return f"visits:visitors:{day.isoformat()}"


def _seen_key(day: date, digest: str) -> str:
    return f"visits:seen:{day.isoformat()}:{digest}"


def _add(key: str, amount: int) -> None:
    """Add ``amount`` to a counter of the cache, creating it (with its expiry) if it is not there."""
    try:
        cache.incr(key, amount)
    except ValueError:  # not there yet: create it, unless another process just did
        if not cache.add(key, amount, COUNTER_DAYS * 86_400):
            cache.incr(key, amount)


class Tally:
    """This process's page views and signed-in visitors since its last flush, and what it already told the
    cache today (so that a person is looked up once per process and day, not once per flush)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.day: date | None = None
        self.views = 0
        self.people: set[int] = set()
        self.flushed: set[int] = set()
        self.salt = ""
        self.next_flush = 0.0

    def record(self, person: int | None, *, day: date, clock: float) -> None:
        """Count a page view of ``person`` (None when not signed in) on ``day``; flush when due."""
        with self.lock:
            if day != self.day:
                # A new day: what is pending belongs to the previous one.
                pending = self._take()
                self.day, self.flushed, self.salt = day, set(), ""
                self.next_flush = 0.0  # the new day's first page flushes at once (and rolls up, below)
            else:
                pending = None
            self.views += 1
            if person is not None and person not in self.flushed:
                self.people.add(person)
            due = clock >= self.next_flush
            if due:
                self.next_flush = clock + settings.VISITS_FLUSH_SECONDS
                now = self._take()
        if pending is not None:
            self._flush(*pending)
        if due:
            self._flush(*now)
            if pending is not None and pending[0] is not None:
                _day_ended()

    def _take(self) -> tuple[date | None, int, set[int]]:
        """What is pending, handed to a flush (under the lock); the tally starts again from nothing."""
        taken = (self.day, self.views, self.people)
        self.flushed |= self.people
        self.views, self.people = 0, set()
        return taken

    def _flush(self, day: date | None, views: int, people: set[int]) -> None:
        if day is None:
            return
        if views:
            _add(views_key(day), views)
        if people:
            salt = self._salt(day)
            for person in people:
                digest = hashlib.sha256(f"{salt}:{person}".encode()).hexdigest()[:32]
                # ``add`` is atomic in Redis (SET NX): two processes seeing the same person count them once.
                if cache.add(_seen_key(day, digest), 1, SALT_SECONDS):
                    _add(visitors_key(day), 1)

    def _salt(self, day: date) -> str:
        """The day's salt, shared by every process through the cache; a process keeps its own if the cache
        cannot tell (Redis down: the visitors of the outage are lost anyway)."""
        if day != self.day or not self.salt:
            key = f"visits:salt:{day.isoformat()}"
            cache.add(key, secrets.token_hex(16), SALT_SECONDS)
            salt = cache.get(key) or secrets.token_hex(16)
            if day != self.day:
                return salt
            self.salt = salt
        return self.salt

    def flush(self) -> None:
        """Hand what is pending to the cache now (a process that stops)."""
        with self.lock:
            pending = self._take()
        self._flush(*pending)


#: The process's tally; what it holds is handed to the cache when the process stops cleanly (a gunicorn
#: worker recycled, a deployment), so only a crash loses its last seconds.
TALLY = Tally()
atexit.register(lambda: TALLY.flush())


def _day_ended() -> None:
    """The first page of a new day in this process: roll finished days up (a job; idempotent, so the
    Celery beat schedule running it too is harmless) — the only way with the local-memory cache, which a
    worker in another process cannot read."""
    # Imported here: the task's module imports this one (through the services).
    from core.tasks import enqueue
    from dashboard.tasks import roll_up_visits

    enqueue(roll_up_visits)


def counted_on(days: list[date]) -> dict[date, tuple[int, int]]:
    """The cache's (views, visitors) of each of ``days`` it still holds, in one cache call."""
    found = cache.get_many([key for day in days for key in (views_key(day), visitors_key(day))])
    return {
        day: (found.get(views_key(day)) or 0, found.get(visitors_key(day)) or 0)
        for day in days
        if views_key(day) in found or visitors_key(day) in found
    }


def cached_days(today: date) -> list[date]:
    """The days whose counters may still be in the cache, oldest first, today last."""
    return [today - timedelta(days=back) for back in range(COUNTER_DAYS, -1, -1)]


class VisitMiddleware:
    """Counts the pages shown (see the module's docstring). Placed after WhiteNoise, so static files never
    reach it; the rest is decided on the answer, cheapest test first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = tuple(prefix for prefix in (settings.STATIC_URL, "/health/") if prefix)

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and "HX-Request" not in request.headers
            and not request.path.startswith(self.skipped)
        ):
            # The user is already loaded by the time a page is rendered: reading it costs no query.
            user = getattr(request, "user", None)
            person = user.pk if user is not None and user.is_authenticated else None
            TALLY.record(person, day=utc_today(), clock=time.monotonic())
        return response
