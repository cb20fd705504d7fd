"""How times are worded: a reminder offset ("1 day 2 hours") at 1 and 2 of every unit and in each
language's own plural, and a meeting's zone named by its city as each language writes it.

Written against mutation testing (tools/mutate.py): ``describe_offset``, ``_unit_words`` and
``place_words`` after the six-language conversion. The words are those of ``cogs/core/locales/*.po``;
each language has its own plural rule (French: 0 and 1 singular; Russian: 1, 21 ... one form, 2-4
another, 5-20 a third; Arabic: six forms, 0, 1 and 2 among them).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cogs.core import i18n, timefmt

ONE_OF_EACH = timedelta(weeks=1, days=1, hours=1, minutes=1)
TWO_OF_EACH = timedelta(weeks=2, days=2, hours=2, minutes=2)


def worded(language: str, delta: timedelta) -> str:
    with i18n.locale(language):
        return timefmt.describe_offset(delta)


def test_one_of_each_unit_is_singular_in_english():
    assert timefmt.describe_offset(ONE_OF_EACH) == "1 week 1 day 1 hour 1 minute"


def test_two_of_each_unit_is_plural_in_english():
    assert timefmt.describe_offset(TWO_OF_EACH) == "2 weeks 2 days 2 hours 2 minutes"


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(days=1), "1 day"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(days=1, hours=2), "1 day 2 hours"),
        (timedelta(days=2, minutes=1), "2 days 1 minute"),
        (timedelta(hours=2, minutes=30), "2 hours 30 minutes"),
    ],
)
def test_units_left_at_zero_are_not_worded(delta, words):
    assert timefmt.describe_offset(delta) == words


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("fr", "1 semaine 1 jour 1 heure 1 minute", "2 semaines 2 jours 2 heures 2 minutes"),
        ("es", "1 semana 1 día 1 hora 1 minuto", "2 semanas 2 días 2 horas 2 minutos"),
        ("ru", "1 неделя 1 день 1 час 1 минута", "2 недели 2 дня 2 часа 2 минуты"),
        ("zh", "1 周 1 天 1 小时 1 分钟", "2 周 2 天 2 小时 2 分钟"),
        (
            "ar",
            "أسبوع واحد يوم واحد ساعة واحدة دقيقة واحدة",
            "أسبوعان يومان ساعتان دقيقتان",
        ),
    ],
)
def test_one_and_two_of_each_unit_in_each_language(language, one, two):
    assert worded(language, ONE_OF_EACH) == one
    assert worded(language, TWO_OF_EACH) == two


def test_russian_takes_its_third_form_from_5_and_its_first_again_at_21():
    assert worded("ru", timedelta(minutes=5)) == "5 минут"
    assert worded("ru", timedelta(hours=21)) == "21 час"
    assert worded("ru", timedelta(days=5)) == "5 дней"
    assert worded("ru", timedelta(weeks=5)) == "5 недель"


def test_arabic_counts_3_to_10_and_11_and_more_with_their_own_forms():
    assert worded("ar", timedelta(days=3)) == "3 أيام"
    assert worded("ar", timedelta(minutes=11)) == "11 دقيقة"
    assert worded("ar", timedelta(weeks=1, days=4)) == "أسبوع واحد 4 أيام"


def test_no_offset_at_all_is_zero_minutes_in_the_language_s_form_for_zero():
    assert timefmt.describe_offset(timedelta(0)) == "0 minutes"
    assert worded("fr", timedelta(0)) == "0 minute"
    assert worded("ru", timedelta(0)) == "0 минут"
    assert worded("ar", timedelta(0)) == "0 دقيقة"


# -- a zone named by its city -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "New York time"), ("es", "hora de Nueva York"), ("ru", "Нью-Йорк, местное время"), ("zh", "纽约时间")],
)
def test_a_zone_is_named_by_its_city_as_the_language_writes_it(language, words):
    with i18n.locale(language):
        assert timefmt.place_words("America/New_York") == words


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Mars/Olympus_Mons", "heure de Olympus Mons"),  # a name the language's data does not know
        ("Europe/../Paris", "heure de Paris"),  # one it cannot even read
    ],
)
def test_a_zone_the_language_s_data_cannot_name_is_named_by_the_last_part_of_its_iana_name(name, words):
    with i18n.locale("fr"):
        assert timefmt.place_words(name) == words
