"""Rules of the chat record and the minutes. Pure: plain values in, plain values out; never imports discord.

- which lines are kept ([off]), which are minutes markers and how they are acknowledged;
- when a recording starts and ends by itself, when a log is old enough to purge;
- how names are shown (youth pseudonyms, forgotten members, mentions);
- the minutes: MeetBot-style markers → items → a minutes document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cogs.core.house_style import agenda_item_heading
from cogs.core.i18n import N_, translator

# Words the record shows in its documents, translated where they are shown: the minutes and the
# transcript are built inside ``with i18n.locale(language)`` (the ``language:`` of the export).
_ = translator("capture").gettext

# ---------------------------------------------------------------------------------------------
# Lines

OFF_RECORD = "[off]"
ACK = "✅"  # the marker is in the minutes
REFUSED = "🚫"  # #undo from someone who is not an organiser: kept in the log, no effect

KINDS = ("topic", "info", "action", "agreed", "link")
_ALIASES = {"agree": "agreed"}
_MARKER = re.compile(r"^\s*#(topic|info|action|agreed|agree|link|undo)(?=\s|$)(.*)\Z", re.IGNORECASE | re.DOTALL)


def is_off_record(content: str) -> bool:
    """``[off] ...`` (any case, leading spaces allowed): the speaker asked not to be recorded."""
    return content.lstrip()[: len(OFF_RECORD)].lower() == OFF_RECORD


@dataclass(frozen=True, slots=True)
class Marker:
    kind: str  # topic, info, action, agreed, link or undo
    text: str


def parse_marker(content: str) -> Marker | None:
    """The MeetBot-style marker a line starts with, if any (``#topic``, ``#info``, ...)."""
    match = _MARKER.match(content)
    if match is None:
        return None
    kind = match.group(1).lower()
    return Marker(_ALIASES.get(kind, kind), " ".join(match.group(2).split()))


def acknowledgement(content: str, *, by_organiser: bool) -> str | None:
    """The reaction that tells the speaker their marker was taken (None: not a marker)."""
    marker = parse_marker(content)
    if marker is None:
        return None
    if marker.kind == "undo":
        return ACK if by_organiser else REFUSED
    return ACK if marker.text else None


def is_capturable(*, author_is_bot: bool, is_dm: bool, is_plain_message: bool, content: str, has_files: bool) -> bool:
    """Whether a message in a recorded channel goes into the record (the bot's notices are stored apart)."""
    if author_is_bot or is_dm or not is_plain_message:
        return False
    if is_off_record(content):
        return False
    return bool(content.strip()) or has_files


# ---------------------------------------------------------------------------------------------
# Recording periods and retention

# A recording started by hand is ended by hand; if the chair forgets, the record still stops
# this long after the meeting's scheduled end.
FORGOTTEN_RECORDING_GUARD = timedelta(hours=6)
# After a restart, recordings that ended this recently are checked against the channel history.
BACKFILL_LOOKBACK = timedelta(days=1)


def should_auto_start(
    *, cancelled: bool, starts_at: datetime, ends_at: datetime, now: datetime, has_recording: bool, purged: bool
) -> bool:
    """At the scheduled start: record unless the chair already started (or ended) a recording by hand."""
    return not cancelled and not has_recording and not purged and starts_at <= now < ends_at


def guard_time(*, ends_at: datetime, started_at: datetime | None = None) -> datetime:
    """When a forgotten recording stops by itself: 6 hours after the scheduled end, or 6 hours after
    it was started if it was started (by hand) after the scheduled end."""
    return max(ends_at, started_at or ends_at) + FORGOTTEN_RECORDING_GUARD


def should_auto_end(
    *, started_by_hand: bool, ends_at: datetime, now: datetime, started_at: datetime | None = None
) -> bool:
    """At the scheduled end a scheduled recording stops; a hand-started one only at the guard time."""
    if started_by_hand:
        return now >= guard_time(ends_at=ends_at, started_at=started_at)
    return now >= ends_at


def retention_due(*, ends_at: datetime, now: datetime, retention_days: int) -> bool:
    """A meeting's raw log is purged once the meeting ended more than ``retention_days`` ago."""
    return ends_at + timedelta(days=retention_days) <= now


# ---------------------------------------------------------------------------------------------
# Names: youth pseudonyms, forgotten members, mentions

REMOVED = N_("[removed]")
DELETED = N_("[deleted]")
UNKNOWN_MEMBER = N_("unknown member")
PARTICIPANT = N_("Participant {number}")


def pseudonym(number: int) -> str:
    """``Participant 3``: the youth pseudonym as it is stored with their lines (English)."""
    return f"Participant {number}"


def shown_pseudonym(number: int) -> str:
    """``Participant 3`` / ``Участник 3``: the pseudonym as a document or a reply shows it, in the current language."""
    return _(PARTICIPANT, number=number)


def removed() -> str:
    """``[removed]`` in the current language: a forgotten member, or their words."""
    return _(REMOVED)


def deleted() -> str:
    """``[deleted]`` in the current language: a line deleted in Discord."""
    return _(DELETED)


_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>|<a?:(\w+):\d+>|<t:(-?\d+)(?::[tTdDfFR])?>")
_USER_MENTION = re.compile(r"<@!?(\d+)>")


def mentioned_users(texts: Iterable[str]) -> list[int]:
    """The user ids mentioned (``<@id>``, ``<@!id>``) in these texts, each once, in order of first mention."""
    seen: dict[int, None] = {}
    for text in texts:
        for ident in _USER_MENTION.findall(text):
            seen.setdefault(int(ident), None)
    return list(seen)


@dataclass
class Names:
    """How people (and mentions of them) are shown in exports and minutes.

    ``youth`` maps user id → pseudonym number (active youth participants); ``forgotten`` holds
    the user ids whose words were removed; ``known`` maps user id → a display name (the log's
    latest name); ``lookup`` may find other members (the server's member list).
    """

    timezone: str = "Europe/Zurich"
    youth: Mapping[int, int] = field(default_factory=dict)
    forgotten: frozenset[int] = frozenset()
    known: Mapping[int, str] = field(default_factory=dict)
    lookup: Callable[[int], str | None] = lambda _id: None
    role: Callable[[int], str | None] = lambda _id: None
    channel: Callable[[int], str | None] = lambda _id: None

    def author(self, user_id: int, stored: str) -> str:
        if user_id in self.youth:
            return shown_pseudonym(self.youth[user_id])
        if user_id == 0 or user_id in self.forgotten:
            return removed()
        return stored or self.known.get(user_id) or _(UNKNOWN_MEMBER)

    def user(self, user_id: int) -> str:
        if user_id in self.youth:
            return shown_pseudonym(self.youth[user_id])
        if user_id in self.forgotten:
            return removed()
        return self.known.get(user_id) or self.lookup(user_id) or _(UNKNOWN_MEMBER)

    def text(self, content: str) -> str:
        """Discord markup → readable text: ``<@id>`` → ``@Name``, ``<#id>`` → ``#channel``, ``<t:…>`` → a time."""
        if "<" not in content:
            return content
        return _MENTION.sub(self._mention, content)

    def _mention(self, match: re.Match[str]) -> str:
        sigil, ident, emoji, stamp = match.groups()
        if emoji is not None:
            return f":{emoji}:"
        if stamp is not None:
            instant = datetime.fromtimestamp(int(stamp), UTC).astimezone(ZoneInfo(self.timezone))
            return f"{instant:%Y-%m-%d %H:%M} ({instant.tzname()})"
        number = int(ident)
        if sigil == "@&":
            return "@" + (self.role(number) or _("role"))
        if sigil == "#":
            return "#" + (self.channel(number) or _("channel"))
        return "@" + self.user(number)


# ---------------------------------------------------------------------------------------------
# Minutes items


@dataclass(frozen=True, slots=True)
class AgendaRef:
    id: int
    number: str  # "5" or "5.1"
    title: str


@dataclass(frozen=True, slots=True)
class Assignee:
    user_id: int | None  # None when written as plain text ("Secretariat: ...")
    name: str  # as written (plain text) or the name at the time (mentions)


@dataclass(frozen=True, slots=True)
class Item:
    position: int
    kind: str  # topic, info, action, agreed, link
    text: str  # as written after the marker (Discord markup kept; shown through Names.text)
    author_id: int
    author_name: str
    at: datetime
    message_id: int | None
    agenda_item_id: int | None
    assignees: tuple[Assignee, ...] = ()


class _Line:  # what the parser reads (storage.capture.LogLine has these attributes)
    message_id: int
    author_id: int
    author_name: str
    content: str
    created_at: datetime
    by_organiser: bool


_AGENDA_NUMBER = re.compile(r"^(?:item\s+)?(\d{1,2}(?:\.\d{1,2})?)(?=$|[\s:.,;)\-–—])[\s:.,;)\-–—]*(.*)$", re.I | re.S)
_LEADING_MENTION = re.compile(r"^<@!?(\d+)>[\s,;&]*")
_LEADING_AT_NAME = re.compile(r"^@([^\s:,;<>@]{1,40})[\s,;:]+")
_NAME_COLON = re.compile(r"^([^\s:<>@#][^:<>@#]{0,39}?):\s+(\S.*)$", re.S)


def parse_action(text: str) -> tuple[tuple[Assignee, ...], str]:
    """``<@1> <@2> do X``, ``@Name do X`` or ``Name: do X`` → (assignees, what to do)."""
    rest = text.strip()
    assignees: list[Assignee] = []
    while True:
        mention = _LEADING_MENTION.match(rest)
        if mention:
            assignees.append(Assignee(int(mention.group(1)), ""))
            rest = rest[mention.end() :]
            continue
        named = _LEADING_AT_NAME.match(rest)
        if named:
            assignees.append(Assignee(None, named.group(1)))
            rest = rest[named.end() :]
            continue
        break
    if not assignees:
        colon = _NAME_COLON.match(rest)
        if colon and "//" not in colon.group(1):
            return (Assignee(None, colon.group(1).strip()),), colon.group(2).strip()
    return tuple(assignees), rest.strip() or text.strip()


def bind_topic(text: str, agenda: Sequence[AgendaRef]) -> tuple[int | None, str]:
    """``5 Contributions`` / ``5.1`` / ``item 5: ...`` → (agenda item id, title); else (None, text)."""
    match = _AGENDA_NUMBER.match(text)
    if match:
        item = next((a for a in agenda if a.number == match.group(1)), None)
        if item is not None:
            return item.id, match.group(2).strip() or item.title
    return None, text


def parse_items(lines: Iterable[_Line], agenda: Sequence[AgendaRef] = ()) -> list[Item]:
    """Minutes items from the log's live lines, in order; an organiser's ``#undo`` drops the last item.

    Each item is bound to the agenda item of the last ``#topic N`` before it.
    """
    items: list[Item] = []
    for line in lines:
        marker = parse_marker(line.content)
        if marker is None:
            continue
        if marker.kind == "undo":
            if line.by_organiser and items:
                items.pop()
            continue
        if not marker.text:
            continue
        topic = next((i for i in reversed(items) if i.kind == "topic"), None)
        agenda_item_id = topic.agenda_item_id if topic else None
        text, assignees = marker.text, ()
        if marker.kind == "topic":
            agenda_item_id, text = bind_topic(marker.text, agenda)
        elif marker.kind == "action":
            assignees, text = parse_action(marker.text)
        items.append(
            Item(
                position=len(items) + 1,
                kind=marker.kind,
                text=text,
                author_id=line.author_id,
                author_name=line.author_name,
                at=line.created_at,
                message_id=line.message_id,
                agenda_item_id=agenda_item_id,
                assignees=assignees,
            )
        )
    return items  # #undo only drops the last item, so positions stay 1, 2, 3 ... without gaps


# ---------------------------------------------------------------------------------------------
# The minutes document (what the renderers show; every name already resolved)


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    number: int
    title: str
    group_code: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    chair: str | None
    present: str | None = None  # "152 participants from 48 Member States, ..." (attendance), if any was noted


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    text: str
    who: str
    at: datetime
    assignees: tuple[str, ...] = ()
    topic: str | None = None


BEFORE_FIRST_TOPIC = N_("Before the first topic")


@dataclass(frozen=True, slots=True)
class Section:
    number: str | None  # agenda number when the topic is bound to the agenda
    title: str | None  # None: items noted before any #topic
    who: str | None
    at: datetime | None
    documents: tuple[str, ...]
    entries: tuple[Entry, ...]

    @property
    def heading(self) -> str:
        """``5.1 Title`` in house style (no trailing dot), or "Before the first topic"."""
        if self.title is None:
            return _(BEFORE_FIRST_TOPIC)
        return agenda_item_heading(self.number, self.title)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    lines: int


@dataclass(frozen=True, slots=True)
class Minutes:
    meeting: MeetingInfo
    periods: tuple[tuple[datetime, datetime | None], ...]
    sections: tuple[Section, ...]
    agreed: tuple[Entry, ...]
    actions: tuple[Entry, ...]
    by_person: tuple[tuple[str, tuple[Entry, ...]], ...]
    unassigned: tuple[Entry, ...]
    people: tuple[Person, ...]
    generated_at: datetime
    purged_at: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not self.sections


def build_minutes(
    *,
    meeting: MeetingInfo,
    items: Sequence[Item],
    agenda: Sequence[AgendaRef],
    documents: Mapping[int, Sequence[str]],
    people: Iterable[tuple[int, str, int]],
    names: Names,
    periods: Sequence[tuple[datetime, datetime | None]] = (),
    generated_at: datetime,
    purged_at: datetime | None = None,
) -> Minutes:
    """Items (in order) → the minutes: by topic, agreed outcomes, actions (by person), who spoke."""
    numbers = {a.id: a.number for a in agenda}
    sections: list[Section] = []
    current_title: str | None = None
    entries: list[Entry] = []
    head: Item | None = None

    def close() -> None:
        if head is None and not entries:
            return
        number = numbers.get(head.agenda_item_id) if head else None  # None (unbound topic) is not a key
        sections.append(
            Section(
                number=number,
                title=current_title,
                who=names.author(head.author_id, head.author_name) if head else None,
                at=head.at if head else None,
                documents=tuple(documents.get(head.agenda_item_id, ())) if head else (),
                entries=tuple(entries),
            )
        )

    agreed: list[Entry] = []
    actions: list[Entry] = []
    for item in items:
        if item.kind == "topic":
            close()
            head, current_title, entries = item, names.text(item.text), []
            continue
        assignees = tuple(
            names.user(a.user_id) if a.user_id is not None else names.text(a.name) for a in item.assignees
        )
        topic_label = None
        if head is not None:
            number = numbers.get(head.agenda_item_id)  # None (unbound topic) is not a key
            topic_label = agenda_item_heading(number, current_title) if number and current_title else current_title
        entry = Entry(
            kind=item.kind,
            text=names.text(item.text),
            who=names.author(item.author_id, item.author_name),
            at=item.at,
            assignees=assignees,
            topic=topic_label,
        )
        entries.append(entry)
        if item.kind == "agreed":
            agreed.append(entry)
        elif item.kind == "action":
            actions.append(entry)
    close()

    by_person: dict[str, tuple[str, list[Entry]]] = {}
    unassigned: list[Entry] = []
    for entry in actions:
        if not entry.assignees:
            unassigned.append(entry)
        for name in entry.assignees:
            key = name.casefold()
            by_person.setdefault(key, (name, []))[1].append(entry)

    persons: dict[str, Person] = {}
    for author_id, stored, lines in people:
        name = names.author(author_id, stored)
        if name == removed():
            continue
        previous = persons.get(name)
        persons[name] = Person(name, lines + (previous.lines if previous else 0))

    return Minutes(
        meeting=meeting,
        periods=tuple(periods),
        sections=tuple(sections),
        agreed=tuple(agreed),
        actions=tuple(actions),
        by_person=tuple(
            (name, tuple(person_entries))
            for name, person_entries in sorted(by_person.values(), key=lambda pair: pair[0].casefold())
        ),
        unassigned=tuple(unassigned),
        people=tuple(sorted(persons.values(), key=lambda p: (-p.lines, p.name.casefold()))),
        generated_at=generated_at,
        purged_at=purged_at,
    )
