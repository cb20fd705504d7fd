"""The pure rules of the chat record and the minutes, and the renderers (no Discord, no database)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from cogs.capture import _rules
from cogs.capture._render import TranscriptHeader, minutes_discord, minutes_html, minutes_markdown
from cogs.capture._render import transcript_writer as writer_for
from cogs.capture._rules import (
    ACK,
    REFUSED,
    AgendaRef,
    Assignee,
    MeetingInfo,
    Names,
    acknowledgement,
    bind_topic,
    build_minutes,
    is_capturable,
    is_off_record,
    parse_action,
    parse_items,
    parse_marker,
)
from cogs.core.html_documents import discord_markup
from storage.capture import TranscriptRow

T0 = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # 10.00 Geneva time


@dataclass
class L:  # a log line as the parser reads it
    message_id: int
    content: str
    author_id: int = 1
    author_name: str = "Madam Chair"
    by_organiser: bool = True
    minute: int = 0

    @property
    def created_at(self) -> datetime:
        return T0 + timedelta(minutes=self.minute)


AGENDA = [AgendaRef(50, "5", "Consideration of contributions"), AgendaRef(51, "5.1", "Youth consultation")]
MEETING = MeetingInfo(19, "Nineteenth meeting", "CWG-COP", T0, T0 + timedelta(hours=7), "Europe/Zurich", "Ms Chair")


@pytest.mark.parametrize(
    ("content", "off"),
    [("[off] not for the record", True), ("  [OFF]x", True), ("[of] typo", False), ("hello [off]", False)],
)
def test_off_record_is_only_a_leading_marker(content: str, off: bool) -> None:
    assert is_off_record(content) is off


def test_capturable_excludes_bots_dms_system_messages_off_lines_and_empty_lines() -> None:
    base = {"author_is_bot": False, "is_dm": False, "is_plain_message": True, "content": "hi", "has_files": False}
    assert is_capturable(**base)
    assert not is_capturable(**{**base, "author_is_bot": True})
    assert not is_capturable(**{**base, "is_dm": True})
    assert not is_capturable(**{**base, "is_plain_message": False})
    assert not is_capturable(**{**base, "content": "[off] later"})
    assert not is_capturable(**{**base, "content": "   "})
    assert is_capturable(**{**base, "content": "", "has_files": True})


def test_markers_are_parsed_at_the_start_only_case_insensitively() -> None:
    assert parse_marker("#topic  5   Contributions") == _rules.Marker("topic", "5 Contributions")
    assert parse_marker("  #AGREED the text") == _rules.Marker("agreed", "the text")
    assert parse_marker("#agree ok") == _rules.Marker("agreed", "ok")
    assert parse_marker("#undo") == _rules.Marker("undo", "")
    assert parse_marker("#topical news") is None
    assert parse_marker("see #info above") is None


def test_acknowledgement_accepts_markers_and_refuses_undo_from_non_organisers() -> None:
    assert acknowledgement("#info a fact", by_organiser=False) == ACK
    assert acknowledgement("#undo", by_organiser=True) == ACK
    assert acknowledgement("#undo", by_organiser=False) == REFUSED
    assert acknowledgement("#info", by_organiser=True) is None  # nothing to note
    assert acknowledgement("plain line", by_organiser=True) is None


@pytest.mark.parametrize(
    ("text", "who", "what"),
    [
        ("<@123> circulate the draft", [(123, "")], "circulate the draft"),
        ("<@1> <@!2> review CWG-COP-19/3", [(1, ""), (2, "")], "review CWG-COP-19/3"),
        ("@Ghana send comments", [(None, "Ghana")], "send comments"),
        ("Secretariat: publish the report", [(None, "Secretariat")], "publish the report"),
        ("see https://itu.int/x for details", [], "see https://itu.int/x for details"),
        ("everyone to read the paper", [], "everyone to read the paper"),
    ],
)
def test_action_assignees(text: str, who: list, what: str) -> None:
    assignees, rest = parse_action(text)
    assert [(a.user_id, a.name) for a in assignees] == who
    assert rest == what


def test_topic_binds_to_the_agenda_by_number() -> None:
    assert bind_topic("5", AGENDA) == (50, "Consideration of contributions")
    assert bind_topic("5.1 youth results", AGENDA) == (51, "youth results")
    assert bind_topic("item 5: contributions", AGENDA) == (50, "contributions")
    assert bind_topic("7 Any other business", AGENDA) == (None, "7 Any other business")
    assert bind_topic("2027 budget", AGENDA) == (None, "2027 budget")


def test_items_follow_topics_and_an_organisers_undo_removes_the_last_one() -> None:
    lines = [
        L(1, "#info before any topic", minute=0),
        L(2, "#topic 5", minute=1),
        L(3, "#info first fact", author_id=2, author_name="Ghana", by_organiser=False, minute=2),
        L(4, "#agreed wrong text", minute=3),
        L(5, "#undo", minute=4),  # the chair removes the wrong agreement
        L(6, "#undo", author_id=2, author_name="Ghana", by_organiser=False, minute=5),  # refused
        L(7, "#agreed to note CWG-COP-19/3", minute=6),
        L(8, "#action <@2> send comments", minute=7),
        L(9, "#topic 5.1", minute=8),
        L(10, "#link https://itu.int/cop", minute=9),
        L(11, "just talk", minute=10),
    ]
    items = parse_items(lines, AGENDA)
    assert [(i.kind, i.text, i.agenda_item_id) for i in items] == [
        ("info", "before any topic", None),
        ("topic", "Consideration of contributions", 50),
        ("info", "first fact", 50),
        ("agreed", "to note CWG-COP-19/3", 50),
        ("action", "send comments", 50),
        ("topic", "Youth consultation", 51),
        ("link", "https://itu.int/cop", 51),
    ]
    assert [i.position for i in items] == list(range(1, 8))
    assert items[4].assignees == (Assignee(2, ""),)


def test_undo_of_a_topic_restores_the_previous_topic() -> None:
    items = parse_items([L(1, "#topic 5"), L(2, "#topic 5.1"), L(3, "#undo"), L(4, "#info fact")], AGENDA)
    assert [(i.kind, i.agenda_item_id) for i in items] == [("topic", 50), ("info", 50)]


def test_names_pseudonyms_forgotten_members_and_mentions() -> None:
    names = Names(youth={7: 3}, forgotten=frozenset({9}), known={1: "Madam Chair"}, lookup=lambda i: f"member{i}")
    assert names.author(7, "Real Name") == "Participant 3"
    assert names.author(9, "Gone") == "[removed]"
    assert names.author(0, "") == "[removed]"
    assert names.author(1, "Madam Chair") == "Madam Chair"
    text = names.text("<@1> and <@!7> and <@9> and <@4> in <#5> <:wave:12> <t:1800000000:F>")
    assert text.startswith("@Madam Chair and @Participant 3 and @[removed] and @member4 in #channel :wave: ")
    assert "2027-01-15" in text


def _minutes(lines, names=None):
    items = parse_items(lines, AGENDA)
    return build_minutes(
        meeting=MEETING,
        items=items,
        agenda=AGENDA,
        documents={50: ["CWG-COP-19/3 (Contribution from Ghana)"]},
        people=[(1, "Madam Chair", 12), (2, "Ghana", 4), (7, "Youth Real Name", 2)],
        names=names or Names(youth={7: 1}, known={2: "Ghana", 7: "Youth Real Name"}),
        periods=[(T0, T0 + timedelta(hours=7))],
        generated_at=T0 + timedelta(hours=8),
    )


LINES = [
    L(1, "#topic 5"),
    L(2, "#info Ghana presented <b>CWG-COP-19/3</b>", minute=5),
    L(3, "#agreed to welcome the contribution", minute=9),
    L(4, "#action <@2> circulate a revision", minute=10),
    L(5, "#action <@7> summarise the youth views", minute=11),
    L(6, "#action Secretariat: post the report", minute=12),
    L(7, "#action everyone to read it", minute=13),
]


def test_minutes_group_by_topic_and_person_with_pseudonyms() -> None:
    minutes = _minutes(LINES)
    (section,) = minutes.sections
    assert (section.number, section.title) == ("5", "Consideration of contributions")
    assert section.documents == ("CWG-COP-19/3 (Contribution from Ghana)",)
    assert [e.kind for e in section.entries] == ["info", "agreed", "action", "action", "action", "action"]
    assert [e.text for e in minutes.agreed] == ["to welcome the contribution"]
    assert [(name, [e.text for e in entries]) for name, entries in minutes.by_person] == [
        ("Ghana", ["circulate a revision"]),
        ("Participant 1", ["summarise the youth views"]),
        ("Secretariat", ["post the report"]),
    ]
    assert [e.text for e in minutes.unassigned] == ["everyone to read it"]
    assert [(p.name, p.lines) for p in minutes.people] == [("Madam Chair", 12), ("Ghana", 4), ("Participant 1", 2)]


def test_minutes_markdown_and_html_show_every_part_and_escape_user_text() -> None:
    minutes = _minutes(LINES)
    md = minutes_markdown(minutes)
    for part in (
        "# Minutes of the 19th meeting of the CWG-COP",
        "**Chair:** Ms Chair",
        "### 5 Consideration of contributions",
        "Documents: CWG-COP-19/3 (Contribution from Ghana)",
        "## Agreed outcomes",
        "1. to welcome the contribution (Madam Chair, 10.09) · *5 Consideration of contributions*",
        "## Action items by person",
        "### Participant 1",
        "### Unassigned",
        "| Participant 1 | 2 |",
    ):
        assert part in md, part
    assert "Youth Real Name" not in md
    assert "\\<b\\>CWG-COP-19/3\\</b\\>" in md
    html = minutes_html(minutes)
    assert "&lt;b&gt;CWG-COP-19/3&lt;/b&gt;" in html and "<b>CWG-COP" not in html
    assert "Participant 1" in html and "Youth Real Name" not in html
    assert "<style>" in html and "http" not in html.split("<main>")[0].replace("http-equiv", "")  # self-contained
    discord_text = minutes_discord(minutes)
    assert "**5 Consideration of contributions**" in discord_text
    assert "&lt;" not in discord_text


def test_minutes_for_discord_are_cut_short_politely() -> None:
    lines = [L(1, "#topic 5")] + [L(i, f"#info {'long text ' * 20}{i}", minute=i) for i in range(2, 80)]
    text = minutes_discord(_minutes(lines))
    assert len(text) <= 4000
    assert text.endswith("`/minutes export` gives the whole minutes)")


def test_user_markdown_is_rendered_safely_escaping_html_and_linking_only_http() -> None:
    out = str(discord_markup('<img src=x> see https://itu.int/a?b=1&c="2" and javascript:alert(1)'))
    assert out.startswith('&lt;img src=x&gt; see <a href="https://itu.int/a?b=1&amp;c=')
    assert "javascript:alert(1)" in out and 'href="javascript' not in out
    out = str(discord_markup("**Recording started.** lines with `[off]`\n• *it* [see](https://evil.example) <b>x</b>"))
    assert out == (
        "<strong>Recording started.</strong> lines with <code>[off]</code><br>\n• <em>it</em> [see]("
        '<a href="https://evil.example" rel="noopener noreferrer nofollow">https://evil.example</a>)'
        " &lt;b&gt;x&lt;/b&gt;"
    )


def test_auto_start_end_and_retention_rules() -> None:
    start, end = T0, T0 + timedelta(hours=7)
    common = {"cancelled": False, "starts_at": start, "ends_at": end, "purged": False}
    assert _rules.should_auto_start(**common, now=start, has_recording=False)
    assert not _rules.should_auto_start(**common, now=start, has_recording=True)  # the chair started it by hand
    assert not _rules.should_auto_start(**common, now=end, has_recording=False)
    assert not _rules.should_auto_start(**{**common, "cancelled": True}, now=start, has_recording=False)
    assert _rules.should_auto_end(started_by_hand=False, ends_at=end, now=end)
    assert not _rules.should_auto_end(started_by_hand=True, ends_at=end, now=end)
    assert _rules.should_auto_end(started_by_hand=True, ends_at=end, now=end + _rules.FORGOTTEN_RECORDING_GUARD)
    assert _rules.retention_due(ends_at=end, now=end + timedelta(days=365), retention_days=365)
    assert not _rules.retention_due(ends_at=end, now=end + timedelta(days=364), retention_days=365)


def _row(mid: int, content: str, *, thread: int | None = None, minute: int = 0, **kw) -> TranscriptRow:
    base = {
        "message_id": mid,
        "channel_id": 100,
        "thread_id": thread,
        "author_id": 1,
        "author_name": "Madam Chair",
        "content": content,
        "created_at": T0 + timedelta(minutes=minute),
        "reply_to": None,
        "reply_author_id": None,
        "reply_author_name": None,
        "reply_at": None,
        "reply_removed": False,
        "attachments": (),
        "is_notice": False,
        "edited_at": None,
        "deleted_at": None,
        "forgotten": False,
        "versions": (),
    }
    base.update(kw)
    return TranscriptRow(**base)


ROWS = [
    _row(1, "🔴 Recording started", is_notice=True, author_name="Bot"),
    _row(2, "Hello <@7>", minute=1),
    _row(3, "starter", minute=2, author_id=7, author_name="Youth Real Name"),
    _row(
        4,
        "in the thread",
        thread=3,
        minute=3,
        reply_to=2,
        reply_author_id=1,
        reply_author_name="Madam Chair",
        reply_at=T0 + timedelta(minutes=1),
    ),
    _row(5, "", minute=4, deleted_at=T0),
    _row(
        6,
        "new text",
        minute=5,
        edited_at=T0 + timedelta(minutes=6),
        versions=((0, "old text", T0 + timedelta(minutes=5)), (1, "new text", T0 + timedelta(minutes=6))),
    ),
    _row(8, "", minute=7, forgotten=True, author_id=0, author_name=""),
    _row(
        9,
        "<script>alert(1)</script>",
        minute=8,
        attachments=({"name": "a.pdf", "size": 2048, "url": "https://x/a.pdf"},),
    ),
]


def _transcript(fmt: str) -> str:
    header = TranscriptHeader(meeting=MEETING, exported_at=T0, periods=((T0, None),), lines=6, threads={3: "Item 5"})
    writer = writer_for(fmt, header, Names(youth={7: 2}))
    return writer.begin() + writer.rows(ROWS[:4]) + writer.rows(ROWS[4:]) + writer.end()


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "json"])
def test_transcripts_nest_threads_mark_edits_and_hide_deleted_removed_and_youth_names(fmt: str) -> None:
    text = _transcript(fmt)
    assert "Youth Real Name" not in text and "Participant 2" in text
    assert "[deleted]" in text and "[removed]" in text
    assert "old text" in text and "new text" in text
    assert "Item 5" in text
    if fmt == "html":
        assert "&lt;script&gt;" in text and "<script>" not in text
        assert text.count('<section class="thread">') == 1
    if fmt == "txt":
        assert "  ┌── Thread: Item 5\n  │ [10.03] Madam Chair: (reply to Madam Chair, 10.01) in the thread" in text
        assert "original (10.05): old text" in text


def test_json_transcript_is_valid_and_nested() -> None:
    data = json.loads(_transcript("json"))
    entries = data["entries"]
    assert [e["type"] for e in entries] == ["notice", "message", "message", "thread"] + ["message"] * 4
    thread = entries[3]
    assert thread["name"] == "Item 5" and [m["text"] for m in thread["messages"]] == ["in the thread"]
    youth = entries[2]
    assert youth["author"] == {"id": None, "name": "Participant 2"}
    assert entries[5]["versions"] == [{"version": 0, "text": "old text"}]
    assert entries[4]["deleted"] is True and entries[6]["removed"] is True


def test_mentioned_users_are_each_listed_once_in_order_of_first_mention() -> None:
    texts = ["#action <@3> <@!1> do it", "thanks <@1>, <@&7> and <#8>", "no mention", "<@2><@3>"]
    assert _rules.mentioned_users(texts) == [3, 1, 2]  # roles (<@&7>) and channels (<#8>) are not users
    assert _rules.mentioned_users([]) == []


def test_a_forgotten_recording_stops_six_hours_after_the_end_or_after_a_late_start() -> None:
    end = T0 + timedelta(hours=3)
    guard = _rules.FORGOTTEN_RECORDING_GUARD
    assert _rules.guard_time(ends_at=end) == end + guard
    assert _rules.guard_time(ends_at=end, started_at=T0) == end + guard  # started early: after the end
    late = end + timedelta(days=2)  # started by hand for a past meeting
    assert _rules.guard_time(ends_at=end, started_at=late) == late + guard
    assert not _rules.should_auto_end(started_by_hand=True, ends_at=end, started_at=late, now=late + timedelta(hours=5))
    assert _rules.should_auto_end(started_by_hand=True, ends_at=end, started_at=late, now=late + guard)
