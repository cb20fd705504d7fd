"""The pure rules, words and layout of the reports (plain values in, plain values out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from test_reports_support import png_size

from cogs.core.errors import UserError
from cogs.reports import _chart, _text
from cogs.reports._render import Bullets, Chart, Document, Heading, Para, Table, to_html, to_markdown
from cogs.reports._rules import (
    BEFORE_FIRST_TOPIC,
    NOT_RECORDED,
    PURGED,
    RECORDED,
    RECORDING,
    Action,
    ChartData,
    Documents,
    MeetingRef,
    YouthScrubber,
    chat_from,
    date_choices,
    documents_from,
    meeting_figures,
    messages_by_topic,
    outcomes_from,
    parse_period,
    period_report,
    select_meetings,
    topic_bounds,
    youth_names,
)

T0 = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # 10.00 hours in Geneva


@dataclass
class Row:
    kind: str
    status: str
    is_late: bool
    source_type: str
    count: int


@dataclass
class Person:
    author_id: int
    messages: int
    in_channel: int | None
    youth: bool = False


@dataclass
class Record:
    recordings: int = 1
    recording_open: bool = False
    purged_at: datetime | None = None
    deleted: int = 0
    removed: int = 0


@dataclass
class Section:
    number: str | None
    title: str | None
    at: datetime | None


@dataclass
class Entry:
    text: str
    assignees: tuple[str, ...] = ()


def ref(number: int, at: datetime = T0, *, cancelled: bool = False, chair: str | None = "Ms Chair") -> MeetingRef:
    return MeetingRef(number, f"Meeting {number}", at, at + timedelta(hours=7), cancelled, None, chair)


# ---------------------------------------------------------------------------------------------
# Periods


def test_a_period_covers_whole_days_in_the_servers_zone() -> None:
    winter = parse_period("2027-01-01", "2027-01-31", "Europe/Zurich")
    assert winter.start == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert winter.end == datetime(2027, 1, 31, 23, 0, tzinfo=UTC)  # the last day is included
    assert winter.contains(winter.start) and not winter.contains(winter.end)
    summer = parse_period("2027-07-01", "2027-07-01", "Europe/Zurich")
    assert summer.end - summer.start == timedelta(days=1) and summer.start.hour == 22
    spring = parse_period("2027-03-28", "2027-03-28", "Europe/Zurich")  # clocks go forward that night
    assert spring.end - spring.start == timedelta(hours=23)
    assert parse_period(" 2027-01-01 ", "2027-1-2", "UTC").first == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2027-02-01", "2027-01-31", "starts after it ends"),
        ("2027-02-30", "2027-03-01", "is not a date"),
        ("01/02/2027", "2027-03-01", "YYYY-MM-DD"),
        ("", "2027-03-01", "is not a date"),
        ("2010-01-01", "2027-01-01", "longer than ten years"),
        ("1990-01-01", "1990-02-01", "out of range"),
        ("2027-01-01", "2101-01-01", "out of range"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused(first: str, last: str, expected: str) -> None:
    with pytest.raises(UserError, match=expected):
        parse_period(first, last, "Europe/Zurich")


def test_ten_years_is_the_longest_period() -> None:
    assert parse_period("2020-01-01", "2029-12-31", "Europe/Zurich").last == date(2029, 12, 31)


def test_meetings_are_chosen_by_their_start_in_the_period_cancelled_apart() -> None:
    period = parse_period("2027-01-01", "2027-12-31", "Europe/Zurich")
    inside = ref(19, datetime(2027, 1, 26, 9, tzinfo=UTC))
    last_minute = ref(21, datetime(2027, 12, 31, 22, 59, tzinfo=UTC))
    cancelled = ref(20, datetime(2027, 6, 1, 8, tzinfo=UTC), cancelled=True)
    outside = ref(22, datetime(2027, 12, 31, 23, 0, tzinfo=UTC))  # 1 January 2028 in Geneva
    before = ref(18, datetime(2026, 12, 31, 22, 59, tzinfo=UTC))
    held, dropped = select_meetings([outside, last_minute, cancelled, inside, before], period)
    assert [m.number for m in held] == [19, 21] and [m.number for m in dropped] == [20]


def test_date_suggestions_are_today_and_the_meeting_dates() -> None:
    meetings = [ref(19, datetime(2027, 1, 26, 9, tzinfo=UTC)), ref(20, datetime(2027, 6, 1, 22, 30, tzinfo=UTC))]
    choices = date_choices(meetings, "Europe/Zurich", "", date(2026, 12, 1))
    assert choices == [
        ("2026-12-01 · today", "2026-12-01"),
        ("2027-06-02 · meeting 20", "2027-06-02"),  # the Geneva date
        ("2027-01-26 · meeting 19", "2027-01-26"),
    ]
    assert date_choices(meetings, "Europe/Zurich", "meeting 19", date(2026, 12, 1)) == [
        ("2027-01-26 · meeting 19", "2027-01-26")
    ]
    assert date_choices(meetings, "Europe/Zurich", "2030-01-01", date(2026, 12, 1)) == [("2030-01-01", "2030-01-01")]


# ---------------------------------------------------------------------------------------------
# Youth privacy


def test_youth_names_are_replaced_by_pseudonyms_whole_words_any_case() -> None:
    scrub = YouthScrubber({"Amira": "Participant 1", "amira_k": "Participant 1", "Jo Li": "Participant 2"})
    assert scrub("Amira: summarise") == "Participant 1: summarise"
    assert scrub("thanks to AMIRA and amira_k, and Jo Li's idea") == (
        "thanks to Participant 1 and Participant 1, and Participant 2's idea"
    )
    assert scrub("Amiram and Samira stay, jo lim stays") == "Amiram and Samira stay, jo lim stays"
    assert scrub(None) is None
    assert YouthScrubber()("Amira") == "Amira"


def test_youth_names_with_regex_characters_and_short_names() -> None:
    scrub = YouthScrubber({"A.B (x)": "Participant 3", "Z": "Participant 4", " ": "Participant 5"})
    assert scrub("hello A.B (x)!") == "hello Participant 3!"
    assert scrub("AxB (x)") == "AxB (x)"  # the dot is literal
    assert scrub("Z said") == "Z said"  # one letter: too short to be told from ordinary text


def test_youth_names_collects_every_name_of_each_youth() -> None:
    names = youth_names({1: ["Amira", "amira_k", None, "Participant 1"], 2: ["Bob"]}, {1: "Participant 1"})
    assert names == {"Amira": "Participant 1", "amira_k": "Participant 1"}


def test_outcomes_are_single_lines_with_youth_never_named() -> None:
    scrub = YouthScrubber({"Amira": "Participant 1"})
    agreed, actions = outcomes_from(
        [Entry("welcome\n  Amira's   paper")],
        [Entry("write it", ("Amira", "Secretariat")), Entry("read everything")],
        scrub,
    )
    assert agreed == ("welcome Participant 1's paper",)
    assert actions == (Action(("Participant 1", "Secretariat"), "write it"), Action((), "read everything"))
    assert [a.line for a in actions] == ["Participant 1, Secretariat: write it", "read everything"]


# ---------------------------------------------------------------------------------------------
# Documents


def test_documents_are_counted_by_kind_lateness_and_source_with_withdrawn_and_refused_apart() -> None:
    d = documents_from(
        [
            Row("contribution", "submitted", False, "member_state", 3),
            Row("contribution", "accepted", True, "member_state", 1),
            Row("contribution", "late", True, "youth", 2),
            Row("contribution", "rejected", True, "member_state", 1),
            Row("contribution", "withdrawn", False, "organisation", 4),
            Row("information", "submitted", False, "secretariat", 2),
            Row("information", "accepted", False, "made_up", 1),
        ]
    )
    assert (d.contributions, d.information, d.total) == (6, 3, 9)
    assert (d.late, d.late_accepted, d.late_awaiting) == (3, 1, 2)
    assert (d.withdrawn, d.not_accepted) == (4, 1)
    assert d.by_source_type == (("member_state", 4, 0), ("youth", 2, 0), ("secretariat", 0, 2), ("other", 0, 1))
    assert documents_from([]) == Documents(0, 0, 0, 0, 0, 0, 0, ())


def test_the_documents_sentence() -> None:
    d = documents_from(
        [
            Row("contribution", "submitted", False, "member_state", 1),
            Row("contribution", "late", True, "member_state", 1),
            Row("information", "withdrawn", False, "other", 1),
        ]
    )
    assert _text.documents_sentence(d) == (
        "2 contributions and 0 information documents (2 documents in total). 1 was received after the deadline "
        "(1 awaiting the chair's decision). Not counted: 1 withdrawn."
    )
    assert _text.documents_sentence(documents_from([])) == "No documents were registered for this meeting."
    only_withdrawn = documents_from([Row("contribution", "withdrawn", False, "other", 2)])
    assert (
        _text.documents_sentence(only_withdrawn)
        == "No documents are counted for this meeting. Not counted: 2 withdrawn."
    )


# ---------------------------------------------------------------------------------------------
# Chat activity


def test_messages_are_counted_under_the_topic_under_way() -> None:
    minute = timedelta(minutes=1)
    sections = [
        Section(None, None, None),  # items noted before the first #topic
        Section("1", "Opening", T0),
        Section("5", "Contributions", T0 + 5 * minute),
        Section(None, "Any other business", T0 + 9 * minute),
        Section("5", "Contributions again", T0 + 7 * minute),  # out of order: sorted by time
        Section(None, "any OTHER  business", T0 + 11 * minute),
    ]
    assert topic_bounds(sections) == [T0, T0 + 5 * minute, T0 + 7 * minute, T0 + 9 * minute, T0 + 11 * minute]
    topics = messages_by_topic(sections, [2, 3, 10, 4, 1, 6])
    assert [(t.label, t.number, t.messages) for t in topics] == [
        (BEFORE_FIRST_TOPIC, None, 2),
        ("1 Opening", "1", 3),
        ("5 Contributions", "5", 14),
        ("Any other business", None, 7),
    ]
    assert next(t.label for t in messages_by_topic(sections, [0, 3, 10, 4, 1, 6])) == "1 Opening"
    with pytest.raises(ValueError):
        messages_by_topic(sections, [1, 2])
    assert messages_by_topic([Section(None, None, None)], [12]) == ()
    scrubbed = messages_by_topic([Section(None, "Amira's question", T0)], [0, 4], YouthScrubber({"Amira": "P 1"}))
    assert scrubbed[0].label == "P 1's question"


def test_the_chat_figures_in_every_state() -> None:
    people = [Person(1, 10, 10), Person(2, 5, 0, youth=True), Person(3, 3, 1)]
    chat = chat_from(Record(deleted=2, removed=1), people, sections=[Section("1", "Opening", T0)], topic_counts=[0, 18])
    assert (chat.state, chat.messages, chat.in_threads, chat.present, chat.in_channel) == (RECORDED, 18, 7, 3, 2)
    assert (chat.only_in_threads, chat.youth, chat.deleted, chat.removed) == (1, 1, 2, 1)
    assert chat.by_topic[0].messages == 18
    assert chat_from(Record(recording_open=True), people).state == RECORDING
    assert chat_from(Record(recordings=0), []).state == NOT_RECORDED
    assert not chat_from(Record(recordings=0), []).recorded
    assert chat_from(Record(recordings=1), []).state == RECORDED  # recorded, and no one spoke
    purged = chat_from(Record(purged_at=T0), [Person(1, 10, None), Person(2, 4, None, youth=True)])
    assert (purged.state, purged.messages, purged.present, purged.youth) == (PURGED, 14, 2, 1)
    assert purged.in_channel is None and purged.only_in_threads is None and purged.by_topic == ()


def test_the_participants_and_chat_sentences() -> None:
    people = [Person(1, 10, 10), Person(2, 5, 0, youth=True)]
    chat = chat_from(Record(deleted=1), people, busiest=[(T0 + timedelta(minutes=42), 7)])
    assert _text.participants_sentence(chat) == (
        "2 people took part in the meeting chat: 1 in the meeting channel and 1 only in threads, "
        "including 1 youth participant (counted, never named)."
    )
    assert _text.chat_sentence(chat, T0) == (
        "15 messages (5 of them in threads). Not counted: 1 deleted. "
        "Busiest minute (3 messages or more): 10.42 hours (7 messages)."
    )
    next_day = chat_from(Record(), [Person(1, 1, 1)], busiest=[(T0 + timedelta(days=1), 1)])
    assert _text.participants_sentence(next_day) == (
        "1 person took part in the meeting chat (all of them in the meeting channel)."
    )
    assert _text.chat_sentence(next_day, T0) == "1 message."  # one message in a minute is no peak
    peak_next_day = chat_from(Record(), [Person(1, 4, 4)], busiest=[(T0 + timedelta(days=1), 3), (T0, 1)])
    assert _text.chat_sentence(peak_next_day, T0).endswith(
        "Busiest minute (3 messages or more): 27 January 2027, 10.00 hours (3 messages)."
    )
    assert _text.participants_sentence(chat_from(Record(), [])) == "No one wrote in the meeting chat."


# ---------------------------------------------------------------------------------------------
# Periods: totals, the largest meeting, growth


def figures(number: int, contributions: int, people: list[Person], *, recorded: bool = True, at: datetime = T0):
    d = documents_from([Row("contribution", "submitted", False, "member_state", contributions)])
    chat = chat_from(Record(recordings=int(recorded)), people)
    return meeting_figures(ref(number, at), d, chat, people, ("agreed",), ())


def test_a_period_counts_different_people_once_and_names_the_largest_meeting() -> None:
    period = parse_period("2027-01-01", "2027-12-31", "Europe/Zurich")
    f18 = figures(18, 4, [], recorded=False)
    f19 = figures(19, 5, [Person(1, 3, 3), Person(2, 2, 2, youth=True)])
    f21 = figures(21, 5, [Person(1, 1, 1), Person(3, 9, 9), Person(4, 1, 1)])
    report = period_report(period, [f18, f19, f21], [ref(20, cancelled=True)], generated_at=T0)
    t = report.totals
    assert (t.meetings, t.contributions, t.messages, t.participants, t.youth, t.recorded) == (3, 14, 16, 4, 1, 2)
    assert report.most_contributions == (19, 5)  # a tie goes to the earlier meeting
    assert report.most_participants == (21, 3)
    rows = _text.growth_rows(report)
    assert [r[2:] for r in rows] == [
        ("4", "0", "not recorded", "not recorded"),
        ("5 (+1)", "0", "2", "5"),
        ("5 (±0)", "0", "3 (+1)", "11 (+6)"),
    ]
    chart = _text.chart_data(report, "CWG-COP")
    assert chart.contributions == (4, 5, 5) and chart.participants == (None, 2, 3)
    md = to_markdown(_text.period_document(report, group_code="CWG-COP", chart_file="c.png", now=T0))
    assert "The twentieth meeting (planned for 26 January 2027) was cancelled; it is not counted." in md
    assert "4 different people took part in the meeting chats (including 1 youth participant" in md
    assert "the chat was recorded at 2 of the 3 meetings" in md
    assert "The nineteenth meeting had the largest number of contributions (5 in total)." in md
    assert "The twenty-first meeting had the largest number of participants (3)." in md
    assert "![Contributions and chat participants per meeting](c.png)" in md


def test_a_period_of_one_meeting_and_an_empty_period() -> None:
    period = parse_period("2027-01-01", "2027-12-31", "Europe/Zurich")
    report = period_report(period, [figures(19, 2, [Person(1, 1, 1)])], [], generated_at=T0)
    md = to_markdown(_text.period_document(report, group_code="CWG-COP", chart_file=None, now=T0))
    assert "covers the nineteenth meeting of the Council Working Group on Child Online Protection (CWG-COP)" in md
    assert "largest" not in md and "In brackets" not in md and "![" not in md
    empty = period_report(period, [], [], generated_at=T0)
    assert empty.is_empty and empty.most_contributions is None
    text = _text.no_meetings(period, [ref(20, cancelled=True), ref(22, T0 + timedelta(days=9), cancelled=True)], "X")
    assert text.startswith("No meetings of the X took place from 1 January 2027 to 31 December 2027")
    assert "The twentieth meeting (planned for 26 January 2027) and the twenty-second meeting" in text
    assert text.endswith("were cancelled; they are not counted.")


# ---------------------------------------------------------------------------------------------
# Layout: Markdown, HTML, embeds


DOC = Document(
    title="Report <b>&</b>",
    subtitle="A | B",
    meta=(("Chair", "<img src=x onerror=alert(1)>"),),
    blocks=(
        Heading("I. <i>"),
        Para("text with <script>alert(1)</script> & more", "1.1"),
        Bullets(("<a href='https://evil.example'>x</a>",)),
        Table(("Name | n", "N"), (("a|b <c>", "1"),), (False, True), ("Total", "1")),
    ),
)


def test_markdown_keeps_user_text_plain() -> None:
    md = to_markdown(DOC)
    assert md.startswith("# Report \\<b\\>\\&\\</b\\>\n")
    assert "1.1\u2003text with \\<script\\>alert(1)\\</script\\> \\& more" in md
    assert "| a\\|b \\<c\\> | 1 |" in md and "| Name \\| n | N |" in md and "|---|---:|" in md
    assert re.search(r"(?<!\\)[<>]", md) is None  # every angle bracket is escaped: no HTML comes alive


def test_html_is_self_contained_and_escapes_user_text() -> None:
    svg = _chart.draw_svg(ChartData(("19th",), (3,), (5,), "t"))
    html = to_html(DOC, svg)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<a href='https://evil" not in html
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html)
    assert sources == []  # no chart block in this document: nothing is loaded from anywhere
    page = to_html(Document("t", None, (), (Chart("alt", "c.png"),)), svg)
    assert re.findall(r"""src\s*=\s*["']([^"']*)""", page) == []  # the chart is inline SVG, nothing to load
    assert page.count("<svg") == 1 and ' class="chart">' in page and 'role="img" aria-label="alt"' in page
    assert "c.png" not in page and "<?xml" not in page and "<metadata" not in page


def test_fit_lines_never_exceeds_the_limit_and_says_what_was_left_out() -> None:
    more = "… {n} more in the attached report"
    for limit in (60, 200, 1024):
        for count in (1, 3, 50):
            for width in (5, 40, 300):
                lines = [f"{i:03d} " + "x" * width for i in range(count)]
                text = _text.fit_lines(lines, limit, more)
                assert len(text) <= limit, (limit, count, width)
                kept = text.split("\n")
                if kept[-1].startswith("…"):
                    left = int(kept[-1].split()[1])
                    assert len(kept) - 1 + left == count
                else:
                    assert len(kept) == count
    assert _text.fit_lines(["a", "b"], 1024, more) == "a\nb"


def test_the_meeting_embed_stays_within_discords_limits() -> None:
    many = tuple("an outcome " + "y" * 400 for _ in range(60))
    people = [Person(i, 3, 3) for i in range(1, 200)]
    sections = [Section(str(i), "Topic " + "z" * 90, T0 + timedelta(minutes=i)) for i in range(1, 60)]
    chat = chat_from(Record(), people, sections=sections, topic_counts=[1] * 60, busiest=[(T0, 9)] * 3)
    f = meeting_figures(
        ref(19, chair="C" * 200), documents_from([]), chat, people, many, tuple(Action(("X",), t) for t in many)
    )
    title, description, fields = _text.meeting_embed(f, group_code="CWG-COP", chair_role=None, now=T0)
    total = len(title) + len(description) + sum(len(n) + len(v) for n, v in fields) + len(_text.EMBED_FOOTER)
    assert len(title) <= 256 and len(description) <= 4096 and total <= 6000
    assert len(fields) == 3 and all(len(v) <= 1024 and len(n) <= 256 for n, v in fields)
    assert fields[1][1].endswith("more in the attached report")


def test_the_period_embed_stays_within_discords_limits() -> None:
    period = parse_period("2020-01-01", "2029-12-31", "Europe/Zurich")
    many = [figures(n, n, [Person(n, 2, 2)], at=T0 + timedelta(days=n)) for n in range(1, 400)]
    report = period_report(period, many, [ref(1000 + n, cancelled=True) for n in range(50)], generated_at=T0)
    title, description = _text.period_embed(report, group_code="CWG-COP")
    assert len(title) <= 256 and len(description) <= 4096
    assert "more meetings in the attached files" in description and description.count("```") == 2


# ---------------------------------------------------------------------------------------------
# The chart


def test_the_chart_is_a_png_of_sensible_size() -> None:
    png = _chart.draw(ChartData(("18th\n1 Jan", "19th\n2 Feb"), (3, 18), (None, 152), "CWG-COP: per meeting"))
    width, height = png_size(png)
    assert (width, height) == (720, 480)
    assert 5_000 < len(png) < 300_000
    crowded = _chart.draw(ChartData(tuple(f"{n}th" for n in range(60)), tuple(range(60)), (None,) * 60, "t"))
    assert png_size(crowded) == (1920, 480)  # the width is capped
    with pytest.raises(ValueError):
        _chart.draw(ChartData((), (), (), "t"))
