"""The calendar feed's rules at their limits: the feed's header lines exactly, the meeting's Discord
places in its description, links with and without a message, and conditional requests at the second.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import factories
from icalendar import Calendar

from cogs.calendar import _rules

T0 = datetime(2026, 12, 1, 15, 0, 0, tzinfo=UTC)


def test_an_empty_feed_has_exactly_its_calendar_lines():
    assert _rules.build_feed("CWG-COP meetings", []).decode().split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ITU CWG-COP//Meeting bot//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALDESC:CWG-COP meetings, kept up to date by the meeting bot",
        "X-WR-CALNAME:CWG-COP meetings",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "END:VCALENDAR",
        "",
    ]


def test_calendar_programs_poll_hourly_and_caches_keep_an_answer_5_minutes():
    assert timedelta(hours=1) == _rules.REFRESH
    assert _rules.CACHE_CONTROL == "private, max-age=300"
    assert _rules.CONTENT_TYPE == "text/calendar; charset=utf-8"


def test_the_feed_keeps_meetings_that_ended_within_a_year():
    assert timedelta(days=365) == _rules.PAST_WINDOW


def test_a_meeting_in_the_feed_points_to_its_agenda_and_chat():
    meeting = factories.meeting()
    entry = _rules.FeedEntry(meeting, "https://discord.com/channels/1/2/3", "https://discord.com/channels/1/4", "chat")
    (event,) = Calendar.from_ical(_rules.build_feed("CWG-COP meetings", [entry])).walk("VEVENT")
    assert str(event["DESCRIPTION"]).endswith(
        "Agenda: https://discord.com/channels/1/2/3\nMeeting chat on Discord: #chat https://discord.com/channels/1/4"
    )
    assert event["DTSTAMP"].dt == meeting.updated_at


def test_description_lines_leave_out_what_is_missing():
    meeting = factories.meeting()
    assert _rules.description_lines(_rules.FeedEntry(meeting, None, None, None)) == []
    assert _rules.description_lines(_rules.FeedEntry(meeting, None, "https://d/1/4", None)) == [
        "Meeting chat on Discord: https://d/1/4"
    ]


def test_jump_links_to_a_channel_or_a_message():
    assert _rules.jump_url(1, 4) == "https://discord.com/channels/1/4"
    assert _rules.jump_url(1, 4, 9) == "https://discord.com/channels/1/4/9"
    assert _rules.calendar_name("CWG-COP") == "CWG-COP meetings"


def test_links_keep_a_base_path_and_webcal_replaces_only_the_scheme():
    assert _rules.feed_url("https://x.org/bot//", "s") == "https://x.org/bot/calendar/s.ics"
    assert _rules.webcal_url("http://x.org/a://b") == "webcal://x.org/a://b"


def test_etags_are_the_first_40_hex_digits_of_the_sha256_in_quotes():
    assert _rules.etag_of(b"feed") == '"' + hashlib.sha256(b"feed").hexdigest()[:40] + '"'


def test_last_modified_moves_a_second_past_an_equal_previous_value():
    assert _rules.next_changed_at(T0, T0) == T0 + timedelta(seconds=1)
    assert _rules.next_changed_at(T0, T0 + timedelta(seconds=1)) == T0 + timedelta(seconds=1)
    assert _rules.next_changed_at(None, T0).tzinfo is UTC


def test_a_date_without_zone_is_read_as_gmt_and_weak_or_listed_tags_match():
    assert _rules.not_modified('"abc"', T0, None, "Tue, 01 Dec 2026 15:00:00")
    assert not _rules.not_modified('"abc"', T0 + timedelta(seconds=1), None, "Tue, 01 Dec 2026 15:00:00 GMT")
    assert _rules.not_modified('"abc"', T0, ' "x" ,W/"abc"', None)
    assert not _rules.not_modified('"abc"', T0, "", None)


def test_meetings_in_the_feed_are_given_in_their_own_zone():
    entry = _rules.FeedEntry(factories.meeting(), None, None, None)
    body = _rules.build_feed("CWG-COP meetings", [entry]).decode()
    assert "DTSTART;TZID=Europe/Zurich:20270126T100000" in body.split("\r\n")


def test_a_base_address_loses_only_its_trailing_slashes():
    assert _rules.feed_url("https://x.org/X/", "s") == "https://x.org/X/calendar/s.ics"


def test_http_dates_and_last_modified_do_not_depend_on_the_machines_zone(machine_in_chatham):
    assert _rules.http_date(T0) == "Tue, 01 Dec 2026 15:00:00 GMT"
    later = _rules.next_changed_at(T0, T0)
    assert later == T0 + timedelta(seconds=1)
    assert later.tzinfo is UTC
