"""The notifications URLs in the permission matrix (see tests/permission_matrix.py)."""

from __future__ import annotations

ROWS: list = []


def build(world) -> None:
    """Create the objects the rows request and keep them in ``world.extra``."""
