"""A series' page says how it repeats in words, not as an iCalendar rule."""

from datetime import date

import pytest

from calendar_app.repeat import in_words


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270301T090000Z",
            "every month on the third Thursday, until 1 Mar 2027",
        ),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5", "every 2 weeks on Tuesday, Thursday, 5 times"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"),
        ("FREQ=YEARLY;INTERVAL=1", "every year"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
    ],
)
def test_a_rule_the_picker_can_say_is_said_in_words(rule, words):
    assert in_words(rule, until=date(2027, 3, 1)) == words


def test_a_rule_the_picker_cannot_say_is_shown_as_it_is():
    # Given a rule imported from another calendar (two days of the month), when it is described,
    # then the rule itself is shown rather than a wrong sentence.
    rule = "FREQ=MONTHLY;BYMONTHDAY=1,15"
    assert in_words(rule, until=None) == rule
