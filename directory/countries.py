"""Country codes the registry does not keep: the ISO 3166-1 alpha-2 code (IATI files) and the numeric one
(the world map's shapes, world-atlas) of an alpha-3 code (``Organization.iso3``), and back. The table is
``directory/iso_3166.py``, generated from Debian's iso-codes by ``scripts/generate_countries.py``."""

from __future__ import annotations

from directory.iso_3166 import ISO_3166

_BY_ALPHA2 = {codes[0]: code for code, codes in ISO_3166.items()}


def alpha2(alpha3: str) -> str | None:
    """The alpha-2 code of an alpha-3 one (``"KEN"`` → ``"KE"``), or None for a code ISO 3166-1 lacks."""
    entry = ISO_3166.get(alpha3.upper())
    return entry[0] if entry else None


def numeric(alpha3: str) -> str | None:
    """The three-digit numeric code of an alpha-3 one (``"KEN"`` → ``"404"``), or None."""
    entry = ISO_3166.get(alpha3.upper())
    return entry[1] if entry else None


def alpha3(alpha2_code: str) -> str | None:
    """The alpha-3 code of an alpha-2 one (``"KE"`` → ``"KEN"``), or None."""
    return _BY_ALPHA2.get(alpha2_code.upper())
