"""The notices API's URLs in the permission matrix (see tests/permission_matrix.py); the rows of the
notices pages are in tests/permission_matrix.py itself."""

from __future__ import annotations


def build(world) -> None:
    pass


ROWS: list = []
POST_ROWS: list = []
