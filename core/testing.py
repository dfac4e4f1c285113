"""pytest plugin (loaded with ``-p core.testing``): the test session is an entry point like manage.py.

Before pytest-django imports the settings, it starts the embedded PostgreSQL (unless DATABASE_URL names
another server) and sets the production-like environment the suite runs under. pytest-django then creates
its own throw-away database, ``test_<name>`` (``test_compact`` on the embedded server), on that server and
drops it at the end.
"""

import os

import pytest

TEST_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "test-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    # The test client speaks plain HTTP; production keeps the redirect on.
    "SECURE_SSL_REDIRECT": "false",
    "EMAIL_URL": "consolemail://",
    "DATABASE_POOL_SIZE": "0",
}


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before every plain implementation of the hook, pytest-django's included.
    for name, value in TEST_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    # Jobs run in-process in the suite; tests that need Redis get TEST_REDIS_URL, never the global one.
    os.environ.pop("REDIS_URL", None)
    from core import bootstrap

    bootstrap.prepare_database()
    return (yield)
