"""Every form fuzzed: each identity of the permission matrix submits every form of every page it may open.

Pages are the matrix's rows that answer the role with 200, with their arguments from ``build_world``; each
page's forms and query links are read as a browser would (``tests/fuzzing.py``). GET forms are submitted
with each option alone (a bounded sample of long lists) and with every hostile value in one field at a time;
POST forms with every hostile value in one field at a time (a choice gets the fewer ``CHOICE_HOSTILE``), the
other fields as the page rendered them. No
answer may be a server error, and a POST's bad value is answered with the page and its message (or a
redirect), never a bare error page.

Not submitted: the sign-out button (it would end the session the run needs). File inputs get no file, and
once a tiny text file (the upload rules have their own tests).

A form several identities see (the creation forms, the filters) is fuzzed in full by one of them, the first
of ``LEADS`` that may open its page; the others send each ``LIGHT`` value in all its fields at once. Each
identity still submits every form it sees, and the whole run (about 5,000 requests) takes about three
minutes on two busy cores.
"""

from __future__ import annotations

import pytest
from axes.utils import reset as reset_axes
from django.core.cache import cache
from django.test import Client
from django.test import client as test_client
from django.urls import reverse

from tests.fuzzing import Fuzzer, signatures
from tests.permission_matrix import ROLES, ROWS, build_world

#: Who fuzzes a page's forms in full: the first of these the page answers with 200. The identities with
#: the most to choose from come first (focal_a's organisation owns the world's private content).
LEADS = ("anonymous", "focal_a", "wg_chair", "secretariat", "org_admin", "focal_b", "outsider")


@pytest.fixture
def unrecorded_templates(monkeypatch):
    """The test client keeps a copy of the context of every template it renders (each <option> of a
    select is one): nothing here reads them, and skipping the copies makes the run twice as fast."""
    monkeypatch.setattr(test_client, "store_rendered_templates", lambda *args, **kwargs: None)


@pytest.mark.parametrize("role", ROLES)
def test_every_form_answers_hostile_values_without_a_server_error(
    client, compact, make_user, unrecorded_templates, record_property, role
):
    world = build_world(make_user)
    pages = {
        reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None): row
        for row in ROWS
        if row.expect[role] == 200
    }

    def signed_in(identity: str, into: Client) -> Client:
        into.logout()
        if identity != "anonymous":
            into.force_login(world.users[identity])
        return into

    def fuzzed_elsewhere(url: str) -> set:
        lead = next(identity for identity in LEADS if pages[url].expect[identity] == 200)
        return set() if lead == role else signatures(signed_in(lead, Client()), url)

    def fresh_limits():
        # Each POST starts with no rate limit or sign-in failure spent, so that the sign-in forms' later
        # values reach the form rather than the lock-out page.
        cache.clear()
        reset_axes()

    fuzzer = Fuzzer(client, role, lambda: signed_in(role, client), fresh_limits, fuzzed_elsewhere)
    fuzzer.run(list(pages))

    # The size of the run, in the output (-s) and the JUnit report.
    print(fuzzer.report())
    record_property("requests", fuzzer.requests)
    if fuzzer.failures:
        pytest.fail("\n".join([fuzzer.report(), *map(str, fuzzer.failures)]), pytrace=False)
