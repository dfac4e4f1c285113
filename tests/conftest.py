"""Shared fixtures: the reference data, users in real Compact organisations, and plain static files."""

from __future__ import annotations

import pytest

from directory import reference
from directory.models import Membership, MembershipRole, Organization, User


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Production serves hashed file names from collectstatic's manifest; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Compact's reference data once into the test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        reference.load()


@pytest.fixture
def compact(db):
    """The Compact's reference data, from the real data file (reloaded if a transactional test flushed it)."""
    if not Organization.objects.filter(reference_key__isnull=False).exists():
        reference.load()


@pytest.fixture
def make_user(db):
    def make(
        email: str = "person@example.org",
        *,
        organization: Organization | None = None,
        role: str = MembershipRole.FOCAL_POINT,
        **fields,
    ) -> User:
        user = User.objects.create_user(
            email=email,
            password="a-long-test-password",
            full_name=fields.pop("full_name", email.split("@")[0].title()),
            **fields,
        )
        if organization is not None:
            Membership.objects.create(user=user, organization=organization, role=role)
        return user

    return make


def organization(reference_key: str) -> Organization:
    return Organization.objects.get(reference_key=reference_key)
