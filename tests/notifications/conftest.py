"""Shared pieces of the notifications tests: people in real Compact organisations, and Working Groups."""

from __future__ import annotations

import pytest

from tests.conftest import organization


@pytest.fixture
def alice(compact, make_user):
    """A UNODC focal point."""
    return make_user("alice@example.org", organization=organization("entity:UNODC"), full_name="Alice")


@pytest.fixture
def bob(compact, make_user):
    """A CTED focal point (CTED chairs Working Group 2)."""
    return make_user("bob@example.org", organization=organization("entity:CTED"), full_name="Bob")


@pytest.fixture
def platform_url(settings):
    settings.PLATFORM_URL = "https://compact.example/"
    return "https://compact.example"
