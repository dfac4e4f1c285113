"""The discussions API (to come)."""

ROUTES: list = []
