from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitDay(models.Model):
    """The platform's visits on one finished day (UTC): page views and distinct signed-in visitors.

    Totals only, never who: the counts are kept in the cache during the day (``dashboard.visits``) and moved
    here by a daily job (``dashboard.services.roll_up_visits``). Derived data, re-set from the cache by each
    roll-up, so not audited (as the calendar's occurrences)."""

    date = models.DateField(_("day"), unique=True)
    #: Pages shown (HTML answers to a GET), signed in or not.
    views = models.PositiveBigIntegerField(_("page views"), default=0)
    #: Distinct signed-in people who opened at least one page that day.
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("day of visits")
        verbose_name_plural = _("days of visits")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.views} views, {self.visitors} visitors"
