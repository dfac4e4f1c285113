"""The registry's part of ``bench``: the reference data and users spread over every organisation."""

from __future__ import annotations

import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password

from compact_platform.benchmarking import Scale
from directory import reference
from directory.models import Membership, MembershipRole, Organization, User

BENCH_EMAIL_DOMAIN = "bench.compact.example"


def generate(scale: Scale, write) -> None:
    reference.load()
    existing = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    if existing >= scale.users:
        write(f"directory: {existing:,} bench users already there")
        return
    rng = random.Random(existing)  # noqa: S311 -- reproducible test data, not security
    organizations = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    password = make_password(None)  # unusable: bench users never sign in with a password
    roles = (
        [MembershipRole.FOCAL_POINT] * 6
        + [MembershipRole.ALTERNATE] * 3
        + [MembershipRole.ORGANIZATION_ADMIN]
    )
    batch = 2_000
    for start in range(existing, scale.users, batch):
        numbers = range(start, min(start + batch, scale.users))
        users = User.objects.bulk_create(
            User(
                email=f"user{n:06d}@{BENCH_EMAIL_DOMAIN}", full_name=f"Bench User {n:06d}", password=password
            )
            for n in numbers
        )
        Membership.objects.bulk_create(
            Membership(user=user, organization_id=rng.choice(organizations), role=rng.choice(roles))
            for user in users
        )
    write(f"directory: {scale.users - existing:,} bench users created")


def focal_point() -> User:
    """A focal point of an organisation that takes part in Working Groups, as most users are, with a second
    factor enrolled (MFA is mandatory)."""
    user = (
        User.objects.filter(
            email__endswith=f"@{BENCH_EMAIL_DOMAIN}",
            memberships__role=MembershipRole.FOCAL_POINT,
            memberships__organization__participations__isnull=False,
        )
        .order_by("email")
        .first()
    )
    return with_mfa(user)


def with_mfa(user: User) -> User:
    """The user, with a second factor enrolled (MFA is mandatory: without one, every page redirects)."""
    if not Authenticator.objects.filter(user=user).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(generate_totp_secret())}
        )
    return user
