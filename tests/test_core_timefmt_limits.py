"""Time rules at their limits: 24:00, minute 60, exactly 1 minute and 8 weeks, ten offsets, the exact
refusals, zone names in ITU style, ordinals past the teens, and results that do not depend on the
machine's own time zone.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cogs.core import timefmt
from cogs.core.errors import UserError

ZURICH = ZoneInfo("Europe/Zurich")


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# -- zones ------------------------------------------------------------------------------------


def test_an_unknown_zone_is_refused_with_examples():
    assert refusal(timefmt.zone, "Mars/Olympus") == (
        "`Mars/Olympus` is not a time zone I know. Use an IANA name such as `Europe/Zurich`, "
        "`America/New_York` or `Asia/Manila` (start typing and pick from the list)."
    )


def test_zone_choices_offer_geneva_first_then_common_zones():
    assert timefmt.zone_choices("") == [
        "Europe/Zurich",
        "UTC",
        "Europe/London",
        "America/New_York",
        "Asia/Manila",
        "Africa/Nairobi",
    ]
    assert timefmt.zone_choices("  ", limit=2) == ["Europe/Zurich", "UTC"]


def test_zone_choices_list_at_most_25_names():
    assert len(timefmt.zone_choices("a")) == 25


def test_zone_choices_read_spaces_as_underscores_and_put_names_starting_with_the_text_first():
    assert timefmt.zone_choices("New York") == ["America/New_York"]
    # "Indian/..." starts with "ind"; "America/Indiana/..." only contains it and comes after.
    choices = timefmt.zone_choices("IND")
    assert choices[0] == "Indian/Antananarivo"
    assert "America/Indiana/Indianapolis" in choices


# -- offsets ----------------------------------------------------------------------------------


def test_offsets_from_exactly_one_minute_to_exactly_eight_weeks():
    assert timefmt.parse_offset("1m") == timedelta(minutes=1)
    assert timefmt.parse_offset("8w") == timedelta(weeks=8)
    assert timefmt.parse_offset("7w6d23h59m") == timedelta(weeks=8) - timedelta(minutes=1)
    for text in ("0m", "8w1m", "57d"):
        assert refusal(timefmt.parse_offset, f" {text} ") == (
            f"`{text}` is out of range: offsets go from 1 minute to 8 weeks."
        )


def test_an_unreadable_offset_is_quoted_and_the_units_explained():
    expected = (
        "is not a reminder offset. Write a number and a unit: "
        "`10m`, `2h`, `1d`, `1d12h` or `1w` (m = minutes, h = hours, d = days, w = weeks)."
    )
    assert refusal(timefmt.parse_offset, "soon") == f"`soon` {expected}"
    assert refusal(timefmt.parse_offset, "  ") == f"` ` {expected}"


def test_at_most_ten_offsets():
    ten = ",".join(f"{n}m" for n in range(1, 11))
    assert len(timefmt.parse_offsets(ten)) == 10
    assert refusal(timefmt.parse_offsets, ten + ",11m") == "At most 10 offsets, please."


@pytest.mark.parametrize("text", [None, "", " , ,"])
def test_no_offsets_at_all_is_refused_with_an_example(text):
    assert refusal(timefmt.parse_offsets, text) == "Give at least one offset, e.g. `7d,1d,1h,10m`."


def test_offsets_are_written_back_in_the_short_form_users_type():
    assert timefmt.format_offset(timedelta(weeks=1, days=1, hours=12, minutes=5)) == "1w1d12h5m"
    assert timefmt.format_offset(timedelta(0)) == "0m"


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(weeks=1), "1 week"),
        (timedelta(weeks=2, minutes=1), "2 weeks 1 minute"),
        (timedelta(minutes=10), "10 minutes"),
        (timedelta(0), "0 minutes"),
    ],
)
def test_offsets_in_words(delta, words):
    assert timefmt.describe_offset(delta) == words


# -- local dates and times ---------------------------------------------------------------------


def test_the_last_minute_of_the_day_is_a_time_and_24_00_or_minute_60_are_not():
    assert timefmt.parse_time("23:59") == timefmt.time(23, 59)
    assert timefmt.parse_time("0.00") == timefmt.time(0, 0)
    for text in ("24:00", "12:60"):
        assert refusal(timefmt.parse_time, text) == (
            f"`{text}` is not a time. Write it in 24-hour form: `14:30` or ITU's `14.30`."
        )


def test_a_bad_date_is_refused_with_the_form_to_use():
    assert refusal(timefmt.parse_date, "2027-02-30") == (
        "`2027-02-30` is not a date. Write it as YYYY-MM-DD, e.g. `2027-01-26`."
    )


def test_a_bad_date_and_time_refusal_offers_the_time_alone_only_when_a_day_is_known():
    assert refusal(timefmt.parse_local, "", ZURICH) == (
        "`` is not a date and time. Write `YYYY-MM-DD HH:MM`, e.g. `2027-01-26 10:00`."
    )
    assert refusal(timefmt.parse_local, "next week please", ZURICH, base_date=date(2027, 1, 26)) == (
        "`next week please` is not a date and time. Write `YYYY-MM-DD HH:MM` or just `HH:MM`, e.g. `2027-01-26 10:00`."
    )


def test_dst_refusals_say_what_to_do():
    assert refusal(timefmt.parse_local, "2027-03-28 02:30", ZURICH) == (
        "2027-03-28 02:30 does not exist in Europe/Zurich (clocks go forward that night); choose another time."
    )
    assert refusal(timefmt.parse_local, "2027-10-31 02:30", ZURICH) == (
        "2027-10-31 02:30 happens twice in Europe/Zurich (clocks go back that night); "
        "choose a time outside that hour, or give the time in UTC."
    )


def test_local_times_and_deadlines_do_not_depend_on_the_machines_zone(machine_in_chatham):
    opening = timefmt.parse_local("2027-01-26 10:00", ZURICH)
    assert opening == datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
    assert opening.tzinfo is UTC
    deadline = timefmt.calendar_days_before(opening, 12)
    assert deadline == datetime(2027, 1, 14, 9, 0, tzinfo=UTC)
    assert deadline.tzinfo is UTC
    with pytest.raises(UserError, match="does not exist"):
        timefmt.parse_local("2027-03-28 02:30", ZURICH)


# -- display ----------------------------------------------------------------------------------


def test_an_unknown_discord_timestamp_style_is_a_programming_error_naming_it():
    with pytest.raises(ValueError, match=r"^x$"):
        timefmt.discord_ts(datetime(2027, 1, 26, tzinfo=UTC), "x")


def test_a_zone_other_than_geneva_is_named_by_its_city():
    start = datetime(2027, 1, 26, 15, 0, tzinfo=UTC)
    assert timefmt.itu_time(start, "America/Argentina/Buenos_Aires") == (
        "26 January 2027, 12.00 hours Buenos Aires time (UTC-3)"
    )
    assert timefmt.itu_span(start, start + timedelta(hours=2), "America/New_York") == (
        "26 January 2027, 10.00-12.00 hours New York time (EST)"
    )
    assert timefmt.itu_span(start, start + timedelta(hours=2), "America/Argentina/Buenos_Aires") == (
        "26 January 2027, 12.00-14.00 hours Buenos Aires time (UTC-3)"
    )


@pytest.mark.parametrize(
    ("n", "short"),
    [
        (4, "4th"),
        (10, "10th"),
        (20, "20th"),
        (24, "24th"),
        (100, "100th"),
        (111, "111th"),
        (211, "211th"),
        (221, "221st"),
    ],
)
def test_ordinals_past_the_teens(n, short):
    assert timefmt.ordinal(n) == short


@pytest.mark.parametrize(("n", "words"), [(0, "zeroth"), (20, "twentieth"), (99, "ninety-ninth"), (100, "100th")])
def test_ordinal_words_at_their_limits(n, words):
    assert timefmt.ordinal_words(n) == words


# -- merged: other languages, years, long offsets --------------------------------------------------


def test_an_out_of_range_offset_is_quoted_up_to_40_characters():
    text = "0" * 45 + "99w"
    assert refusal(timefmt.parse_offset, text) == f"`{text[:40]}` is out of range: offsets go from 1 minute to 8 weeks."


def test_years_from_1900_to_2999_are_dates():
    assert timefmt.parse_date("1900-01-01") == date(1900, 1, 1)
    assert timefmt.parse_date("2999-12-31") == date(2999, 12, 31)
    assert refusal(timefmt.parse_date, "1899-12-31") == "`1899-12-31`: give a year between 1900 and 2999."
    assert refusal(timefmt.parse_date, "3000-01-01") == "`3000-01-01`: give a year between 1900 and 2999."


def test_a_span_over_two_days_names_both_days():
    start = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
    assert timefmt.itu_span(start, start + timedelta(days=1, hours=2)) == (
        "26 January 2027, 10.00 hours to 27 January 2027, 12.00 hours Geneva time (CET)"
    )


def test_times_in_french_are_local_dates_and_clock_times_of_geneva():
    from cogs.core import i18n

    start = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
    with i18n.locale("fr"):
        assert timefmt.itu_time(start) == "26 janvier 2027 à 10:00 (heure de Genève, CET)"
        assert timefmt.itu_span(start, start + timedelta(days=1, hours=2)) == (
            "du 26 janvier 2027 à 10:00 au 27 janvier 2027 à 12:00 (heure de Genève, CET)"
        )
        assert timefmt.ordinal(19) == "19e"
    assert timefmt.ordinal(19) == "19th"


def test_a_time_in_french_for_a_meeting_abroad_is_that_places_clock_time():
    from cogs.core import i18n

    with i18n.locale("fr"):
        assert timefmt.itu_time(datetime(2027, 1, 26, 15, 0, tzinfo=UTC), "America/New_York") == (
            "26 janvier 2027 à 10:00 (heure de New York, EST)"
        )
