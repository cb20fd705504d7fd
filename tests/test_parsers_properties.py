"""Every parser of typed input (issue 11): never an exception other than UserError, whatever is
typed, and the printed form reads back as the same value (Hypothesis; profiles in conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st

from cogs.agenda import _rules as agenda
from cogs.capture import _rules as capture
from cogs.contributions import _rules as contributions
from cogs.core import timefmt
from cogs.core.errors import UserError
from cogs.meetings import _rules as meetings
from cogs.setup import _rules as setup
from storage.contributions import KIND_CONTRIBUTION, KIND_INFORMATION, document_number
from tests import factories

GENEVA = ZoneInfo("Europe/Zurich")
ZONES = st.sampled_from(["Europe/Zurich", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns"])


def typed(*pieces: str) -> st.SearchStrategy[str]:
    """Text a member might type: arbitrary, or made of the pieces that the parser looks for."""
    alphabet = st.sampled_from([*pieces, "0", "1", "9", "99999999999999999999", " ", "-", ".", ":", "/", "٣", "\n"])
    return st.one_of(st.text(max_size=60), st.lists(alphabet, max_size=12).map("".join))


def only_user_errors(parse, *args, **kwargs):
    try:
        return parse(*args, **kwargs)
    except UserError as error:
        assert str(error)  # a message the member can act on
        return None


# -- cogs/core/timefmt.py ---------------------------------------------------------------------------


@given(typed("m", "h", "d", "w", "1d12h", "30m", ","))
def test_offsets_never_crash(text) -> None:
    only_user_errors(timefmt.parse_offset, text)
    only_user_errors(timefmt.parse_offsets, text)
    only_user_errors(setup.clean_offsets, text)


@given(st.integers(min_value=1, max_value=int(timefmt.MAX_OFFSET.total_seconds() // 60)))
def test_offsets_round_trip(minutes) -> None:
    delta = timedelta(minutes=minutes)
    assert timefmt.parse_offset(timefmt.format_offset(delta)) == delta


@given(st.lists(st.integers(min_value=1, max_value=80640), min_size=1, max_size=10))
def test_offset_lists_round_trip(minutes) -> None:
    offsets = timefmt.parse_offsets(",".join(f"{m}m" for m in minutes))
    assert timefmt.parse_offsets(timefmt.format_offsets(offsets)) == offsets


@given(typed("2027-01-26", "10:00", "10.00", " hours", "h", "9999-12-31", "0001-01-01", "23:59"), ZONES)
def test_local_times_never_crash(text, zone_name) -> None:
    tz = ZoneInfo(zone_name)
    only_user_errors(timefmt.parse_date, text)
    only_user_errors(timefmt.parse_time, text)
    only_user_errors(timefmt.parse_local, text, tz)
    only_user_errors(timefmt.parse_local, text, tz, base_date=date(2027, 1, 26))


@given(st.dates(), st.times().map(lambda t: t.replace(second=0, microsecond=0)), ZONES)
def test_local_times_round_trip(day, clock, zone_name) -> None:
    tz = ZoneInfo(zone_name)
    instant = only_user_errors(timefmt.parse_local, f"{day.isoformat()} {clock:%H:%M}", tz)
    if instant is not None:  # refused: a wall time that does not exist, happens twice, or is out of range
        assert instant.tzinfo is UTC
        assert instant.astimezone(tz).replace(tzinfo=None) == datetime.combine(day, clock)
    itu = only_user_errors(timefmt.parse_local, f"{day.isoformat()} {clock:%H.%M} hours", tz)
    assert itu == instant


@given(typed("Europe/Zurich", "UTC", "utc", "Europe/", "../", "\x00"))
def test_zones_never_crash(text) -> None:
    only_user_errors(timefmt.zone, text)
    only_user_errors(setup.clean_timezone, text)


# -- meetings: start and end as typed ---------------------------------------------------------------


@given(typed("2027-01-26 10:00", "17:30", "9999-12-31 23:59", "0001-01-01 00:00"), typed("17:30", "10.00"), ZONES)
def test_meeting_times_never_crash(start, end, zone_name) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    only_user_errors(meetings.read_times, start, end, zone_name, now)
    meeting = factories.meeting(starts_at=datetime(2027, 1, 26, 9, tzinfo=UTC))
    only_user_errors(meetings.read_new_times, meeting, start, None, zone_name, now)
    only_user_errors(meetings.read_new_times, meeting, start, end, None, now)
    only_user_errors(meetings.read_new_times, meeting, None, end, zone_name, now)


# -- contributions: document numbers ----------------------------------------------------------------


@given(typed("CWG-COP-", "/", "INF/", "inf", "(Rev.1)", "#"))
def test_document_numbers_never_crash(text) -> None:
    only_user_errors(contributions.parse_number, text)


@given(
    st.from_regex(r"[A-Z][A-Z0-9]{0,5}(-[A-Z0-9]{1,4}){0,2}", fullmatch=True),
    st.integers(1, 9999),
    st.sampled_from([KIND_CONTRIBUTION, KIND_INFORMATION]),
    st.integers(1, 99999),
    st.integers(0, 99),
)
def test_document_numbers_round_trip(code, meeting, kind, seq, revision) -> None:
    ref = contributions.parse_number(document_number(code, meeting, kind, seq, revision))
    assert ref == contributions.NumberRef(meeting, kind, seq)


# -- capture: minutes markers -----------------------------------------------------------------------


@given(typed("#topic", "#info", "#action", "#agreed", "#AGREE", "#link", "#undo", "<@12>", "@Ana", "Ana:", "5.1"))
def test_markers_never_crash(text) -> None:
    marker = capture.parse_marker(text)
    if marker is not None:
        assert marker.kind in (*capture.KINDS, "undo")
        assert marker.text == " ".join(marker.text.split())
        capture.parse_action(marker.text)
        capture.bind_topic(marker.text, [])
    capture.acknowledgement(text, by_organiser=True)
    capture.is_off_record(text)


@given(st.sampled_from(["topic", "info", "action", "agreed", "link", "undo"]), st.text(max_size=40))
def test_markers_round_trip(kind, text) -> None:
    words = " ".join(text.split())
    marker = capture.parse_marker(f"#{kind} {words}")
    assert marker == capture.Marker(kind, words)


# -- setup values -----------------------------------------------------------------------------------


@given(typed("CWG-COP", "cwg", "-", "pdf", "docx", ",", "."))
def test_setup_values_never_crash(text) -> None:
    code = only_user_errors(setup.clean_group_code, text)
    if code is not None:
        assert setup.clean_group_code(code) == code
    types = only_user_errors(setup.clean_file_types, text)
    if types is not None:
        assert setup.clean_file_types(types) == types


@given(st.integers(), st.integers(-10, 10), st.integers(-10, 100))
def test_setup_days_never_crash(value, low, high) -> None:
    assume(low <= high)
    only_user_errors(setup.clean_days, "contribution_days", value, low, high)


# -- agenda item numbers ----------------------------------------------------------------------------


@given(typed("5", "5.1", ".", "item ", "id:", "0", "Opening"))
def test_agenda_item_numbers_never_crash(text) -> None:
    only_user_errors(agenda.parse_number, text)


@given(st.integers(1, 999), st.one_of(st.none(), st.integers(1, 999)))
def test_agenda_item_numbers_round_trip(top, sub) -> None:
    printed = f"{top}" if sub is None else f"{top}.{sub}"
    assert agenda.parse_number(printed) == (top, sub)


def test_times_are_never_naive() -> None:
    assert timefmt.parse_local("2027-01-26 10:00", GENEVA).tzinfo is UTC
    assert time(10, 0) == timefmt.parse_time("10.00 hours")


def _agenda() -> list:
    from storage.meetings import number_agenda

    blank = {"meeting_id": 1, "presenter": None, "minutes": None}
    rows = [
        {**blank, "id": 1, "parent_id": None, "position": 1, "title": "Opening"},
        {**blank, "id": 2, "parent_id": None, "position": 2, "title": "Contributions"},
        {**blank, "id": 3, "parent_id": 2, "position": 1, "title": "Age assurance"},
    ]
    return number_agenda(rows)


@given(typed("id:", "id:3", "5", "2.1", "2.9", "Opening", "open", "item "))
def test_agenda_references_and_placements_never_crash(text) -> None:
    items = _agenda()
    only_user_errors(agenda.find_item, items, text, 19)
    only_user_errors(agenda.place_new, items, number=text, after=None)
    for item in items:
        only_user_errors(agenda.place_move, items, item, text)
