"""Reference data in the six UN languages: the names the UN publishes for its Member States, entities,
Working Groups and pillars, kept beside the English ones the platform stores, searches and sorts by."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translatable(models.Model):
    """A record whose names the reference data gives in other languages: ``translations`` holds
    ``{"fr": {"name": "..."}, "ar": {...}}``, written by the reference loader (directory.reference), never
    by a form; the English fields stay the record's own (searched, sorted, edited)."""

    translations = models.JSONField(_("names in other languages"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def translated(self, field: str) -> str:
        """``field`` in the language of the page (or e-mail) being written, English where none is given."""
        language = get_language() or ""
        return (self.translations.get(language) or {}).get(field) or getattr(self, field)
