"""Meeting rules at their limits: every length limit, exactly 7 days long, starting exactly now or five
years ahead, edits of a meeting under way or over, times read and shown in the meeting's own zone, and
the Discord event mirror in full.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import meeting

from cogs.core.errors import UserError
from cogs.meetings import _rules

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GENEVA = "Europe/Zurich"


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# -- fields -----------------------------------------------------------------------------------------


def test_a_title_of_100_characters_is_kept_and_none_is_empty():
    assert _rules.clean_title("t" * 100) == "t" * 100
    assert refusal(_rules.clean_title, None) == "The title cannot be empty."


def test_a_venue_is_one_line_of_at_most_100_characters():
    assert _rules.clean_venue(None) is None
    assert _rules.clean_venue(" ITU \n headquarters ") == "ITU headquarters"
    assert _rules.clean_venue("v" * 100) == "v" * 100
    assert refusal(_rules.clean_venue, "v" * 101) == "The venue is 101 characters long; keep it to 100."


def test_a_link_of_500_characters_is_kept_and_a_refusal_quotes_100():
    link = "https://example.org/" + "p" * 480
    assert _rules.clean_link(link) == link
    assert refusal(_rules.clean_link, link + "q") == (
        f"`{link[:100]}` is not a web link I can share. Give a full address starting with "
        "`https://` (or `http://`), e.g. `https://itu.zoom.us/j/123456789`."
    )


def test_a_cancellation_reason_is_optional_one_line_and_at_most_500_characters():
    assert _rules.clean_reason(None) is None
    assert _rules.clean_reason("   ") is None
    assert _rules.clean_reason(" Venue \n closed ") == "Venue closed"
    assert _rules.clean_reason("r" * 500) == "r" * 500
    assert refusal(_rules.clean_reason, "r" * 501) == "The reason is 501 characters long; keep it to 500."


@pytest.mark.parametrize(
    ("name", "zone"), [(None, GENEVA), ("  ", GENEVA), ("America/New_York", "America/New_York"), ("utc", "UTC")]
)
def test_a_meeting_zone_defaults_to_the_servers(name, zone):
    assert _rules.clean_zone(name, GENEVA) == zone


# -- times --------------------------------------------------------------------------------------------


def test_an_end_before_the_start_is_shown_in_the_meetings_zone():
    assert refusal(_rules.read_times, "2027-01-26 10:00", "09:00", "America/New_York", NOW) == (
        "The end (2027-01-26 09:00) must be after the start (2027-01-26 10:00). "
        "For a meeting that ends on another day, give the end as `YYYY-MM-DD HH:MM`."
    )


def test_a_meeting_may_last_exactly_7_days():
    times = _rules.read_times("2027-01-26 10:00", "2027-02-02 10:00", GENEVA, NOW)
    assert times.ends_at - times.starts_at == timedelta(days=7)
    assert refusal(_rules.read_times, "2027-01-26 10:00", "2027-02-02 10:01", GENEVA, NOW) == (
        "A meeting lasts at most 7 days; check the end date."
    )


def test_a_meeting_starting_exactly_now_is_in_the_past_saying_when_in_its_zone():
    now = datetime(2027, 1, 26, 15, 0, tzinfo=UTC)
    assert refusal(_rules.read_times, "2027-01-26 10:00", "12:00", "America/New_York", now) == (
        "The start (26 January 2027, 10.00 hours New York time (EST)) is in the past. "
        "Give a future date and time as `YYYY-MM-DD HH:MM`."
    )


def test_a_start_up_to_5_times_366_days_ahead_is_accepted():
    now = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # 10.00 Geneva time
    limit = now + _rules.MAX_AHEAD
    assert limit == now + timedelta(days=1830)
    local = limit.astimezone(_rules.ZoneInfo(GENEVA))
    start = f"{local:%Y-%m-%d %H:%M}"
    assert _rules.read_times(start, "23:59", GENEVA, now).starts_at == limit
    later = f"{local:%Y-%m-%d} {local.hour}:01"
    assert refusal(_rules.read_times, later, "23:59", GENEVA, now) == (
        "That start is more than five years away; check the year."
    )


# -- edits ----------------------------------------------------------------------------------------------


def test_new_times_are_read_in_the_zone_given_and_keep_it():
    times = _rules.read_new_times(meeting(), "2027-02-01 10:00", "12:00", "America/New_York", NOW)
    assert times == _rules.Times(
        datetime(2027, 2, 1, 15, 0, tzinfo=UTC), datetime(2027, 2, 1, 17, 0, tzinfo=UTC), "America/New_York"
    )


def test_a_zone_alone_is_refused_with_an_example():
    assert refusal(_rules.read_new_times, meeting(), None, None, "Asia/Manila", NOW) == (
        "The time zone says how to read `start` and `end`; give the start (and end) again with it, "
        "e.g. `start:2027-01-26 10:00 end:17:30 timezone:America/New_York`."
    )


def test_a_meeting_under_way_may_end_later_but_not_start_in_the_past():
    under_way = meeting(starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=2))
    times = _rules.read_new_times(under_way, None, "2026-11-28 18:00", None, NOW)
    assert times.ends_at == datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    assert refusal(_rules.read_new_times, under_way, "2026-11-28 12:30", None, None, NOW).startswith(
        "The start (28 November 2026, 12.30 hours Geneva time (CET)) is in the past."
    )


def test_a_meeting_that_took_place_keeps_its_times_even_if_its_start_is_repeated():
    past = meeting(starts_at=NOW - timedelta(days=3), ends_at=NOW - timedelta(days=3) + timedelta(hours=2))
    start = f"{past.starts_at.astimezone(_rules.ZoneInfo(GENEVA)):%Y-%m-%d %H:%M}"
    assert refusal(_rules.read_new_times, past, start, "2026-11-25 23:00", None, NOW) == (
        "This meeting has already taken place; its times can no longer change."
    )
    same_end = f"{past.ends_at.astimezone(_rules.ZoneInfo(GENEVA)):%Y-%m-%d %H:%M}"
    assert _rules.read_new_times(past, start, same_end, None, NOW) == _rules.Times(past.starts_at, past.ends_at, GENEVA)


# -- the Discord event mirror --------------------------------------------------------------------------


def test_the_event_mirror_in_full():
    m = meeting()
    assert _rules.event_fields(m) == _rules.EventFields(
        name="19th meeting of the CWG-COP",
        location="ITU headquarters, Geneva · https://itu.zoom.us/j/123",
        description=(
            "26 January 2027, 10.00-17.30 hours Geneva time (CET)\n"
            "Venue: ITU headquarters, Geneva\n"
            "Join: https://itu.zoom.us/j/123\n"
            "The agenda and documents are posted in the server's agenda channel."
        ),
        start=m.starts_at,
        end=m.ends_at,
    )


def test_venue_and_link_share_the_location_up_to_exactly_100_characters():
    fits = "https://itu.zoom.us/j/" + "9" * 51  # 24 + 3 + 73 = 100
    assert _rules.event_fields(meeting(link=fits)).location == f"ITU headquarters, Geneva · {fits}"
    assert _rules.event_fields(meeting(link=fits + "9")).location == "ITU headquarters, Geneva"


def test_event_name_is_cut_to_discords_limit_and_no_place_reads_online():
    fields = _rules.event_fields(meeting(title="n" * 150, venue=None, link=None))
    assert fields.name == "n" * 100
    assert fields.location == "Online"


def test_a_title_over_100_characters_is_refused_saying_discords_limit():
    assert (
        refusal(_rules.clean_title, "t" * 101) == "The title is 101 characters long; keep it to 100 (Discord's limit)."
    )


def test_an_event_without_a_place_reads_online_in_the_servers_first_language():
    bare = meeting(venue=None, link=None)
    assert _rules.event_fields(bare, ("fr", "en")).location == "En ligne"
    assert _rules.event_fields(bare, ()).location == "Online"


def test_an_event_description_in_six_languages_stays_within_1000_characters():
    description = _rules.event_fields(meeting(), ("en", "fr", "es", "ru", "zh", "ar")).description
    assert len(description) <= 1000
    assert description.startswith("26 January 2027, 10.00-17.30 hours Geneva time (CET)")
