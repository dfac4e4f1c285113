"""Small query expressions the ORM lacks."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, BooleanField, F, Func, Value


def any_of(field: str, ids: Iterable[int]) -> Func:
    """``field = ANY(<array>)``, a condition for ``filter``, ``exclude`` or ``Q``: one parameter however many
    ids, where ``field__in=[...]`` sends one parameter per id and a list of thousands costs its planning in
    every query."""
    return Func(
        F(field), Value(list(ids), output_field=ArrayField(BigIntegerField())),
        template="%(expressions)s)", arg_joiner=" = ANY(", output_field=BooleanField(),
    )  # fmt: skip
