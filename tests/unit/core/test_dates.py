"""A day typed into a form or a query string: the day it names, or nothing."""

from datetime import date

import pytest

from core.dates import parse_day


def test_an_iso_day_is_read():
    assert parse_day("2025-03-01") == date(2025, 3, 1)


@pytest.mark.parametrize("text", [None, "", "2025-02-30", "01/03/2025", "tomorrow", "2025-13-01"])
def test_an_empty_or_impossible_day_is_none(text):
    assert parse_day(text) is None
