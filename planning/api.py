"""The planning API (to come)."""

ROUTES: list = []
