"""The newsletters' tests: issues opened and sent as the Secretariat does, and e-mail backends that fail."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from newsletters import services
from newsletters.models import Kind, Newsletter


def open_issue(by, *, start=date(2027, 3, 1), end=date(2027, 4, 30), kind=Kind.BIMONTHLY) -> Newsletter:
    return services.open_period(kind=kind, start=start, end=end, by=by)


class CrashingBackend(EmailBackend):
    """The mail server takes ``CRASH_AFTER`` messages, then takes one more and the process "dies" before
    the platform hears back: the message is in the outbox, the job fails — the crash window."""

    CRASH_AFTER: int | None = None
    taken = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        CrashingBackend.taken += sent
        if self.CRASH_AFTER is not None and CrashingBackend.taken > self.CRASH_AFTER:
            CrashingBackend.CRASH_AFTER = None  # one crash: the resumed job finds a working server
            raise ConnectionResetError("the worker died after handing the message over")
        return sent


class RefusingBackend(EmailBackend):
    """A mail server that refuses every message (nothing reaches the outbox)."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def crashing_mail(settings):
    settings.EMAIL_BACKEND = "tests.newsletters.conftest.CrashingBackend"
    CrashingBackend.taken = 0
    mail.outbox = []
    yield CrashingBackend
    CrashingBackend.CRASH_AFTER = None
