"""The report rules at their limits: period boundaries, youth names that regular expressions and case
folding disagree on, documents and figures added up over several rows and meetings, the smallest
"largest meeting", and the purged chat in full.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from test_reports_rules import Person, Record, Row, Section

from cogs.core.errors import UserError
from cogs.reports import _rules
from cogs.reports._rules import (
    BEFORE_FIRST_TOPIC,
    PURGED,
    Chat,
    Documents,
    MeetingRef,
    TopicActivity,
    YouthScrubber,
    chat_from,
    date_choices,
    documents_from,
    messages_by_topic,
    parse_period,
    period_report,
)

T0 = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)


def ref(number: int, at: datetime = T0, *, cancelled: bool = False) -> MeetingRef:
    return MeetingRef(number, f"Meeting {number}", at, at + timedelta(hours=7), cancelled, None, None)


def refusal(call, *args) -> str:
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


# -- periods ----------------------------------------------------------------------------------------


def test_periods_may_run_from_2000_to_2100():
    assert parse_period("2000-01-01", "2000-01-31", "UTC").first == date(2000, 1, 1)
    assert parse_period("2100-12-01", "2100-12-31", "UTC").last == date(2100, 12, 31)
    assert refusal(parse_period, "1999-12-31", "2000-01-31", "UTC") == (
        "`1999-12-31` is out of range: give dates between 2000 and 2100."
    )


def test_a_period_of_exactly_3660_days_is_the_longest():
    first = date(2020, 1, 1)
    last = first + timedelta(days=3659)
    assert parse_period(first.isoformat(), last.isoformat(), "UTC").last == last
    assert refusal(parse_period, first.isoformat(), (last + timedelta(days=1)).isoformat(), "UTC") == (
        "That period is longer than ten years. Choose a shorter one (a four-year report fits)."
    )


def test_a_reversed_period_says_which_date_goes_where():
    assert refusal(parse_period, "2027-02-01", "2027-01-31", "UTC") == (
        "The period starts after it ends (2027-02-01 is after 2027-01-31). "
        "Give the earlier date as `from` and the later one as `to`."
    )


def test_a_period_keeps_its_zone_and_its_bounds_are_utc_instants(machine_in_chatham):
    period = parse_period("2027-01-01", "2027-01-31", "Europe/Zurich")
    assert period.timezone == "Europe/Zurich"
    assert period.start == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert period.start.tzinfo is UTC and period.end.tzinfo is UTC


# -- youth privacy -------------------------------------------------------------------------------


def test_a_two_letter_youth_name_is_hidden():
    assert YouthScrubber({"Al": "Participant 1"})("thanks Al") == "thanks Participant 1"


def test_the_longest_youth_name_is_replaced_first():
    scrub = YouthScrubber({"Ana": "Participant 1", "Ana Maria": "Participant 2"})
    assert scrub("thanks Ana Maria and Ana") == "thanks Participant 2 and Participant 1"


def test_a_longer_youth_name_wins_whatever_the_case_of_a_shorter_one():
    # "ana" sorts after "Ana Maria" by code point; by length, "Ana Maria" goes first and "Maria" never shows.
    scrub = YouthScrubber({"ana": "Participant 1", "Ana Maria": "Participant 1"})
    assert scrub("thanks Ana Maria") == "thanks Participant 1"


def test_a_youth_name_matched_in_another_case_form_is_still_hidden():
    # "IŞIK" matches "Işık" ignoring case, but folds to "işik": the name is hidden all the same.
    assert YouthScrubber({"Işık": "Participant 1"})("IŞIK and işık") == "a youth participant and Participant 1"


def test_every_youth_is_collected_whatever_comes_first():
    names = _rules.youth_names({1: ["Bob"], 2: ["Amira"], 3: ["Jo"]}, {2: "Participant 1", 3: "Participant 2"})
    assert names == {"Amira": "Participant 1", "Jo": "Participant 2"}


# -- documents -----------------------------------------------------------------------------------


def test_documents_over_several_rows_are_added_up():
    rows = [
        Row("contribution", "withdrawn", False, "member_state", 2),
        Row("contribution", "withdrawn", False, "youth", 1),
        Row("contribution", "rejected", False, "member_state", 3),
        Row("information", "rejected", False, "secretariat", 1),
        Row("contribution", "accepted", True, "member_state", 2),
        Row("contribution", "accepted", True, "academia", 1),
        Row("contribution", "late", True, "member_state", 4),
        Row("information", "late", True, "secretariat", 1),
        Row("contribution", "submitted", False, "unknown-type", 5),
    ]
    assert documents_from(rows) == Documents(
        contributions=12,
        information=1,
        late=8,
        late_accepted=3,
        late_awaiting=5,
        withdrawn=3,
        not_accepted=4,
        by_source_type=(("member_state", 6, 0), ("academia", 1, 0), ("secretariat", 0, 1), ("other", 5, 0)),
    )


def test_a_row_of_an_unknown_status_is_not_counted_and_does_not_stop_the_count():
    rows = [Row("contribution", "draft", False, "youth", 7), Row("contribution", "submitted", False, "youth", 1)]
    assert documents_from(rows).contributions == 1


# -- chat and topics --------------------------------------------------------------------------------


def test_only_topics_that_were_opened_count():
    sections = [Section("5", "Contributions", T0), Section(None, "Never opened", None), Section(None, None, T0)]
    assert [s.title for s in _rules.topic_starts(sections)] == ["Contributions"]


def test_the_counts_must_match_the_topics():
    with pytest.raises(ValueError, match=r"^3 counts for 1 topics$"):
        messages_by_topic([Section("5", "Contributions", T0)], [1, 2, 3])


def test_free_topics_are_told_apart_by_title_and_youth_names_hidden():
    sections = [
        Section(None, "Free discussion", T0),
        Section(None, "Amira's proposal", T0 + timedelta(minutes=5)),
        Section(None, "free  DISCUSSION", T0 + timedelta(minutes=9)),
    ]
    scrub = YouthScrubber({"Amira": "Participant 1"})
    assert messages_by_topic(sections, [2, 3, 4, 5], scrub) == (
        TopicActivity(BEFORE_FIRST_TOPIC, None, 2),
        TopicActivity("Free discussion", None, 8),
        TopicActivity("Participant 1's proposal", None, 4),
    )


def test_chat_topics_hide_youth_names():
    sections = [Section(None, "Amira's proposal", T0)]
    chat = chat_from(
        Record(), [Person(1, 3, 3)], sections=sections, topic_counts=[0, 3], scrub=YouthScrubber({"Amira": "P1"})
    )
    assert chat.by_topic == (TopicActivity("P1's proposal", None, 3),)


def test_a_purged_chat_keeps_only_what_the_minutes_snapshot_knows():
    purged = T0 + timedelta(days=400)
    chat = chat_from(
        Record(purged_at=purged, deleted=4, removed=1),
        [Person(1, 3, None), Person(2, 2, None, youth=True)],
        busiest=[(T0, 9)],
    )
    assert chat == Chat(
        state=PURGED,
        messages=5,
        in_threads=None,
        present=2,
        in_channel=None,
        youth=1,
        deleted=None,
        removed=None,
        by_topic=(),
        busiest=(),
        purged_at=purged,
    )


def test_an_outcome_without_text_is_an_empty_line():
    assert _rules._one_line(None) == ""


# -- the period report --------------------------------------------------------------------------------


def figures(number: int, documents: Documents, people=()):
    chat = chat_from(Record(), list(people))
    return _rules.meeting_figures(ref(number), documents, chat, list(people), (), ())


def docs(contributions: int, information: int = 0, late: int = 0, withdrawn: int = 0, not_accepted: int = 0):
    return Documents(contributions, information, late, late, 0, withdrawn, not_accepted, ())


def test_period_totals_add_every_figure_of_every_meeting():
    report = period_report(
        parse_period("2027-01-01", "2027-12-31", "UTC"),
        [figures(19, docs(1, 2, 3, 4, 5)), figures(20, docs(10, 20, 30, 40, 50))],
        [],
        generated_at=T0,
    )
    t = report.totals
    assert (t.contributions, t.information, t.late, t.withdrawn, t.not_accepted) == (11, 22, 33, 44, 55)


def test_one_contribution_is_enough_to_be_the_largest_meeting_and_none_is_not():
    period = parse_period("2027-01-01", "2027-12-31", "UTC")
    assert period_report(period, [figures(19, docs(1))], [], generated_at=T0).most_contributions == (19, 1)
    assert period_report(period, [figures(19, docs(0))], [], generated_at=T0).most_contributions is None


def test_a_meeting_is_held_from_its_start():
    f = figures(19, docs(0))
    assert f.held(T0)
    assert not f.held(T0 - timedelta(seconds=1))


# -- files and suggestions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stem"), [("CWG-COP", "cwg-cop-report"), ("ITU T/SG 17", "itu-t-sg-17-report"), ("##", "report")]
)
def test_file_names_are_lower_case_words_joined_by_hyphens(code, stem):
    assert _rules.file_stem(code, "report") == stem


def test_date_suggestions_mark_cancelled_meetings_and_stop_at_25():
    meetings = [ref(n, T0 + timedelta(days=n), cancelled=n == 3) for n in range(1, 31)]
    choices = date_choices(meetings, "Europe/Zurich", "", date(2027, 1, 1))
    assert len(choices) == 25
    assert date_choices(meetings, "Europe/Zurich", "cancelled", date(2027, 1, 1)) == [
        ("2027-01-29 · meeting 3 (cancelled)", "2027-01-29")
    ]


def test_a_date_typed_that_matches_nothing_is_offered_as_typed_up_to_100_characters():
    typed = "9" * 150
    assert date_choices([], "UTC", typed, date(2027, 1, 1)) == [("9" * 100, "9" * 100)]
