"""The chat-record and minutes rules at their limits: a bare marker or a chat line between markers,
items noted before any topic, the privacy filters (youth pseudonyms, forgotten members) inside the
minutes themselves, the recording guard and back-fill look-back as stated rules.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cogs.capture import _rules
from cogs.capture._rules import AgendaRef, Assignee, MeetingInfo, Names, build_minutes, parse_action, parse_items

T0 = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)  # 10.00 Geneva time
AGENDA = [AgendaRef(50, "5", "Consideration of contributions"), AgendaRef(51, "5.1", "Youth consultation")]
MEETING = MeetingInfo(19, "Nineteenth meeting", "CWG-COP", T0, T0 + timedelta(hours=7), "Europe/Zurich", "Ms Chair")
CHAIR, GHANA, YOUTH, GONE = 1, 2, 7, 9


@dataclass
class L:  # a log line as the parser reads it
    message_id: int
    content: str
    author_id: int = CHAIR
    author_name: str = "Madam Chair"
    by_organiser: bool = True
    minute: int = 0

    @property
    def created_at(self) -> datetime:
        return T0 + timedelta(minutes=self.minute)


def minutes(lines, *, names=None, people=(), documents=None, purged_at=None):
    return build_minutes(
        meeting=MEETING,
        items=parse_items(lines, AGENDA),
        agenda=AGENDA,
        documents=documents or {},
        people=people,
        names=names or Names(),
        generated_at=T0 + timedelta(hours=8),
        purged_at=purged_at,
    )


# -- recording periods: the constants as rules ----------------------------------------------------


def test_a_recording_started_by_hand_stops_6_hours_after_the_scheduled_end():
    end = T0 + timedelta(hours=7)
    assert not _rules.should_auto_end(started_by_hand=True, ends_at=end, now=end + timedelta(hours=6, seconds=-1))
    assert _rules.should_auto_end(started_by_hand=True, ends_at=end, now=end + timedelta(hours=6))


def test_after_a_restart_recordings_that_ended_within_one_day_are_back_filled():
    assert timedelta(days=1) == _rules.BACKFILL_LOOKBACK


# -- parsing the minutes ------------------------------------------------------------------------


def test_a_bare_marker_is_skipped_and_later_outcomes_and_actions_are_kept():
    items = parse_items([L(1, "#topic 5"), L(2, "#action"), L(3, "#agreed to welcome it"), L(4, "#action read it")])
    assert [(i.kind, i.text) for i in items] == [
        ("topic", "5"),
        ("agreed", "to welcome it"),
        ("action", "read it"),
    ]


def test_chat_lines_between_markers_do_not_stop_the_minutes():
    items = parse_items([L(1, "#info first"), L(2, "I agree with Ghana"), L(3, "#agreed second")])
    assert [i.text for i in items] == ["first", "second"]


def test_items_keep_position_author_time_and_message():
    items = parse_items([L(10, "#info a"), L(11, "#info b", author_id=GHANA, author_name="Ghana", minute=3)])
    assert [(i.position, i.author_id, i.author_name, i.at, i.message_id) for i in items] == [
        (1, CHAIR, "Madam Chair", T0, 10),
        (2, GHANA, "Ghana", T0 + timedelta(minutes=3), 11),
    ]


def test_positions_have_no_gap_after_an_undo():
    items = parse_items([L(1, "#info a"), L(2, "#info b"), L(3, "#undo"), L(4, "#info c")])
    assert [(i.position, i.text) for i in items] == [(1, "a"), (2, "c")]


def test_several_at_names_are_all_assignees():
    assert parse_action("@Ana @Bo draft the text") == ((Assignee(None, "Ana"), Assignee(None, "Bo")), "draft the text")


def test_a_name_with_a_double_slash_before_a_colon_is_not_an_assignee():
    assert parse_action("see a//b: the draft") == ((), "see a//b: the draft")


# -- names: privacy at the rules level -----------------------------------------------------------


def test_a_member_without_a_name_is_shown_by_the_known_name_or_as_unknown():
    names = Names(known={GHANA: "Ghana"})
    assert names.author(GHANA, "") == "Ghana"
    assert names.author(5, "") == "unknown member"
    assert names.user(5) == "unknown member"


def test_role_and_channel_mentions_use_their_names():
    names = Names(role=lambda i: {3: "Chair"}.get(i), channel=lambda i: {4: "meeting-chat"}.get(i))
    assert names.text("<@&3> <@&8> in <#4> <#8>") == "@Chair @role in #meeting-chat #channel"


def test_discord_times_in_minutes_are_shown_in_the_meetings_zone_not_the_machines(machine_in_chatham):
    stamp = int(T0.timestamp())
    assert Names().text(f"at <t:{stamp}:F>") == "at 2027-01-26 10:00 (CET)"
    assert Names(timezone="America/New_York").text(f"<t:{stamp}>") == "2027-01-26 04:00 (EST)"


def test_youth_participants_are_pseudonymous_everywhere_in_the_minutes():
    names = Names(youth={YOUTH: 1}, known={YOUTH: "Real Youth Name"})
    lines = [
        L(1, "#topic 5.1 Youth views", author_id=YOUTH, author_name="Real Youth Name"),
        L(2, "#info we want safer apps", author_id=YOUTH, author_name="Real Youth Name"),
        L(3, f"#action <@{YOUTH}> summarise", minute=1),
    ]
    result = minutes(lines, names=names, people=[(YOUTH, "Real Youth Name", 5)])
    (section,) = result.sections
    assert section.who == "Participant 1"
    assert [e.who for e in section.entries] == ["Participant 1", "Madam Chair"]
    assert result.actions[0].assignees == ("Participant 1",)
    assert [p.name for p in result.people] == ["Participant 1"]
    assert "Real Youth Name" not in repr(result)


def test_forgotten_members_are_removed_from_the_minutes_and_do_not_hide_others():
    names = Names(forgotten=frozenset({GONE}))
    lines = [L(1, "#info said by someone gone", author_id=GONE, author_name="Gone Person")]
    result = minutes(lines, names=names, people=[(GONE, "Gone Person", 9), (GHANA, "Ghana", 4), (CHAIR, "Chair", 2)])
    assert result.sections[0].entries[0].who == "[removed]"
    assert [(p.name, p.lines) for p in result.people] == [("Ghana", 4), ("Chair", 2)]


def test_the_topic_heads_name_is_the_one_stored_with_the_line():
    result = minutes([L(1, "#topic Free discussion", author_id=GHANA, author_name="Ghana")])
    assert result.sections[0].who == "Ghana"


def test_lines_of_people_shown_under_one_name_are_added_up():
    result = minutes([], people=[(GHANA, "Ghana", 4), (3, "Ghana", 3), (CHAIR, "Chair", 5)])
    assert [(p.name, p.lines) for p in result.people] == [("Ghana", 7), ("Chair", 5)]


# -- building the minutes -----------------------------------------------------------------------


def test_items_before_any_topic_form_an_untitled_section():
    result = minutes([L(1, "#info opening remarks"), L(2, "#topic 5", minute=2), L(3, "#info fact", minute=3)])
    untitled, bound = result.sections
    assert (untitled.number, untitled.title, untitled.who, untitled.at, untitled.documents) == (
        None,
        None,
        None,
        None,
        (),
    )
    assert untitled.entries[0].topic is None
    assert (bound.number, bound.title, bound.at) == ("5", "Consideration of contributions", T0 + timedelta(minutes=2))


def test_a_topic_without_entries_still_has_its_section():
    result = minutes([L(1, "#topic 5"), L(2, "#topic 5.1")])
    assert [(s.number, s.entries) for s in result.sections] == [("5", ()), ("5.1", ())]


def test_an_agenda_topic_without_documents_lists_none_and_a_free_topic_has_no_number():
    result = minutes(
        [L(1, "#topic 5.1"), L(2, "#info a"), L(3, "#topic Free discussion"), L(4, "#info b")],
        documents={50: ["CWG-COP-19/3"]},
    )
    first, second = result.sections
    assert (first.number, first.documents) == ("5.1", ())
    assert first.entries[0].topic == "5.1 Youth consultation"
    assert (second.number, second.documents) == (None, ())
    assert second.entries[0].topic == "Free discussion"


def test_actions_by_person_are_sorted_ignoring_case():
    lines = [L(1, "#action Bob: write"), L(2, "#action ana: read"), L(3, "#action Ana: sign")]
    assert [(name, [e.text for e in entries]) for name, entries in minutes(lines).by_person] == [
        ("ana", ["read", "sign"]),
        ("Bob", ["write"]),
    ]


def test_the_minutes_say_when_the_log_was_purged():
    purged = T0 + timedelta(days=365)
    assert minutes([], purged_at=purged).purged_at == purged
