"""The notifications' rows of the permission matrix, checked on their own for every role (the full matrix in
tests/test_permission_matrix.py checks them too, with every other app's URLs)."""

import pytest
from django.urls import reverse

from tests.permission_matrix import LOGIN, ROLES, ROWS, build_world

MINE = [row for row in ROWS if row.name.startswith("notifications:")]


@pytest.mark.parametrize("role", ROLES)
def test_notification_rows(client, compact, make_user, role):
    world = build_world(make_user)
    if role != "anonymous":
        client.force_login(world.users[role])
    assert len(MINE) == 4
    for row in MINE:
        response = client.get(reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None))
        expected = row.expect[role]
        if expected == LOGIN:
            assert response.status_code == 302, row.name
            assert response["Location"].startswith("/accounts/login/"), row.name
        else:
            assert response.status_code == expected, row.name
        if role in row.hidden:
            assert row.hidden[role] not in response.content.decode(), row.name
