"""How a time names its zone: UTC itself, an offset where tzdata has no abbreviation, a city where the
language's data has none. Written against mutation testing (tools/mutate.py runs tests/test_core_timefmt*.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cogs.core import i18n
from cogs.core.timefmt import is_utc, itu_span, itu_time, place_words, zone_abbreviation

MORNING = datetime(2027, 1, 26, 9, 5, tzinfo=UTC)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("name", ["UTC", "utc", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Etc/Universal", "Zulu"])
def test_the_names_of_utc_itself(name):
    assert is_utc(name)


@pytest.mark.parametrize("name", ["Europe/London", "Etc/GMT+5", "Africa/Abidjan"])
def test_zones_that_are_not_named_utc_are_not_utc(name):
    assert not is_utc(name)


def test_a_utc_time_and_span_say_utc_once():
    assert itu_time(MORNING, "UTC") == "26 January 2027, 09.05 hours UTC"
    assert itu_span(MORNING, MORNING + timedelta(hours=2), "Etc/UTC") == "26 January 2027, 09.05-11.05 hours UTC"
    assert itu_span(MORNING, MORNING + timedelta(days=1), "UTC") == (
        "26 January 2027, 09.05 hours to 27 January 2027, 09.05 hours UTC"
    )


def test_a_utc_time_and_span_in_french():
    with i18n.locale("fr"):
        assert plain(itu_time(MORNING, "UTC")) == "26 janvier 2027 à 09:05 (UTC)"
        assert (
            plain(itu_span(MORNING, MORNING + timedelta(hours=2), "UTC")) == "26 janvier 2027, de 09:05 à 11:05 (UTC)"
        )
        assert plain(itu_span(MORNING, MORNING + timedelta(days=1), "UTC")) == (
            "du 26 janvier 2027 à 09:05 au 27 janvier 2027 à 09:05 (UTC)"
        )


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        ("Asia/Dubai", MORNING, "UTC+4"),  # tzdata writes +04
        ("America/Argentina/Buenos_Aires", MORNING, "UTC-3"),  # -03
        ("Asia/Kolkata", MORNING, "IST"),  # an abbreviation tzdata has
        ("Asia/Kathmandu", MORNING, "UTC+5.45"),  # +0545: minutes after the dot
        ("America/St_Johns", MORNING, "NST"),
        ("Atlantic/Azores", datetime(2027, 1, 26, tzinfo=UTC), "UTC-1"),
        ("Atlantic/Azores", datetime(2027, 7, 26, tzinfo=UTC), "UTC+0"),  # summer: +00, a plus sign
        ("Etc/GMT+5", MORNING, "UTC-5"),
    ],
)
def test_a_zone_without_an_abbreviation_shows_its_offset_from_utc(zone, instant, expected):
    assert zone_abbreviation(zone, instant) == expected


def test_an_offset_zone_in_a_sentence():
    assert itu_time(MORNING, "Asia/Dubai") == "26 January 2027, 13.05 hours Dubai time (UTC+4)"


def test_a_three_part_zone_is_named_by_its_last_part_where_babel_gives_a_path():
    with i18n.locale("fr"):
        assert place_words("America/Argentina/Buenos_Aires") == "heure de Buenos Aires"
        for zone in ("America/Argentina/Cordoba", "America/Indiana/Knox", "America/Kentucky/Louisville"):
            assert "/" not in place_words(zone), zone
        assert place_words("America/New_York") == "heure de New York"
