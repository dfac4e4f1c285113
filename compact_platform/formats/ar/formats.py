# 5 ديسمبر 2026، 09:30 CET
DATE_FORMAT = SHORT_DATE_FORMAT = "j F Y"
# The zone's name is Latin ("CET"): a right-to-left mark closes it, or Latin words after the date ("· UNOCT")
# joined it in one left-to-right run and the zone was read after them ("CET · UNOCT" shown as "UNOCT · CET").
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j F Y، H:i T\u200f"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 6  # Saturday
