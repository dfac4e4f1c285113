"""The countries API (to come)."""

ROUTES: list = []
