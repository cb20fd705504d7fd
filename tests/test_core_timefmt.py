"""Shared time rules: zones, offsets, local input with DST gaps and folds, ITU display."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cogs.core.errors import UserError
from cogs.core.timefmt import (
    describe_offset,
    discord_ts,
    format_offsets,
    itu_span,
    itu_time,
    ordinal,
    ordinal_words,
    parse_local,
    parse_offset,
    parse_offsets,
    when_line,
    zone,
    zone_choices,
)

ZURICH = ZoneInfo("Europe/Zurich")


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1w", timedelta(weeks=1)),
        (" 1D 2H ", timedelta(days=1, hours=2)),
        ("10m", timedelta(minutes=10)),
    ],
)
def test_offsets_are_read(text, delta):
    assert parse_offset(text) == delta


@pytest.mark.parametrize("text", ["", "10", "m", "1x", "1.5h", "-1h", "1h-", "soon", "0m", "9w", "1d 2"])
def test_bad_offsets_are_refused_clearly(text):
    with pytest.raises(UserError) as info:
        parse_offset(text)
    assert "`" in str(info.value)


def test_offset_lists_are_sorted_unique_and_round_trip():
    offsets = parse_offsets("1h, 7d,10m,1d,1h")
    assert offsets == (timedelta(days=7), timedelta(days=1), timedelta(hours=1), timedelta(minutes=10))
    assert format_offsets(offsets) == "1w,1d,1h,10m"
    assert parse_offsets(format_offsets(offsets)) == offsets
    assert describe_offset(timedelta(days=1, hours=12)) == "1 day 12 hours"
    with pytest.raises(UserError):
        parse_offsets(" , ")


def test_zones_are_iana_names():
    assert zone("Europe/Zurich").key == "Europe/Zurich"
    assert zone(" Asia/Manila ").key == "Asia/Manila"
    assert zone("utc").key == "UTC"
    for bad in ("CET+1", "Geneva", "Europe/Geneva", "", "../etc/passwd"):
        with pytest.raises(UserError, match="not a time zone I know"):
            zone(bad)
    assert zone_choices("")[0] == "Europe/Zurich"
    assert "America/New_York" in zone_choices("new_y")
    assert all("zur" in z.lower() for z in zone_choices("zur"))


def test_local_times_become_utc_instants():
    assert parse_local("2027-01-26 10:00", ZURICH) == datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # CET
    assert parse_local("2027-09-26 10.00", ZURICH) == datetime(2027, 9, 26, 8, 0, tzinfo=UTC)  # CEST, ITU form
    assert parse_local("17:30", ZURICH, base_date=date(2027, 1, 26)) == datetime(2027, 1, 26, 16, 30, tzinfo=UTC)
    assert parse_local("2027-01-26 14h30", ZURICH) == datetime(2027, 1, 26, 13, 30, tzinfo=UTC)


def test_a_time_in_the_spring_gap_is_refused():
    with pytest.raises(UserError, match="does not exist in Europe/Zurich"):
        parse_local("2027-03-28 02:30", ZURICH)


def test_a_time_in_the_autumn_fold_is_refused():
    with pytest.raises(UserError, match="happens twice in Europe/Zurich"):
        parse_local("2027-10-31 02:30", ZURICH)


@pytest.mark.parametrize("text", ["2027-02-30 10:00", "2027-01-26 25:00", "26/01/2027 10:00", "tomorrow", "10:00"])
def test_bad_dates_and_times_are_refused(text):
    with pytest.raises(UserError):
        parse_local(text, ZURICH)


def test_display_uses_discord_timestamps_and_itu_geneva_time():
    start = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
    unix = int(start.timestamp())
    assert discord_ts(start) == f"<t:{unix}:F>"
    assert when_line(start) == f"<t:{unix}:F> (<t:{unix}:R>)"
    assert itu_time(start) == "26 January 2027, 10.00 hours Geneva time (CET)"
    assert itu_span(start, start + timedelta(hours=7, minutes=30)) == (
        "26 January 2027, 10.00-17.30 hours Geneva time (CET)"
    )
    summer = datetime(2027, 9, 26, 8, 0, tzinfo=UTC)
    assert itu_time(summer) == "26 September 2027, 10.00 hours Geneva time (CEST)"
    assert itu_time(summer, "Asia/Manila") == "26 September 2027, 16.00 hours Manila time (PST)"


@pytest.mark.parametrize(
    ("n", "short", "words"),
    [
        (1, "1st", "first"),
        (2, "2nd", "second"),
        (3, "3rd", "third"),
        (11, "11th", "eleventh"),
        (12, "12th", "twelfth"),
        (13, "13th", "thirteenth"),
        (19, "19th", "nineteenth"),
        (20, "20th", "twentieth"),
        (21, "21st", "twenty-first"),
        (22, "22nd", "twenty-second"),
        (111, "111th", "111th"),
    ],
)
def test_ordinals(n, short, words):
    assert ordinal(n) == short
    assert ordinal_words(n) == words


def test_itu_hours_word_is_accepted_with_a_date():
    assert parse_local("2027-01-26 10.00 hours", ZURICH) == datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
    assert parse_local("14.30 hrs", ZURICH, base_date=date(2027, 1, 26)) == datetime(2027, 1, 26, 13, 30, tzinfo=UTC)


def test_deadlines_count_calendar_days_in_geneva_across_dst():
    from cogs.core.timefmt import calendar_days_before

    opening = datetime(2027, 4, 6, 8, 0, tzinfo=UTC)  # 10.00 CEST, after the March change
    deadline = calendar_days_before(opening, 12)
    assert deadline.astimezone(ZURICH).strftime("%Y-%m-%d %H:%M") == "2027-03-25 10:00"  # 10.00 CET
    assert opening - deadline == timedelta(days=12, hours=-1), "one hour shorter: the clocks went forward"
    assert calendar_days_before(opening, 0) == opening


def test_reminders_and_contributions_agree_on_the_deadline():
    from factories import meeting

    from cogs.contributions._rules import deadline_for
    from cogs.reminders._rules import contribution_deadline

    opening = datetime(2027, 4, 6, 8, 0, tzinfo=UTC)
    m = meeting(starts_at=opening)
    assert deadline_for(m, 12) == contribution_deadline(m, 12)
