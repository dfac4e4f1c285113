"""Small query expressions the ORM lacks."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import BooleanField, Expression, F


class any_of(Expression):  # noqa: N801 -- used as a function: filter(any_of("id", ids))
    """``field = ANY(<ids>)``, a condition for ``filter``, ``exclude`` or ``Q``: the ids travel as one array
    parameter, where ``field__in=[...]`` sends one parameter per id (a list of thousands costs its planning
    in every query) and a ``Value`` of an ``ArrayField`` prepares each id in Python. The ids are integers
    (``int()`` on each: nothing else reaches the SQL)."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: Iterable[int]):
        super().__init__()
        self.lhs = F(field)
        # an array literal written once: psycopg would adapt (and check) each id of a list in Python
        self.ids = "{" + ",".join(str(int(pk)) for pk in ids) + "}"

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, expressions):
        (self.lhs,) = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"{sql} = ANY(%s::bigint[])", (*params, self.ids)
