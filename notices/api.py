"""The notices API (to come)."""

ROUTES: list = []
