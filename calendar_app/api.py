"""The calendar_app API (to come)."""

ROUTES: list = []
