"""Helpers of the API's tests, shared by every app's ``test_api.py``: a client calling with a personal
access token, and the pages of a cursor-paged list."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import services


def token_for(user, *scopes: str, days: int = 30) -> str:
    """A new token of ``user``'s with these scopes (the secret)."""
    return services.issue_token(
        user=user, name="test token", scopes=scopes, expires_at=timezone.now() + timezone.timedelta(days=days)
    ).secret


def bearer(user, *scopes: str) -> Client:
    """A client calling the API with a new token of ``user``'s (no session: only the token speaks)."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user, *scopes)}")


def with_token(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def all_rows(client: Client, url: str, **params) -> list[dict]:
    """Every row of a list, following its cursor from page to page."""
    rows, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def queries_of(client: Client, url: str, **params) -> int:
    """The queries of one API request (200), once the client's first request has done its one-off work."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)
