"""The directory API (to come)."""

ROUTES: list = []
