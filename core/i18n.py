"""Words written once and read by many, each in their own language."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import Promise, lazy


def in_each_readers_language(write: Callable[[], str]) -> Promise:
    """The text ``write()`` returns, written when it is read rather than now: a notification about one event
    goes to people who read different languages, and each copy is made inside ``translation.override`` for
    its reader (notifications.services.notify, directory.profiles.addressed_to). ``write`` calls
    ``gettext``, so makemessages finds its messages as anywhere else."""
    return lazy(write, str)()
