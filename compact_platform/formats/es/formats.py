# 5 dic. 2026, 09:30 CET
# Written as in French: day, abbreviated month, year; a 24-hour clock with the zone.
from compact_platform.formats.fr.formats import *  # noqa: F403
