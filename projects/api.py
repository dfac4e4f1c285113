"""The projects API (to come)."""

ROUTES: list = []
