"""What reminders a meeting should have, how they follow it, and whether one should go out now.

Pure: plain values in, plain values out; never imports discord, never reads the clock (``now`` is
always a parameter). Instants are aware UTC datetimes, and every due time is computed from the
meeting's instant in UTC: "7 days before" is exactly 168 hours before, across a DST change too.

Kinds and the meaning of ``offset_seconds`` (the reminder's key is ``(kind, offset_seconds)``):

- ``channel``: a post in the reminders channel ``offset`` before the opening (guild ``reminder_offsets``);
- ``personal``: a direct message ``offset`` before the opening (member subscriptions);
- ``deadline``: a notice before the contribution deadline: ``offset`` before the deadline, where
  ``0`` is the notice on the deadline day (see :func:`deadline_day_notice`);
- ``start``: the "starting now" post in the meeting's channel, at the opening (offset 0).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from cogs.core.errors import UserError
from cogs.core.timefmt import calendar_days_before, parse_offsets
from storage.guild_settings import GuildSettings
from storage.meetings import Meeting
from storage.reminders import Changes, NewReminder, Reminder, Subscription

log = logging.getLogger(__name__)

CHANNEL = "channel"
PERSONAL = "personal"
DEADLINE = "deadline"
START = "start"
# One notice per reminder, whatever the channel: these never have more than one delivery that counts.
CHANNEL_KINDS = frozenset({CHANNEL, DEADLINE, START})

DEFAULT_PERSONAL_OFFSETS = "1d,1h"
DEADLINE_NOTICES = (timedelta(days=3), timedelta(0))  # 3 days before the deadline, and on the day
DEADLINE_DAY_AT = time(9, 0)  # the deadline-day notice: 09.00 in the meeting's zone ...
DEADLINE_DAY_LEAD = timedelta(hours=1)  # ... or one hour before the deadline if that is earlier
START_GRACE = timedelta(minutes=15)  # "starting now" still makes sense this long after the opening
LATE_AFTER = timedelta(minutes=1)  # sent later than this after its due time: marked late

# Why a delivery was not (or not normally) delivered: codes in the ledger, words in _text.py.
MOVED_PAST = "moved_past"
MEETING_CANCELLED = "meeting_cancelled"
NOT_WANTED = "not_wanted"
MEETING_STARTED = "meeting_started"
DEADLINE_PASSED = "deadline_passed"
SUPERSEDED = "superseded"
DM_CLOSED = "dm_closed"
DM_CLOSED_MENTIONED = "dm_closed_mentioned"

Key = tuple[str, int]


# ---------------------------------------------------------------------------------------------
# Recipients


def channel_recipient(channel_id: int) -> str:
    return f"channel:{channel_id}"


def user_recipient(user_id: int) -> str:
    return f"user:{user_id}"


def parse_recipient(recipient: str) -> tuple[str, int]:
    """``'user:42'`` → ``('user', 42)``."""
    kind, _, raw = recipient.partition(":")
    if kind not in ("channel", "user") or not raw.isdigit():
        raise ValueError(f"not a recipient: {recipient!r}")
    return kind, int(raw)


# ---------------------------------------------------------------------------------------------
# Due times


def contribution_deadline(meeting: Meeting, days: int) -> datetime:
    """Contributions are due ``days`` Geneva calendar days before the opening (the rule contributions use:
    Council Decision 556 counts Geneva days, whatever the meeting's zone)."""
    return calendar_days_before(meeting.starts_at, days)  # tz_name defaults to Geneva


def deadline_day_notice(deadline: datetime, tz_name: str) -> datetime:
    """09.00 on the deadline's date in the meeting's zone, or one hour before the deadline if earlier."""
    tz = ZoneInfo(tz_name)
    morning = datetime.combine(deadline.astimezone(tz).date(), DEADLINE_DAY_AT, tzinfo=tz).astimezone(UTC)
    return min(morning, deadline - DEADLINE_DAY_LEAD)


@lru_cache(maxsize=1024)
def offsets_or_empty(text: str) -> tuple[timedelta, ...]:
    """Stored offsets → timedeltas; a value that no longer parses is logged and ignored, not fatal.

    Cached: a start-up reconcile reads the same few subscription strings for every meeting."""
    if not text:
        return ()
    try:
        return parse_offsets(text)
    except UserError:
        log.warning("Ignoring unreadable reminder offsets %r", text)
        return ()


def personal_offsets(meeting_id: int, subscriptions: Sequence[Subscription]) -> dict[int, tuple[timedelta, ...]]:
    """Each subscribed member's offsets for this meeting: a subscription to the meeting itself wins
    over one to every meeting (an empty one opts the member out of this meeting)."""
    general: dict[int, Subscription] = {}
    specific: dict[int, Subscription] = {}
    for sub in subscriptions:
        if sub.meeting_id is None:
            general[sub.user_id] = sub
        elif sub.meeting_id == meeting_id:
            specific[sub.user_id] = sub
    out = {}
    for user_id in general.keys() | specific.keys():
        sub = specific.get(user_id) or general[user_id]
        offsets = offsets_or_empty(sub.offsets)
        if offsets:
            out[user_id] = offsets
    return out


@dataclass(frozen=True, slots=True)
class Wanted:
    kind: str
    offset_seconds: int
    due_at: datetime
    recipients: frozenset[str]


def wanted_reminders(
    meeting: Meeting, settings: GuildSettings, subscriptions: Sequence[Subscription]
) -> dict[Key, Wanted]:
    """Every notice the meeting should have, with its due instant and recipients (none if cancelled)."""
    if meeting.cancelled:
        return {}
    wanted: dict[Key, Wanted] = {}
    start = meeting.starts_at

    def add(kind: str, offset: timedelta, due: datetime, recipients: frozenset[str]) -> None:
        if recipients:
            key = (kind, int(offset.total_seconds()))
            wanted[key] = Wanted(kind, key[1], due, recipients)

    if settings.reminders_channel_id:
        channel = frozenset({channel_recipient(settings.reminders_channel_id)})
        for offset in offsets_or_empty(settings.reminder_offsets):
            add(CHANNEL, offset, start - offset, channel)
        if settings.contribution_deadline_days > 0:
            deadline = contribution_deadline(meeting, settings.contribution_deadline_days)
            for before in DEADLINE_NOTICES:
                due = deadline - before if before else deadline_day_notice(deadline, meeting.timezone)
                add(DEADLINE, before, due, channel)

    meeting_channel = meeting.channel_id or settings.meeting_channel_id
    if meeting_channel:
        add(START, timedelta(0), start, frozenset({channel_recipient(meeting_channel)}))

    by_offset: dict[timedelta, set[str]] = {}
    for user_id, offsets in personal_offsets(meeting.id, subscriptions).items():
        for offset in offsets:
            by_offset.setdefault(offset, set()).add(user_recipient(user_id))
    for offset, users in by_offset.items():
        add(PERSONAL, offset, start - offset, frozenset(users))
    return wanted


# ---------------------------------------------------------------------------------------------
# Following the meeting: the difference between what exists and what is wanted


def plan_meeting(
    meeting: Meeting,
    settings: GuildSettings,
    subscriptions: Sequence[Subscription],
    existing: Sequence[Reminder],
    now: datetime,
) -> Changes:
    """The writes that make ``existing`` match what is wanted now. The rules:

    - nothing attempted (sending, sent, failed) is ever touched: each notice goes out at most once;
    - a reminder whose due time moves keeps its pending deliveries; if the new time has already
      passed they are skipped (``moved_past``), never sent late for the old time;
    - a notice no longer wanted (meeting cancelled, offset removed, member unsubscribed) has its
      pending deliveries cancelled; the rows stay, as the ledger;
    - a notice wanted again whose time is still ahead (meeting moved later, member re-subscribed) has
      its skipped or cancelled deliveries put back to pending: they were never sent;
    - new notices and new recipients are added only while their time is still ahead.
    """
    return plan(wanted_reminders(meeting, settings, subscriptions), meeting, existing, now)


def plan(wanted: dict[Key, Wanted], meeting: Meeting, existing: Sequence[Reminder], now: datetime) -> Changes:
    changes = Changes()
    gone_reason = MEETING_CANCELLED if meeting.cancelled else NOT_WANTED
    seen: set[Key] = set()
    for reminder in existing:
        seen.add(reminder.key)
        want = wanted.get(reminder.key)
        if want is None:
            changes.states += [(d.id, "cancelled", gone_reason) for d in reminder.deliveries if d.state == "pending"]
            continue
        moved = want.due_at != reminder.due_at
        if moved:
            changes.moves.append((reminder.id, want.due_at))
        ahead = want.due_at > now
        if reminder.kind in CHANNEL_KINDS:
            _plan_channel(changes, reminder, want, moved=moved, ahead=ahead)
        else:
            _plan_personal(changes, reminder, want, moved=moved, ahead=ahead)
    for key, want in wanted.items():
        if key not in seen and want.due_at > now:
            changes.new_reminders.append(
                NewReminder(meeting.id, want.kind, want.offset_seconds, want.due_at, tuple(sorted(want.recipients)))
            )
    return changes


def _plan_channel(changes: Changes, reminder: Reminder, want: Wanted, *, moved: bool, ahead: bool) -> None:
    """One notice per reminder: a pending one follows the configured channel; never a second one."""
    (target,) = want.recipients
    attempted = [d for d in reminder.deliveries if d.state in ("sending", "sent", "failed")]
    pending = [d for d in reminder.deliveries if d.state == "pending"]
    dormant = [d for d in reminder.deliveries if d.state in ("skipped", "cancelled")]
    if attempted:
        changes.states += [(d.id, "cancelled", NOT_WANTED) for d in pending]
        return
    if pending:
        keep, *extra = pending
        if keep.recipient != target:
            changes.retargets.append((keep.id, target))
        if moved and not ahead:
            changes.states.append((keep.id, "skipped", MOVED_PAST))
        changes.states += [(d.id, "cancelled", NOT_WANTED) for d in extra]
    elif ahead:
        if dormant:
            revive = next((d for d in dormant if d.recipient == target), dormant[0])
            if revive.recipient != target:
                changes.retargets.append((revive.id, target))
            changes.states.append((revive.id, "pending", None))
        else:
            changes.new_deliveries.append((reminder.id, target))


def _plan_personal(changes: Changes, reminder: Reminder, want: Wanted, *, moved: bool, ahead: bool) -> None:
    """One delivery per member who wants it."""
    have = {d.recipient for d in reminder.deliveries}
    for d in reminder.deliveries:
        if d.recipient not in want.recipients:
            if d.state == "pending":
                changes.states.append((d.id, "cancelled", NOT_WANTED))
        elif d.state == "pending" and moved and not ahead:
            changes.states.append((d.id, "skipped", MOVED_PAST))
        elif d.state in ("skipped", "cancelled") and ahead:
            changes.states.append((d.id, "pending", None))
    if ahead:
        changes.new_deliveries += [(reminder.id, r) for r in sorted(want.recipients - have)]


# ---------------------------------------------------------------------------------------------
# When a reminder's job runs


@dataclass(frozen=True, slots=True)
class Decision:
    action: str  # 'send', 'skip' (too late: record it), 'cancel' (meeting cancelled), 'wait' (not due)
    reason: str | None = None
    late: bool = False


def decide(reminder: Reminder, meeting: Meeting | None, settings: GuildSettings | None, now: datetime) -> Decision:
    """Send now (on time or late), skip (too late to be useful: record why), cancel, or wait."""
    if meeting is None or settings is None or meeting.cancelled:
        return Decision("cancel", MEETING_CANCELLED)
    if reminder.due_at > now + timedelta(seconds=1):
        return Decision("wait")  # a stale job for a reminder that has moved later
    if reminder.kind == DEADLINE:
        cutoff = contribution_deadline(meeting, settings.contribution_deadline_days)
        reason = DEADLINE_PASSED
    elif reminder.kind == START:
        cutoff = min(meeting.starts_at + START_GRACE, meeting.ends_at)
        reason = MEETING_STARTED
    else:
        cutoff = meeting.starts_at
        reason = MEETING_STARTED
    if now >= cutoff:
        return Decision("skip", reason)
    return Decision("send", late=now - reminder.due_at > LATE_AFTER)


# ---------------------------------------------------------------------------------------------
# Personal subscriptions


def split_by_time(
    starts_at: datetime, offsets: Sequence[timedelta], now: datetime
) -> tuple[list[timedelta], list[timedelta]]:
    """(offsets still ahead, offsets already passed) for a meeting opening at ``starts_at``."""
    ahead = [o for o in offsets if starts_at - o > now]
    passed = [o for o in offsets if starts_at - o <= now]
    return ahead, passed


def is_subscribed(meeting_id: int, subscriptions: Sequence[Subscription]) -> bool:
    """Whether the member gets direct messages for this meeting."""
    return bool(personal_offsets(meeting_id, subscriptions))
