"""The appeal API (to come)."""

ROUTES: list = []
