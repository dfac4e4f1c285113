"""Every URL × every role: the expected answer, no foreign restricted row in lists, no uncovered URL."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import LOGIN, NAMESPACES, ROLES, ROWS, build_world


def url_patterns(patterns=None, namespace=""):
    """(qualified name, route) of every URL pattern the project serves."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or '<unnamed>'}", str(pattern.pattern)


def test_every_url_pattern_has_a_row():
    rows = {row.name for row in ROWS}
    uncovered = [
        (name, route)
        for name, route in url_patterns()
        if name not in rows and name.split(":")[0] not in NAMESPACES
    ]
    assert uncovered == [], "URL patterns without a row in tests/permission_matrix.py"
    assert len(rows) == len(ROWS), "a URL name has two rows"


def _admin_urls():
    """Every admin URL without a row of its own, with "1" for each argument (non-staff never get further)."""
    rows = {row.name for row in ROWS}
    arguments = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
    for name, route in url_patterns():
        if name.startswith("admin:") and name not in rows and not name.endswith("<unnamed>"):
            kwargs = {a or b: "1" for a, b in arguments.findall(route)}
            try:
                yield reverse(name, kwargs=kwargs)
            except Exception:  # noqa: BLE001, S112 -- a pattern whose arguments are not plain ids
                continue


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, compact, make_user, role):
    world = build_world(make_user)
    if role != "anonymous":
        client.force_login(world.users[role])
        client.get("/home/")  # the session's first request (MFA check)
    failures = []
    for row in ROWS:
        url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end: the client then closes the file
        expected = row.expect[role]
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{row.name} {url}: expected {expected}, got {response.status_code}")
        elif role in row.hidden and row.hidden[role] in response.content.decode():
            failures.append(f"{row.name} {url}: shows {row.hidden[role]!r}")
    for url in _admin_urls():
        response = client.get(url)
        if response.status_code != NAMESPACES["admin"][role] or not response["Location"].startswith(
            "/admin/login/"
        ):
            failures.append(f"admin {url}: expected the admin sign-in redirect, got {response.status_code}")
    assert not failures, "\n".join(failures)
