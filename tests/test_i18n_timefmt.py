"""The display helpers of cogs/core/timefmt.py in each language (issue 13).

English stays ITU's house style byte for byte (tests/test_core_timefmt.py); the other languages write
dates and times by their own conventions (Babel, CLDR) and still state Geneva time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cogs.core import i18n
from cogs.core.timefmt import itu_span, itu_time, ordinal, ordinal_words

START = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # 10.00 in Geneva (CET)
END = datetime(2027, 1, 26, 16, 30, tzinfo=UTC)
NEXT_DAY = datetime(2027, 1, 27, 11, 0, tzinfo=UTC)

SPANS = {
    "en": "26 January 2027, 10.00-17.30 hours Geneva time (CET)",
    "fr": "26 janvier 2027, de 10:00 à 17:30 (heure de Genève, CET)",
    "ru": "26 января 2027\u202fг., 10:00–17:30 (женевское время, CET)",
    "es": "26 de enero de 2027, de 10:00 a 17:30 (hora de Ginebra, CET)",
    "zh": "2027年1月26日 10:00–17:30（日内瓦时间，CET）",
}
TIMES = {
    "en": "26 January 2027, 10.00 hours Geneva time (CET)",
    "fr": "26 janvier 2027 à 10:00 (heure de Genève, CET)",
    "ru": "26 января 2027\u202fг., 10:00 (женевское время, CET)",
    "es": "26 de enero de 2027, a las 10:00 (hora de Ginebra, CET)",
    "zh": "2027年1月26日 10:00（日内瓦时间，CET）",
}
ORDINALS = {
    "en": ("1st", "19th", "22nd"),
    "fr": ("1re", "19e", "22e"),
    "ru": ("1-е", "19-е", "22-е"),
    "es": ("1.ª", "19.ª", "22.ª"),
    "zh": ("1", "19", "22"),
    "ar": ("1", "19", "22"),
}


@pytest.mark.parametrize("language", sorted(SPANS))
def test_itu_span_and_time_in_each_language(language):
    with i18n.locale(language):
        assert itu_span(START, END) == SPANS[language]
        assert itu_time(START) == TIMES[language]


def test_arabic_states_geneva_time_with_its_own_clock():
    with i18n.locale("ar"):
        span = itu_span(START, END)
    assert span.startswith("26 يناير 2027، من الساعة 10:00")
    assert span.endswith("بتوقيت جنيف (CET)")


def test_a_span_over_two_days_and_another_zone():
    with i18n.locale("fr"):
        assert itu_span(START, NEXT_DAY) == (
            "du 26 janvier 2027 à 10:00 au 27 janvier 2027 à 12:00 (heure de Genève, CET)"
        )
        assert itu_time(START, "America/New_York") == "26 janvier 2027 à 04:00 (heure de New York, EST)"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "26 January 2027, 04.00 hours New York time (EST)"),
        ("es", "hora de Nueva York"),
        ("ru", "(Нью-Йорк, местное время, EST)"),
        ("zh", "（纽约时间，EST）"),
        ("ar", "بتوقيت نيويورك (EST)"),
    ],
)
def test_another_zones_city_is_written_as_the_language_writes_it(language, expected):
    """CLDR's name of the city (Babel), not its IANA spelling, in another language; English as before."""
    with i18n.locale(language):
        assert expected in itu_time(START, "America/New_York")


@pytest.mark.parametrize("language", sorted(ORDINALS))
def test_ordinals_agree_with_the_word_for_meeting(language):
    with i18n.locale(language):
        assert tuple(ordinal(n) for n in (1, 19, 22)) == ORDINALS[language]


def test_ordinal_words_stay_english_whatever_the_language():
    """The reports' "nineteenth meeting" is English text: another language never leaks into it."""
    with i18n.locale("fr"):
        assert ordinal_words(19) == "nineteenth"
        assert ordinal_words(150) == "150th"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "26 January 2027, 09.00 hours UTC"),
        ("fr", "26 janvier 2027 à 09:00 (UTC)"),
        ("ru", "26 января 2027 г., 09:00 (UTC)"),
        ("zh", "2027年1月26日 09:00（UTC）"),
    ],
)
def test_a_utc_meeting_says_utc_not_utc_time(language, expected):
    instant = datetime(2027, 1, 26, 9, tzinfo=UTC)
    with i18n.locale(language):
        assert itu_time(instant, "UTC").replace("\u202f", " ").replace("\xa0", " ") == expected
        assert "UTC time" not in itu_span(instant, instant + timedelta(hours=2), "Etc/UTC")
        assert "местное" not in itu_span(instant, instant + timedelta(days=1), "UTC")


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "zh", "ar"])
def test_a_three_part_zone_is_named_by_its_city_and_an_offset_not_by_a_path(language):
    instant = datetime(2027, 1, 26, 9, tzinfo=UTC)
    with i18n.locale(language):
        text = itu_time(instant, "America/Argentina/Buenos_Aires")
    assert "/" not in text and "UTC-3" in text and "-03" not in text.replace("UTC-3", "")
