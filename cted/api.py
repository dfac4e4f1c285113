"""The cted API (to come)."""

ROUTES: list = []
