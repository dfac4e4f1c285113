"""Date and time formats, one per language: every date a person reads is written the same way in their
language (day, month, year; a 24-hour clock), and every time carries its zone's name. Templates and code
use only the named formats (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT, YEAR_MONTH_FORMAT), never a pattern
of their own; the SHORT_ variants are the same on purpose. Input formats stay Django's."""
