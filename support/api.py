"""The support API (to come)."""

ROUTES: list = []
