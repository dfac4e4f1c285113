"""Every URL × every role: the expected answer to a GET and to a valid POST, no foreign restricted row in
lists, no uncovered URL.

Which patterns accept POST is decided from the view itself (``accepts_post``):

- a class-based view (``as_view()``: the callback's ``view_class``) accepts POST when the class defines
  ``post`` and "post" is in its ``http_method_names`` — exactly what ``View.dispatch`` answers;
- a function view restricted by ``require_http_methods`` (or ``require_GET``, ``require_POST``,
  ``require_safe``) accepts POST when its method list holds it: the list is found in the closure of the
  decorator's wrapper, anywhere along the ``__wrapped__`` chain (other decorators may sit on top);
- an API route (a DRF viewset's ``as_view(actions)``) accepts POST when its actions map it;
- any other function view is probed: POSTed to anonymously with an empty body, it accepts POST unless it
  answers 405 (a plain function is called for every method, so only its answer tells).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notices import rules as notice_rules
from notices.models import Notice
from tests.permission_matrix import (
    LOGIN,
    NAMESPACES,
    POST_EXEMPT,
    POST_ROWS,
    ROLES,
    ROWS,
    PostRow,
    build_world,
    run_post_rows,
    sign_in_as,
)

HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def url_patterns(patterns=None, namespace=""):
    """(qualified name, route, pattern) of every URL pattern the project serves."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or '<unnamed>'}", str(pattern.pattern), pattern


def _placeholder_url(name: str, route: str) -> str | None:
    """The URL with "1" for each argument (enough to reach a view's method check), or None."""
    kwargs = {a or b: "1" for a, b in ARGUMENT.findall(route)}
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 -- a pattern whose arguments are not plain ids
        return None


def _declared_methods(view) -> set[str] | None:
    """The methods a ``require_http_methods`` wrapper along the decorator chain allows, if there is one."""
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, list | tuple | set) and value and set(value) <= HTTP_METHODS:
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return None


def accepts_post(pattern: URLPattern, name: str, route: str, client) -> bool:
    view = pattern.callback
    actions = getattr(view, "actions", None)  # an API route: the methods its router maps to actions
    if actions is not None:
        return "post" in actions
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    methods = _declared_methods(view)
    if methods is not None:
        return "POST" in methods
    url = _placeholder_url(name, route)
    return url is not None and client.post(url).status_code != 405


def _in_namespace(name: str) -> bool:
    return name.split(":")[0] in NAMESPACES


def test_every_url_pattern_has_a_row():
    rows = {row.name for row in ROWS}
    uncovered = [
        (name, route) for name, route, _p in url_patterns() if name not in rows and not _in_namespace(name)
    ]
    assert uncovered == [], "URL patterns without a row in tests/permission_matrix.py"
    assert len(rows) == len(ROWS), "a URL name has two rows"


def test_every_url_accepting_post_has_a_post_row(client, db):
    rows, exempt = {row.name for row in POST_ROWS if row.method == "post"}, set(POST_EXEMPT)
    # given which URL patterns accept POST (the namespaces answered as a whole, the admin's, only where a
    # row names one of their URLs: the others all get the POST of test_post_matrix's admin loop)
    posted = {
        name: accepts_post(pattern, name, route, client)
        for name, route, pattern in url_patterns()
        if not _in_namespace(name) or name in rows | exempt
    }
    # then each has a POST row or a reason not to, and no row or exemption is about anything else
    uncovered = sorted(name for name, accepts in posted.items() if accepts and name not in rows | exempt)
    assert uncovered == [], "URL patterns accepting POST without a POST row in the permission matrix"
    stale = sorted(name for name in rows | exempt if not posted.get(name))
    assert stale == [], "POST rows or exemptions for URLs that do not accept POST (or do not exist)"
    assert not rows & exempt, "an exempted URL has a POST row"
    titles = [row.title for row in POST_ROWS]
    assert len(set(titles)) == len(titles), "two POST rows for the same URL and action: give them labels"
    assert all(set(row.expect) == set(ROLES) for row in POST_ROWS), "a POST row misses a role"


def test_every_api_write_has_a_row():
    """An API endpoint's other writes (PUT, PATCH, DELETE: the methods its router maps to actions) each have
    a row too, posted as every role like a POST."""
    rows = {(row.name, row.method) for row in POST_ROWS}
    writes = {
        (name, method)
        for name, _route, pattern in url_patterns()
        for method in getattr(pattern.callback, "actions", {})
        if method in ("post", "put", "patch", "delete")
    }
    assert writes, "the API's routes are not seen"
    assert sorted(writes - rows) == [], "API writes without a row in the permission matrix"
    stale = sorted(
        (name, method) for name, method in rows if method != "post" and (name, method) not in writes
    )
    assert stale == [], "rows for API writes that do not exist"


def test_the_coverage_rule_sees_function_views_and_their_decorators(client, db):
    """The three ways of deciding, on views of the project: a class, a decorated function, a plain one."""
    patterns = {name: (pattern, route) for name, route, pattern in url_patterns()}
    # class-based: a POST-only view, a read-only view
    assert accepts_post(*_args(patterns, "calendar_app:rsvp"), client=None)
    assert not accepts_post(*_args(patterns, "calendar_app:feed"), client=None)
    # require_http_methods under other decorators (never_cache over require_GET)
    assert not accepts_post(*_args(patterns, "core:health"), client=None)
    assert accepts_post(*_args(patterns, "directory:request_access"), client=None)
    # a plain function handing over to a read-only page (allauth's "check your email"): probed, 405
    assert not accepts_post(*_args(patterns, "account_email_verification_sent"), client=client)


def _args(patterns, name):
    pattern, route = patterns[name]
    return pattern, name, route


def _admin_urls():
    """Every admin URL without a row of its own, with "1" for each argument (non-staff never get further)."""
    rows = {row.name for row in ROWS}
    for name, route, _pattern in url_patterns():
        if name.startswith("admin:") and name not in rows and not name.endswith("<unnamed>"):
            url = _placeholder_url(name, route)
            if url is not None:
                yield url


def _reaches_admin_sign_in(response, role) -> bool:
    return response.status_code == NAMESPACES["admin"][role] and response["Location"].startswith(
        "/admin/login/"
    )


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
        if not _reaches_admin_sign_in(response, role):
            failures.append(f"admin {url}: expected the admin sign-in redirect, got {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(client, compact, make_user, role):
    # given a fresh world, and the client as the role
    world = build_world(make_user)
    sign_in_as(client, world, role)
    client.get("/home/")
    # when every admin URL gets an empty POST: nobody here is staff, nothing reaches an admin view
    failures = [
        f"admin {url}: expected the admin sign-in redirect, got {response.status_code}"
        for url in _admin_urls()
        if not _reaches_admin_sign_in(response := client.post(url), role)
    ]
    # and every POST row is posted, in order
    failures += run_post_rows(client, world, role, POST_ROWS)
    # then each got the outcome the access model gives the role
    assert not failures, "\n".join(failures)


@pytest.fixture
def notices_change_rule_forgotten():
    """Notices' "change" rule, as if someone had replaced it by "anyone may" (the rule the views and the
    save path ask through directory.rules' registry, where notices.rules registered it)."""
    from directory.rules import register_content_rules

    register_content_rules(Notice, change=lambda user, notice: True, share=notice_rules.can_share_notice)
    yield
    register_content_rules(Notice, change=notice_rules.can_change_notice, share=notice_rules.can_share_notice)


def test_the_post_matrix_catches_a_forgotten_check(client, compact, make_user, notices_change_rule_forgotten):
    # given the edit row of CTED's platform-wide notice, which Kenya's focal point reads but may not change
    (row,) = [row for row in POST_ROWS if row.name == "notices:edit"]
    assert row.expect["focal_b"] == 403
    world = build_world(make_user)
    sign_in_as(client, world, "focal_b")
    # when the matrix posts it as focal_b with the rule forgotten
    failures = run_post_rows(client, world, "focal_b", [row])
    # then the write went through, and the matrix says so
    assert failures == ["notices:edit: expected 403, got DONE (302)"]


def test_a_row_whose_write_is_already_done_is_reported(client, compact, make_user):
    """A done check that holds before the POST would let a refused write pass for a done one."""
    world = build_world(make_user)
    always = PostRow("notices:new", dict.fromkeys(ROLES, 403), data=lambda w: {}, done=lambda w: True)
    (failure,) = run_post_rows(client, world, "anonymous", [always])
    assert "already done before the POST" in failure
