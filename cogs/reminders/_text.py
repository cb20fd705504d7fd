"""Everything the reminders feature says, in one place (for the six ITU languages, later).

Pure: strings in, strings out; never imports discord. Times are Discord timestamps (each reader sees
local time) plus the Geneva time written out ITU-style.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from cogs.core.safe_text import inline
from cogs.core.timefmt import describe_offset, discord_ts, itu_span, itu_time, ordinal, when_line
from cogs.reminders import _rules
from storage.meetings import Meeting
from storage.reminders import DETAIL_INTERRUPTED, Reminder, Subscription

LATE_NOTE = "_(sent late: the bot was offline)_"
MAX_MESSAGE = 2000


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def agenda_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def _details(meeting: Meeting, agenda: str | None) -> list[str]:
    lines = [f"🕙 {itu_span(meeting.starts_at, meeting.ends_at)}"]
    if meeting.venue:
        lines.append(f"📍 {inline(meeting.venue)}")
    if meeting.link:
        lines.append(f"🔗 <{meeting.link}>")
    if agenda:
        lines.append(f"📋 Agenda: {agenda}")
    return lines


def _finish(lines: list[str], late: bool) -> str:
    if late:
        lines.append(LATE_NOTE)
    return clip("\n".join(lines))


def before_words(offset_seconds: int) -> str:
    return describe_offset(timedelta(seconds=offset_seconds))


# ---------------------------------------------------------------------------------------------
# What is sent


def channel_reminder(meeting: Meeting, role_id: int | None, agenda: str | None, *, late: bool) -> str:
    who = f"<@&{role_id}> " if role_id else ""
    when = f"{discord_ts(meeting.starts_at, 'R')}: {discord_ts(meeting.starts_at)}"
    head = f"⏰ {who}**{inline(meeting.title)}** opens {when}"
    return _finish([head, *_details(meeting, agenda)], late)


def personal_reminder(meeting: Meeting, agenda: str | None, guild_name: str | None, *, late: bool) -> str:
    where = f" in **{guild_name}**" if guild_name else ""
    head = f"⏰ Your reminder: **{inline(meeting.title)}** opens {discord_ts(meeting.starts_at, 'R')}: " + discord_ts(
        meeting.starts_at
    )
    foot = f"_You asked for this reminder{where}. `/remind stop` there turns it off._"
    return _finish([head, *_details(meeting, agenda), foot], late)


def deadline_notice(
    meeting: Meeting, offset_seconds: int, deadline: datetime, role_id: int | None, *, late: bool
) -> str:
    who = f"<@&{role_id}> " if role_id else ""
    if offset_seconds:
        head = f"📝 {who}Contributions to the **{inline(meeting.title)}** are due {discord_ts(deadline, 'R')}."
    else:
        head = f"📝 {who}Last day for contributions to the **{inline(meeting.title)}**."
    lines = [
        head,
        f"Deadline: {when_line(deadline)}, that is {itu_time(deadline)}.",
        "Documents received later are still registered, but marked late for the chair to decide.",
    ]
    return _finish(lines, late)


def starting_now(meeting: Meeting, agenda: str | None, *, late: bool) -> str:
    head = f"🟢 **{inline(meeting.title)}** is starting now ({discord_ts(meeting.starts_at, 't')})."
    lines = [head, f"🕙 {itu_span(meeting.starts_at, meeting.ends_at)}"]
    if meeting.link:
        lines.append(f"🔗 <{meeting.link}>")
    if agenda:
        lines.append(f"📋 Agenda: {agenda}")
    return _finish(lines, late)


def dm_fallback(user_ids: Sequence[int], meeting: Meeting, *, late: bool) -> str:
    who = " ".join(f"<@{u}>" for u in user_ids)
    lines = [
        f"⏰ {who} your reminder: **{inline(meeting.title)}** opens {discord_ts(meeting.starts_at, 'R')}: "
        f"{discord_ts(meeting.starts_at)}.",
        "I could not send it by direct message. To get reminders privately, allow direct messages "
        "from members of this server (Privacy Settings), or turn them off with `/remind stop`.",
    ]
    return _finish(lines, late)


# ---------------------------------------------------------------------------------------------
# Replies to members


def offset_lines(starts_at: datetime, ahead: Sequence[timedelta], passed: Sequence[timedelta]) -> list[str]:
    lines = [
        f"• {describe_offset(o)} before: {discord_ts(starts_at - o, 'f')} ({discord_ts(starts_at - o, 'R')})"
        for o in sorted(ahead, reverse=True)
    ]
    lines += [f"• ~~{describe_offset(o)} before~~ (that time has passed)" for o in sorted(passed, reverse=True)]
    return lines


def subscribed_meeting(meeting: Meeting, ahead: Sequence[timedelta], passed: Sequence[timedelta]) -> str:
    lines = [
        f"🔔 I will send you a direct message before the **{inline(meeting.title)}** ({discord_ts(meeting.starts_at)}):"
    ]
    lines += offset_lines(meeting.starts_at, ahead, passed)
    lines.append(
        "Stop any time with `/remind stop` (or the button again). Direct messages must be allowed from "
        "members of this server; if they are not, I will mention you in the reminders channel instead."
    )
    return clip("\n".join(lines))


def subscribed_all(offsets: Sequence[timedelta], upcoming: int) -> str:
    when = ", ".join(f"{describe_offset(o)}" for o in offsets)
    count = f"{upcoming} upcoming meeting{'s' if upcoming != 1 else ''}" if upcoming else "no meeting scheduled yet"
    return (
        f"🔔 I will send you a direct message before every meeting of this server ({when} before the "
        f"opening): {count}, and every meeting created later.\n"
        "A meeting you set yourself with `/remind me meeting:` keeps its own times; stop with `/remind stop`."
    )


UNAVAILABLE = "Reminders are not available right now; please try again in a minute."
BUTTON_OUTSIDE_SERVER = "This button works in the server, on the agenda post."
MEETING_GONE = "This meeting no longer exists; see `/meeting list` for the current ones."


def not_a_meeting(value: str) -> str:
    return f"`{value}` is not a meeting. Pick one from the list, or `all` for every meeting."


def meeting_cancelled(meeting: Meeting) -> str:
    return f"The {ordinal(meeting.number)} meeting was cancelled; there is nothing to remind you of."


def meeting_started(meeting: Meeting) -> str:
    return f"The {ordinal(meeting.number)} meeting has already started; there is nothing to remind you of."


def nothing_ahead(meeting: Meeting) -> str:
    return (
        f"All of those times before the **{inline(meeting.title)}** ({discord_ts(meeting.starts_at, 'R')}) have "
        "passed, so nothing was set. Choose shorter ones, e.g. `30m` or `10m`."
    )


def stopped_meeting(meeting: Meeting) -> str:
    return (
        f"🔕 No more direct messages for the **{inline(meeting.title)}**. The reminders channel still gets its "
        "notices. `/remind me` (or the button) turns yours back on."
    )


def stopped_all(count: int) -> str:
    return (
        "🔕 Done: you will get no more direct-message reminders in this server "
        f"({count} setting{'s' if count != 1 else ''} removed). The reminders channel still gets its notices."
    )


def not_subscribed(meeting: Meeting) -> str:
    return f"You have no direct-message reminders for the **{inline(meeting.title)}**; there is nothing to stop."


def no_subscriptions() -> str:
    return "You have no direct-message reminders in this server; there is nothing to stop."


def subscription_list(
    subscriptions: Sequence[Subscription],
    titles: dict[int, str],
    upcoming: Sequence[tuple[Reminder, Meeting]],
) -> str:
    if not subscriptions:
        return (
            "You have no direct-message reminders here. Use `/remind me meeting:` (a meeting or `all`), "
            "or the “Remind me” button on an agenda."
        )
    lines = ["**Your direct-message reminders**"]
    for sub in subscriptions:
        if sub.meeting_id is None:
            lines.append(f"• Every meeting: {_offsets_text(sub.offsets)} before")
        elif sub.opted_out:
            lines.append(f"• {inline(titles.get(sub.meeting_id, 'A past meeting'))}: none (you turned them off)")
        else:
            lines.append(
                f"• {inline(titles.get(sub.meeting_id, 'A past meeting'))}: {_offsets_text(sub.offsets)} before"
            )
    if upcoming:
        lines.append("**Next**")
        for reminder, meeting in upcoming:
            lines.append(
                f"• {discord_ts(reminder.due_at, 'f')} ({discord_ts(reminder.due_at, 'R')}): "
                f"{inline(meeting.title)}, {before_words(reminder.offset_seconds)} before"
            )
    return clip("\n".join(lines))


def _offsets_text(offsets: str) -> str:
    parsed = _rules.offsets_or_empty(offsets)
    return ", ".join(describe_offset(o) for o in parsed) if parsed else "none"


# ---------------------------------------------------------------------------------------------
# The ledger (/remind status)

KIND_LABELS = {
    _rules.CHANNEL: "Channel",
    _rules.PERSONAL: "Direct messages",
    _rules.DEADLINE: "Deadline notice",
    _rules.START: "“Starting now”",
}

REASONS = {
    _rules.MOVED_PAST: "the meeting moved and its time had passed",
    _rules.MEETING_CANCELLED: "meeting cancelled",
    _rules.NOT_WANTED: "no longer wanted",
    _rules.MEETING_STARTED: "too late: the meeting had started",
    _rules.DEADLINE_PASSED: "too late: the deadline had passed",
    _rules.SUPERSEDED: "a later reminder went out instead",
    _rules.DM_CLOSED: "DMs closed",
    _rules.DM_CLOSED_MENTIONED: "DMs closed, mentioned in the channel instead",
    DETAIL_INTERRUPTED: "interrupted by a restart mid-send: may have arrived, not resent",
}


def reminder_label(reminder: Reminder) -> str:
    kind = KIND_LABELS.get(reminder.kind, reminder.kind)
    if reminder.kind == _rules.START:
        return f"{kind} post"
    if reminder.kind == _rules.DEADLINE:
        if reminder.offset_seconds == 0:
            return f"{kind}, on the deadline day"
        return f"{kind}, {before_words(reminder.offset_seconds)} before the deadline"
    return f"{kind}, {before_words(reminder.offset_seconds)} before"


def _reason(detail: str | None) -> str:
    if not detail:
        return "no detail"
    if detail.startswith("http_"):
        return f"Discord error {detail[5:]}"
    return REASONS.get(detail, detail)


STATE_ORDER = ("sent", "pending", "sending", "failed", "skipped", "cancelled")


def ledger_line(reminder: Reminder) -> str:
    counts = Counter(d.state for d in reminder.deliveries)
    parts = []
    for state in STATE_ORDER:
        if counts[state]:
            why = Counter(_reason(d.detail) for d in reminder.deliveries if d.state == state)
            note = ""
            if state in ("failed", "skipped", "cancelled"):
                note = " (" + "; ".join(f"{n} {w}" if n > 1 else w for w, n in why.items()) + ")"
            parts.append(f"{counts[state]} {state}{note}")
    late = sum(1 for d in reminder.deliveries if d.late and d.state == "sent")
    if late:
        parts.append(f"{late} of them late")
    summary = ", ".join(parts) if parts else "nothing to send"
    return f"• {reminder_label(reminder)} · {discord_ts(reminder.due_at, 'f')} · {summary}"


def ledger(meeting: Meeting, reminders: Sequence[Reminder]) -> str:
    head = f"**Reminders for the {inline(meeting.title)}** ({discord_ts(meeting.starts_at)})"
    if meeting.cancelled:
        head += " · cancelled"
    if not reminders:
        return (
            head + "\nNo reminders yet. Channel reminders need a reminders channel (`/setup channels`); "
            "times already past when the meeting was created are not sent."
        )
    lines = [head, *(ledger_line(r) for r in reminders)]
    totals = Counter(d.state for r in reminders for d in r.deliveries)
    lines.append(
        "Total: " + ", ".join(f"{totals[s]} {s}" for s in STATE_ORDER if totals[s]) if totals else "Total: none"
    )
    return clip("\n".join(lines))
