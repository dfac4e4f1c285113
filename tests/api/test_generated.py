"""Generated requests against every operation of the schema (schemathesis): whatever the input, the API
never fails with a server error and answers exactly as its schema says — for two callers of different
organisations, each with a token holding every scope, in the demo data set (restricted content of each).

It runs in-process against Django's WSGI application, inside the test's transaction: no network, no
server. Each operation gets ``EXAMPLES`` generated cases per caller; writes pile up in the transaction,
which is fine (the database is not reset between examples, and the demo data is never changed outside it).
"""

from __future__ import annotations

from io import StringIO

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.settings import api_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.scopes import ALL_SCOPES
from api.throttling import PerTokenThrottle
from directory.models import User
from tests.api.support import token_for

pytestmark = pytest.mark.generated

#: Cases per operation and per caller (the generated phase; the schema's own examples come on top).
EXAMPLES = 100

#: What every answer is checked for, and why these:
CHECKS = [
    # the bar: bad input is a 400 naming the field or a 404, never a 500
    not_a_server_error,
    # clients are generated from the schema: each answer must be one it declares — its status code, its
    # content type, its body (nullable fields, enums, required keys) and its headers (Retry-After on a 429)
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Not checked, on purpose:
# - positive_data_acceptance: a schema-valid body or filter may name an organisation, a Working Group or a
#   record the caller may not choose or see; the page's form refuses it with the documented 400 (or 404).
# - negative_data_rejection: invalid data is generated in positive mode only (below), to spend the budget
#   on requests that reach the views; test_tokens.py and each app's test_api.py cover the bad input.
# - unsupported_method: a token's scope is checked before the method, so a read-only module answers a
#   write with 403 (the scope it lacks), not 405.
# - ignored_auth, use_after_free, ensure_resource_availability: stateful or authentication checks that
#   test_tokens.py makes explicitly (every way of not being authenticated is a 401).
# - max_response_time: the time of a shared CI machine, not the API's.

#: Two people of different organisations of the demo data set, each with restricted content of their own.
CALLERS = ["focal.unodc@demo.compact.example", "focal.kenya@demo.compact.example"]


@pytest.fixture
def wsgi_app(settings):
    """Django's WSGI application, serving inside the test's transaction: like the test client, it must not
    close the connection at the end of each request (that would end the transaction)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    handler = WSGIHandler()

    def app(environ, start_response):
        # A WSGI server closes each answer once sent (a download closes its file); schemathesis' client
        # does not: read and close it here.
        response = handler(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()

    yield app
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def no_rate_limit(settings, monkeypatch):
    """Hundreds of requests a minute per token: the rate limit would answer most of them 429."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "1000000/minute"}}
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)


@pytest.fixture(params=CALLERS)
def caller(request, compact, no_rate_limit) -> str:
    """The ``Authorization`` header of a token with every scope, of a person of the demo data set."""
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    person = User.objects.get(email=request.param)
    return f"Bearer {token_for(person, *sorted(ALL_SCOPES))}"


@pytest.fixture
def api_schema(wsgi_app):
    """The schema as drf-spectacular generates it, served by the WSGI application."""
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = wsgi_app
    return schema


# schemathesis' own pytest integration (``@schema.parametrize()``) does not run under pytest 9 (it sets a
# private attribute pytest no longer has): each operation gets its Hypothesis test here, from its strategy.
def test_every_operation_answers_as_its_schema_says(api_schema, caller):
    failures = {}
    for operation in (result.ok() for result in api_schema.get_all_operations()):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,  # no example database in the repository: each run generates afresh
            # the data set and the caller are the same for every example (the writes pile up)
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(GenerationMode.POSITIVE))
        def answers_as_the_schema_says(case):
            case.call_and_validate(headers={"Authorization": caller}, checks=CHECKS)

        try:
            answers_as_the_schema_says()
        except Exception as failure:  # noqa: BLE001 -- every operation's failure is reported, then all fail
            failures[operation.label] = failure
    assert not failures, "\n\n".join(f"{label}:\n{failure}" for label, failure in failures.items())
