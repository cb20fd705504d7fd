"""Rules of the reports. Pure: plain values in, plain values out; never imports discord.

- which period a report covers (``from``/``to`` dates in the server's zone) and which meetings;
- the figures of a meeting, folded from the rows ``storage.reports`` returns: documents (counted,
  late, by kind and source type; withdrawn and not accepted apart), participants (present, in the
  channel, only in threads, youth), chat activity (messages, by agenda item, busiest minutes);
- the outcomes (agreed, actions) taken from the capture feature's minutes;
- youth privacy: every text a report shows passes through :class:`YouthScrubber`, so a youth
  participant is never named, even where someone typed their name by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cogs.attendance._rules import Attendance
from cogs.core.errors import UserError
from cogs.core.house_style import agenda_item_heading, file_name
from cogs.core.i18n import N_, option, translator
from cogs.core.timefmt import parse_date

_ = translator("reports").gettext  # (_text imports this module: its own reference, the same translator)

# ---------------------------------------------------------------------------------------------
# Periods

MAX_PERIOD_DAYS = 10 * 366  # a four-year report, with room to spare; not a lifetime
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


@dataclass(frozen=True, slots=True)
class Period:
    first: date  # included
    last: date  # included
    timezone: str
    start: datetime  # UTC: first day 00:00 in the zone
    end: datetime  # UTC: the day after the last day, 00:00 in the zone (excluded)

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    # Midnight exists in every zone the bot accepts except a few that jump at midnight; fold=0 and
    # a round trip through UTC give the first instant of that day either way.
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def parse_period(first_text: str, last_text: str, timezone: str) -> Period:
    """``from``/``to`` as typed (YYYY-MM-DD, both days included) → the period, or a UserError."""
    first, last = parse_date(first_text), parse_date(last_text)
    for day in (first, last):
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise UserError(
                _(
                    "`{day}` is out of range: give dates between {earliest} and {latest}.",
                    day=day.isoformat(),
                    earliest=EARLIEST_YEAR,
                    latest=LATEST_YEAR,
                )
            )
    if first > last:
        raise UserError(
            _(
                "The period starts after it ends ({first} is after {last}). Give the earlier date as `{start}` and "
                "the later one as `{end}`.",
                first=first.isoformat(),
                last=last.isoformat(),
                start=option("from"),
                end=option("to"),
            )
        )
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise UserError(_("That period is longer than ten years. Choose a shorter one (a four-year report fits)."))
    tz = ZoneInfo(timezone)
    return Period(first, last, timezone, _midnight(first, tz), _midnight(last + timedelta(days=1), tz))


# ---------------------------------------------------------------------------------------------
# Youth privacy


class YouthScrubber:
    """Replaces any known name of an active youth participant with their pseudonym, whole words only.

    Mentions (``<@id>``) are already shown as pseudonyms by capture's ``Names``; this catches the
    names people type by hand (``#action Amira: ...``, "thanks to Amira"). ``names`` maps a name
    (any case) to the pseudonym to show instead. Names shorter than two characters are ignored.
    """

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        names = {n.strip(): p for n, p in (names or {}).items() if len(n.strip()) >= 2}
        self._lookup = {n.casefold(): p for n, p in names.items()}
        usable = sorted(names, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in usable) + r")(?!\w)", re.IGNORECASE)
            if usable
            else None
        )

    def __call__(self, text: str | None) -> str | None:
        if text is None or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._lookup.get(m.group(0).casefold(), "a youth participant"), text)


def youth_names(known: Mapping[int, Iterable[str | None]], pseudonyms: Mapping[int, str]) -> dict[str, str]:
    """{user id: their names (display name, user name, global name...)} → {name: pseudonym}."""
    out: dict[str, str] = {}
    for user_id, names in known.items():
        pseudonym = pseudonyms.get(user_id)
        if pseudonym is None:
            continue
        for name in names:
            if name and name.strip() and name.strip().casefold() != pseudonym.casefold():
                out[name.strip()] = pseudonym
    return out


# ---------------------------------------------------------------------------------------------
# Documents

COUNTED_STATUSES = frozenset({"submitted", "accepted", "late"})  # withdrawn and not accepted are apart
SOURCE_TYPES_ORDER = (
    "member_state",
    "sector_member",
    "organisation",
    "academia",
    "civil_society",
    "youth",
    "secretariat",
    "chair",
    "other",
)


class _DocumentRow:  # what storage.reports.DocumentCount provides
    kind: str
    status: str
    is_late: bool
    source_type: str
    count: int


@dataclass(frozen=True, slots=True)
class Documents:
    contributions: int  # counted contributions (not withdrawn, not "not accepted")
    information: int  # counted information documents
    late: int  # counted documents (both kinds) received after their deadline
    late_accepted: int  # of which the chair accepted
    late_awaiting: int  # of which still await the chair's decision
    withdrawn: int  # not counted
    not_accepted: int  # not counted
    by_source_type: tuple[tuple[str, int, int], ...]  # (source type, contributions, information), counted only

    @property
    def total(self) -> int:
        return self.contributions + self.information


def documents_from(rows: Iterable[_DocumentRow]) -> Documents:
    contributions = information = late = late_accepted = late_awaiting = withdrawn = not_accepted = 0
    by_type: dict[str, list[int]] = {}
    for row in rows:
        if row.status == "withdrawn":
            withdrawn += row.count
            continue
        if row.status == "rejected":
            not_accepted += row.count
            continue
        if row.status not in COUNTED_STATUSES:  # pragma: no cover - the schema allows no other status
            continue
        column = 0 if row.kind == "contribution" else 1
        if column == 0:
            contributions += row.count
        else:
            information += row.count
        if row.is_late:
            late += row.count
            if row.status == "accepted":
                late_accepted += row.count
            elif row.status == "late":
                late_awaiting += row.count
        source = row.source_type if row.source_type in SOURCE_TYPES_ORDER else "other"
        by_type.setdefault(source, [0, 0])[column] += row.count
    ordered = tuple((t, by_type[t][0], by_type[t][1]) for t in SOURCE_TYPES_ORDER if t in by_type)
    return Documents(contributions, information, late, late_accepted, late_awaiting, withdrawn, not_accepted, ordered)


# ---------------------------------------------------------------------------------------------
# Participants and chat activity

RECORDED = "recorded"
RECORDING = "recording"  # a recording is open: figures so far
PURGED = "purged"  # raw log purged: figures from the minutes snapshot
NOT_RECORDED = "not_recorded"


class _Person:  # what storage.reports.PersonActivity provides
    author_id: int
    messages: int
    in_channel: int | None
    youth: bool


class _Record:  # what storage.reports.ChatRecord provides
    recordings: int
    recording_open: bool
    purged_at: datetime | None
    deleted: int
    removed: int


@dataclass(frozen=True, slots=True)
class TopicActivity:
    label: str  # "5 Consideration of contributions" (house style: no dot), a free #topic title, or BEFORE_FIRST_TOPIC
    number: str | None  # the agenda number when the topic is bound to the agenda
    messages: int


BEFORE_FIRST_TOPIC = N_("Before the first #topic")  # translated where shown (_text.topic_label)


@dataclass(frozen=True, slots=True)
class Chat:
    state: str  # RECORDED, RECORDING, PURGED or NOT_RECORDED
    messages: int
    in_threads: int | None  # None: unknown (purged)
    present: int  # distinct participants (channel or threads)
    in_channel: int | None  # of whom spoke in the meeting channel itself (None: unknown)
    youth: int  # of whom active youth participants
    deleted: int | None  # not counted (None: unknown once purged)
    removed: int | None
    by_topic: tuple[TopicActivity, ...]
    busiest: tuple[tuple[datetime, int], ...]  # clock minutes with at least BUSY_MINUTE messages
    purged_at: datetime | None = None

    @property
    def recorded(self) -> bool:
        return self.state != NOT_RECORDED

    @property
    def only_in_threads(self) -> int | None:
        return None if self.in_channel is None else self.present - self.in_channel


# A "busiest minute" in the reports is a clock minute (Geneva time, hh.mm) in which at least this many
# counted messages were written: a minute with one or two messages is no peak worth reporting.
BUSY_MINUTE = 3


def busy_minutes(busiest: Sequence[tuple[datetime, int]]) -> tuple[tuple[datetime, int], ...]:
    return tuple((at, n) for at, n in busiest if n >= BUSY_MINUTE)


class _Section:  # what capture's minutes Section provides
    number: str | None
    title: str | None
    at: datetime | None


def topic_starts(sections: Sequence[_Section]) -> list[_Section]:
    """The #topic sections of the minutes, in the order they were opened."""
    return sorted((s for s in sections if s.title is not None and s.at is not None), key=lambda s: s.at)


def topic_bounds(sections: Sequence[_Section]) -> list[datetime]:
    """When each #topic was opened: the bounds between which messages are counted."""
    return [s.at for s in topic_starts(sections)]


def messages_by_topic(
    sections: Sequence[_Section], counts: Sequence[int], scrub: YouthScrubber | None = None
) -> tuple[TopicActivity, ...]:
    """Counted messages by the #topic under way when each was said (a topic runs until the next one).

    ``counts`` are the messages before the first topic, then in each topic's time span, in order
    (``len(topic_bounds(sections)) + 1`` of them). Topics bound to the same agenda item are added
    together; free topics are told apart by their title; messages said before the first #topic form
    a group of their own. Without any #topic there is nothing to show.
    """
    scrub = scrub or YouthScrubber()
    starts = topic_starts(sections)
    if len(counts) != len(starts) + 1:
        raise ValueError(f"{len(counts)} counts for {len(starts)} topics")
    if not starts:
        return ()  # no #topic at all: nothing to place messages under
    order: list[str] = []
    totals: dict[str, list] = {}

    def add(key: str, label: str, number: str | None, n: int) -> None:
        if key not in totals:
            order.append(key)
            totals[key] = [label, number, 0]
        totals[key][2] += n

    if counts[0]:
        add("", BEFORE_FIRST_TOPIC, None, counts[0])
    for section, n in zip(starts, counts[1:], strict=True):
        title = scrub(section.title) or ""
        if section.number:
            add(f"#{section.number}", agenda_item_heading(section.number, title), section.number, n)
        else:
            add("t:" + " ".join(title.split()).casefold(), title, None, n)
    return tuple(TopicActivity(label, number, n) for label, number, n in (totals[k] for k in order))


def chat_from(
    record: _Record,
    people: Sequence[_Person],
    *,
    sections: Sequence[_Section] = (),
    topic_counts: Sequence[int] = (),
    busiest: Sequence[tuple[datetime, int]] = (),
    scrub: YouthScrubber | None = None,
) -> Chat:
    messages = sum(p.messages for p in people)
    if record.purged_at is not None:
        return Chat(
            state=PURGED,
            messages=messages,
            in_threads=None,
            present=len(people),
            in_channel=None,
            youth=sum(1 for p in people if p.youth),
            deleted=None,
            removed=None,
            by_topic=(),
            busiest=(),
            purged_at=record.purged_at,
        )
    if not record.recordings and not people and not record.deleted and not record.removed:
        state = NOT_RECORDED
    else:
        state = RECORDING if record.recording_open else RECORDED
    channel_messages = sum(p.in_channel or 0 for p in people)
    return Chat(
        state=state,
        messages=messages,
        in_threads=messages - channel_messages,
        present=len(people),
        in_channel=sum(1 for p in people if p.in_channel),
        youth=sum(1 for p in people if p.youth),
        deleted=record.deleted,
        removed=record.removed,
        by_topic=messages_by_topic(sections, topic_counts, scrub) if messages and topic_counts else (),
        busiest=busy_minutes(busiest),
    )


# ---------------------------------------------------------------------------------------------
# Outcomes (from capture's minutes)


class _Entry:  # what capture's minutes Entry provides
    text: str
    assignees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    assignees: tuple[str, ...]
    text: str

    @property
    def line(self) -> str:
        return f"{', '.join(self.assignees)}: {self.text}" if self.assignees else self.text


def outcomes_from(
    agreed: Iterable[_Entry], actions: Iterable[_Entry], scrub: YouthScrubber
) -> tuple[tuple[str, ...], tuple[Action, ...]]:
    """Agreed outcomes and action items as a report shows them: one line each, youth never named."""
    return (
        tuple(_one_line(scrub(e.text)) for e in agreed),
        tuple(Action(tuple(_one_line(scrub(a)) for a in e.assignees), _one_line(scrub(e.text))) for e in actions),
    )


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


# ---------------------------------------------------------------------------------------------
# The report's model


@dataclass(frozen=True, slots=True)
class MeetingRef:
    number: int
    title: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    cancel_reason: str | None
    chair: str | None  # the meeting's chair_name, else the chair role's name, else None


@dataclass(frozen=True, slots=True)
class MeetingFigures:
    meeting: MeetingRef
    documents: Documents
    chat: Chat
    agreed: tuple[str, ...]
    actions: tuple[Action, ...]
    participant_ids: frozenset[int] = frozenset()  # for distinct counts over a period; never shown
    youth_ids: frozenset[int] = frozenset()
    attendance: Attendance | None = None  # who was present, by delegation (None: nobody was noted present)
    contributed: tuple[tuple[str, str], ...] = ()  # delegations a counted document's source names: (name, type)

    def held(self, now: datetime) -> bool:
        return self.meeting.starts_at <= now


def meeting_figures(
    meeting: MeetingRef,
    documents: Documents,
    chat: Chat,
    people: Sequence[_Person],
    agreed: tuple[str, ...],
    actions: tuple[Action, ...],
) -> MeetingFigures:
    return MeetingFigures(
        meeting=meeting,
        documents=documents,
        chat=chat,
        agreed=agreed,
        actions=actions,
        participant_ids=frozenset(p.author_id for p in people),
        youth_ids=frozenset(p.author_id for p in people if p.youth),
    )


@dataclass(frozen=True, slots=True)
class Totals:
    meetings: int
    contributions: int
    information: int
    late: int
    withdrawn: int
    not_accepted: int
    messages: int
    participants: int  # distinct people over all recorded meetings
    youth: int  # distinct youth participants
    recorded: int  # meetings whose chat was recorded


@dataclass(frozen=True, slots=True)
class PeriodReport:
    period: Period
    meetings: tuple[MeetingFigures, ...]  # not cancelled, in start order
    cancelled: tuple[MeetingRef, ...]
    totals: Totals
    most_contributions: tuple[int, int] | None  # (meeting number, contributions)
    most_participants: tuple[int, int] | None  # (meeting number, participants)
    generated_at: datetime

    @property
    def is_empty(self) -> bool:
        return not self.meetings


def select_meetings(meetings: Iterable[MeetingRef], period: Period) -> tuple[list[MeetingRef], list[MeetingRef]]:
    """(held or scheduled, cancelled) meetings that start in the period, in start order."""
    inside = sorted((m for m in meetings if period.contains(m.starts_at)), key=lambda m: (m.starts_at, m.number))
    return [m for m in inside if not m.cancelled], [m for m in inside if m.cancelled]


def _largest(figures: Sequence[MeetingFigures], value) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for f in figures:
        n = value(f)
        if n is not None and n > 0 and (best is None or n > best[1]):
            best = (f.meeting.number, n)
    return best


def period_report(
    period: Period,
    figures: Sequence[MeetingFigures],
    cancelled: Sequence[MeetingRef],
    *,
    generated_at: datetime,
) -> PeriodReport:
    people: set[int] = set()
    youth: set[int] = set()
    for f in figures:
        people |= f.participant_ids
        youth |= f.youth_ids
    totals = Totals(
        meetings=len(figures),
        contributions=sum(f.documents.contributions for f in figures),
        information=sum(f.documents.information for f in figures),
        late=sum(f.documents.late for f in figures),
        withdrawn=sum(f.documents.withdrawn for f in figures),
        not_accepted=sum(f.documents.not_accepted for f in figures),
        messages=sum(f.chat.messages for f in figures),
        participants=len(people),
        youth=len(youth),
        recorded=sum(1 for f in figures if f.chat.recorded),
    )
    return PeriodReport(
        period=period,
        meetings=tuple(figures),
        cancelled=tuple(cancelled),
        totals=totals,
        most_contributions=_largest(figures, lambda f: f.documents.contributions),
        most_participants=_largest(figures, lambda f: f.chat.present if f.chat.recorded else None),
        generated_at=generated_at,
    )


# ---------------------------------------------------------------------------------------------
# The chart's data


@dataclass(frozen=True, slots=True)
class ChartData:
    labels: tuple[str, ...]  # "19th\n26 Jan 2027"
    contributions: tuple[int, ...]
    participants: tuple[int | None, ...]  # None: the chat was not recorded
    title: str
    # The words drawn on the chart, in the report's language (``_text.chart_data`` translates them).
    delegations_label: str = "Delegations present"
    contributions_label: str = "Contributions"
    participants_label: str = "Chat participants"
    not_recorded_label: str = "chat not\nrecorded"
    axis_label: str = "Number"
    language: str = "en"
    delegations: tuple[int | None, ...] = ()  # delegations present (None: no attendance noted); () draws none


def file_stem(group_code: str, what: str) -> str:
    """A safe file name stem: ``cwg-cop-19-report`` (the house rule, cogs/core/house_style.file_name)."""
    return file_name(group_code, what, ext="x").removesuffix(".x")


def date_choices(
    meetings: Iterable[MeetingRef], timezone: str, current: str, today: date, limit: int = 25
) -> list[tuple[str, str]]:
    """(label, value) suggestions for a date option: today, then each meeting's date (latest first)."""
    tz = ZoneInfo(timezone)
    text = current.strip().lower()
    found: list[tuple[str, str]] = [(_("{day} · today", day=today.isoformat()), today.isoformat())]
    for m in sorted(meetings, key=lambda m: m.starts_at, reverse=True):
        day = m.starts_at.astimezone(tz).date().isoformat()
        if m.cancelled:
            found.append((_("{day} · meeting {number} (cancelled)", day=day, number=m.number), day))
        else:
            found.append((_("{day} · meeting {number}", day=day, number=m.number), day))
    chosen = [(label, value) for label, value in found if not text or text in label.lower()]
    if text and not chosen:
        chosen = [(current.strip()[:100], current.strip()[:100])]  # as typed: checked when the command runs
    return chosen[:limit]
