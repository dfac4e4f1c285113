"""Arabic in a real browser: the month's grid runs from right to left with "previous" on the right, the
directional icons are drawn mirrored, and the statistics' time series run from right to left with their
values on the right; in English all of it the usual way round."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(page, server, user, language: str, url: str) -> None:
    """Open ``url`` signed in as ``user`` (a session of the test client: no second factor to type), with
    ``language`` chosen by Django's language cookie."""
    session = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url},
        ]
    )
    page.goto(url)


def x(locator) -> float:
    return locator.bounding_box()["x"]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_month_runs_the_readers_way_and_its_arrows_point_it(page, live_server, secretariat, language):
    rtl = language == "ar"
    page.set_viewport_size({"width": 1366, "height": 900})
    open_as(page, live_server, secretariat, language, "/calendar/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr")
    headings = page.locator("table.calendar-month thead th")
    first_day, last_day = headings.first, headings.last
    assert (x(first_day) > x(last_day)) == rtl
    previous = page.locator("a[href^='?month=']").first
    following = page.locator("a[href^='?month=']").last
    assert (x(previous) > x(following)) == rtl
    transform = page.evaluate(
        "getComputedStyle(document.querySelector('.bi-chevron-right'), '::before').transform"
    )
    assert transform == ("matrix(-1, 0, 0, 1, 0, 0)" if rtl else "none")
    # the equal days of the grid
    widths = {round(cell.bounding_box()["width"]) for cell in headings.all()}
    assert max(widths) - min(widths) <= 1


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_statistics_time_series_run_the_readers_way(page, live_server, secretariat, language):
    rtl = language == "ar"
    open_as(page, live_server, secretariat, language, "/statistics/")
    page.wait_for_selector("canvas[data-appeal-chart][data-drawn]")
    scales = page.evaluate(
        """() => {
          const chart = Chart.getChart(document.querySelector('canvas[data-appeal-chart][data-drawn]'));
          const o = chart.options;
          return {reverse: !!o.scales.x.reverse, values: o.scales.y.position,
                  legend: !!o.plugins.legend.rtl, tooltip: o.plugins.tooltip.textDirection};
        }"""
    )
    assert scales == {
        "reverse": rtl,
        "values": "right" if rtl else "left",
        "legend": rtl,
        "tooltip": "rtl" if rtl else "ltr",
    }
