"""Meeting rules and the .ics file: plain values in, plain values (or UserError) out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import meeting
from icalendar import Calendar

from cogs.core.errors import UserError
from cogs.meetings import _ics, _rules

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GENEVA = "Europe/Zurich"


# -- titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "title"),
    [
        (1, "1st meeting of the CWG-COP"),
        (2, "2nd meeting of the CWG-COP"),
        (3, "3rd meeting of the CWG-COP"),
        (11, "11th meeting of the CWG-COP"),
        (12, "12th meeting of the CWG-COP"),
        (13, "13th meeting of the CWG-COP"),
        (19, "19th meeting of the CWG-COP"),
        (21, "21st meeting of the CWG-COP"),
        (22, "22nd meeting of the CWG-COP"),
        (111, "111th meeting of the CWG-COP"),
    ],
)
def test_default_title_has_correct_ordinals(number, title):
    assert _rules.default_title(number, "CWG-COP") == title


def test_default_title_uses_the_group_code():
    assert _rules.default_title(5, "CWG-CHILD") == "5th meeting of the CWG-CHILD"


def test_titles_are_trimmed_and_bounded():
    assert _rules.clean_title("  19th   meeting ") == "19th meeting"
    with pytest.raises(UserError, match="cannot be empty"):
        _rules.clean_title("   ")
    with pytest.raises(UserError, match="keep it to 100"):
        _rules.clean_title("x" * 101)


# -- times ------------------------------------------------------------------------------------


def test_times_are_read_in_geneva_time_and_stored_in_utc():
    times = _rules.read_times("2027-01-26 10:00", "17:30", GENEVA, NOW)
    assert times.starts_at == datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # CET = UTC+1
    assert times.ends_at == datetime(2027, 1, 26, 16, 30, tzinfo=UTC)
    assert times.timezone == GENEVA


def test_summer_time_is_applied():
    times = _rules.read_times("2027-06-15 10:00", "12:00", GENEVA, NOW)
    assert times.starts_at == datetime(2027, 6, 15, 8, 0, tzinfo=UTC)  # CEST = UTC+2


@pytest.mark.parametrize(("start", "end"), [("2027-01-26 10.00", "17.30"), ("2027-01-26 10.00 hours", "17.30 hours")])
def test_itu_dotted_times_are_accepted(start, end):
    times = _rules.read_times(start, end, GENEVA, NOW)
    assert (times.starts_at.hour, times.ends_at.hour, times.ends_at.minute) == (9, 16, 30)


def test_end_can_be_a_full_date_time_on_another_day():
    times = _rules.read_times("2027-01-26 14:00", "2027-01-27 12:00", GENEVA, NOW)
    assert times.ends_at == datetime(2027, 1, 27, 11, 0, tzinfo=UTC)


def test_other_zones_are_read_in_that_zone():
    times = _rules.read_times("2027-01-26 08:00", "10:00", "America/New_York", NOW)
    assert times.starts_at == datetime(2027, 1, 26, 13, 0, tzinfo=UTC)
    assert times.timezone == "America/New_York"


def test_a_time_skipped_by_the_spring_change_is_refused():
    with pytest.raises(UserError, match="does not exist in Europe/Zurich"):
        _rules.read_times("2027-03-28 02:30", "04:00", GENEVA, NOW)


def test_a_time_that_happens_twice_in_autumn_is_refused():
    with pytest.raises(UserError, match="happens twice"):
        _rules.read_times("2027-10-31 02:30", "05:00", GENEVA, NOW)


def test_an_ambiguous_end_is_refused_too():
    with pytest.raises(UserError, match="happens twice"):
        _rules.read_times("2027-10-31 01:00", "02:30", GENEVA, NOW)


@pytest.mark.parametrize("end", ["09:00", "10:00", "2027-01-25 18:00"])
def test_end_must_be_after_start(end):
    with pytest.raises(UserError, match="must be after the start"):
        _rules.read_times("2027-01-26 10:00", end, GENEVA, NOW)


def test_a_start_in_the_past_is_refused():
    with pytest.raises(UserError, match="in the past"):
        _rules.read_times("2026-11-01 10:00", "12:00", GENEVA, NOW)


def test_an_unknown_zone_is_refused():
    with pytest.raises(UserError, match="not a time zone"):
        _rules.read_times("2027-01-26 10:00", "12:00", "Mars/Olympus_Mons", NOW)


@pytest.mark.parametrize(
    "start", ["26/01/2027 10:00", "2027-01-26", "tomorrow", "2027-02-30 10:00", "2027-01-26 25:00"]
)
def test_malformed_starts_are_refused(start):
    with pytest.raises(UserError):
        _rules.read_times(start, "17:00", GENEVA, NOW)


def test_meetings_longer_than_a_week_or_years_away_are_refused():
    with pytest.raises(UserError, match="at most 7 days"):
        _rules.read_times("2027-01-26 10:00", "2027-02-26 10:00", GENEVA, NOW)
    with pytest.raises(UserError, match="five years"):
        _rules.read_times("2037-01-26 10:00", "12:00", GENEVA, NOW)


# -- edits ------------------------------------------------------------------------------------


def test_a_new_start_alone_keeps_the_length():
    times = _rules.read_new_times(meeting(), "2027-02-02 14:00", None, None, NOW)
    assert times.starts_at == datetime(2027, 2, 2, 13, 0, tzinfo=UTC)
    assert times.ends_at - times.starts_at == timedelta(hours=7, minutes=30)


def test_a_new_end_alone_keeps_the_start():
    times = _rules.read_new_times(meeting(), None, "12.00", None, NOW)
    assert times.starts_at == meeting().starts_at
    assert times.ends_at == datetime(2027, 1, 26, 11, 0, tzinfo=UTC)


def test_no_new_times_means_none():
    assert _rules.read_new_times(meeting(), None, None, None, NOW) is None


def test_a_zone_alone_is_refused_with_a_hint():
    with pytest.raises(UserError, match="give the start"):
        _rules.read_new_times(meeting(), None, None, "Asia/Manila", NOW)


def test_a_past_meeting_keeps_its_times():
    past = meeting(starts_at=NOW - timedelta(days=3), ends_at=NOW - timedelta(days=3) + timedelta(hours=2))
    with pytest.raises(UserError, match="already taken place"):
        _rules.read_new_times(past, None, "23:00", None, NOW)


def test_changed_fields_keeps_only_differences():
    m = meeting()
    assert _rules.changed_fields(m, {"title": m.title, "venue": "Online"}) == {"venue": "Online"}


# -- links and places -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link", ["https://itu.zoom.us/j/123?pwd=abc", "http://www.itu.int/cwg-cop", "https://localhost:8080/x"]
)
def test_web_links_are_accepted(link):
    assert _rules.clean_link(link) == link


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://itu.int/file",
        "itu.int/meeting",
        "https://",
        "https://exa mple.org/x",
        "https://intranet/x",
        "https://" + "a" * 600 + ".org",
        "mailto:chair@itu.int",
    ],
)
def test_other_links_are_refused(link):
    with pytest.raises(UserError, match="not a web link"):
        _rules.clean_link(link)


def test_empty_link_and_venue_mean_none():
    assert _rules.clean_link("  ") is None
    assert _rules.clean_venue("   ") is None


def test_event_location_combines_venue_and_link_when_it_fits():
    assert _rules.event_fields(meeting()).location == "ITU headquarters, Geneva · https://itu.zoom.us/j/123"
    long_link = "https://itu.zoom.us/j/" + "9" * 90
    assert _rules.event_fields(meeting(link=long_link)).location == "ITU headquarters, Geneva"
    assert _rules.event_fields(meeting(venue=None)).location == "https://itu.zoom.us/j/123"
    assert _rules.event_fields(meeting(venue=None, link=None)).location == "Online"


# -- the .ics file ----------------------------------------------------------------------------


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_ics_parses_back_with_the_same_instants_in_utc():
    m = meeting()
    calendar, event = parse(_ics.meeting_ics(m, NOW))
    assert str(calendar["version"]) == "2.0"
    assert event.decoded("dtstart") == m.starts_at
    assert event.decoded("dtend") == m.ends_at
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["summary"]) == "19th meeting of the CWG-COP"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == m.link
    assert "10.00-17.30 hours Geneva time" in str(event["description"])
    assert b"DTSTART:20270126T090000Z" in _ics.meeting_ics(m, NOW)


def test_ics_uid_is_stable_and_sequence_follows_the_meeting():
    first = parse(_ics.meeting_ics(meeting(id=7, guild_id=4242), NOW))[1]
    changed = meeting(id=7, guild_id=4242, sequence=3, title="Changed")
    later = parse(_ics.meeting_ics(changed, NOW + timedelta(days=1)))[1]
    assert str(first["uid"]) == str(later["uid"]) == "meeting-7@4242.cwgcop"
    assert (first.decoded("sequence"), later.decoded("sequence")) == (0, 3)


def test_ics_of_a_cancelled_meeting():
    event = parse(_ics.meeting_ics(meeting(status="cancelled", cancel_reason="No quorum", sequence=2), NOW))[1]
    assert str(event["status"]) == "CANCELLED"
    assert "No quorum" in str(event["description"])
    assert event.decoded("sequence") == 2


def test_ics_filename():
    assert _ics.ics_filename(meeting(), "CWG-COP") == "cwg-cop-19.ics"
