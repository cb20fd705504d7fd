"""What /meeting says to people, in one place (for later translation). Pure: never imports discord."""

from __future__ import annotations

from datetime import datetime

from cogs.core.timefmt import GENEVA, discord_ts, itu_span, ordinal
from storage.meetings import Meeting

EVENT_PERMISSION = (
    "I could not mirror this meeting as a Discord event because I lack the **Create Events** permission. "
    "The meeting works without it; so that meetings also appear in the server's Events list:\n"
    "Fix: {fix} The next change to a meeting (or my next start) then creates its event. "
    "(I will not repeat this notice; `/setup show` lists what I lack.)"
)
EVENT_REFUSED = (
    "Discord refused to update the event that mirrors this meeting ({error}). The meeting itself is saved; "
    "I will try again on the next change."
)

ICS_CANCELLED = (
    "The {meeting} is cancelled, and this file is a cancellation notice for calendars (iCalendar "
    "METHOD:CANCEL). If you added the meeting from an earlier file, open this one in the same calendar: "
    "programs that apply cancellations, such as Outlook, Apple Calendar and Thunderbird, mark the meeting "
    "cancelled or offer to remove it. Others, such as Google Calendar when importing a file, ignore "
    "cancellations: if the meeting is still in your calendar, delete it by hand."
)


def when_lines(meeting: Meeting) -> list[str]:
    """Each reader's own time (Discord markup), Geneva time in ITU style, and the zone it was given in."""
    same_day = meeting.starts_at.date() == meeting.ends_at.date()
    end = discord_ts(meeting.ends_at, "t" if same_day else "F")
    lines = [
        f"{discord_ts(meeting.starts_at, 'F')} to {end} ({discord_ts(meeting.starts_at, 'R')})",
        itu_span(meeting.starts_at, meeting.ends_at),
    ]
    if meeting.timezone not in (GENEVA, "UTC"):
        lines.append(itu_span(meeting.starts_at, meeting.ends_at, meeting.timezone))
    return lines


def details(meeting: Meeting, *, agenda: str | None = None) -> str:
    """The body of a meeting card (used by show, create and edit)."""
    out = []
    if meeting.cancelled:
        reason = f" Reason: {meeting.cancel_reason}" if meeting.cancel_reason else ""
        out.append(f"**This meeting has been cancelled.**{reason}")
    out.append("**When**\n" + "\n".join(when_lines(meeting)))
    if meeting.venue:
        out.append(f"**Where**\n{meeting.venue}")
    if meeting.link:
        out.append(f"**Join online**\n{meeting.link}")
    if meeting.chair_name:
        out.append(f"**Chair**\n{meeting.chair_name}")
    if meeting.channel_id:
        out.append(f"**Meeting chat**\n<#{meeting.channel_id}>")
    if agenda:
        out.append(f"**Agenda**\n{agenda}")
    out.append(f"**Calendar**\n`/meeting ics meeting:{meeting.number}` gives a file for your calendar.")
    return "\n\n".join(out)


def list_entry(meeting: Meeting, now: datetime) -> str:
    head = f"**{meeting.number}.** {meeting.title}"
    if meeting.cancelled:
        head = f"~~{head}~~ (cancelled)"
    elif meeting.has_started(now) and not meeting.has_ended(now):
        head += " (under way)"
    return f"{head}\n{discord_ts(meeting.starts_at, 'F')} ({discord_ts(meeting.starts_at, 'R')})\n" + itu_span(
        meeting.starts_at, meeting.ends_at
    )


def created(meeting: Meeting) -> str:
    return f"The {ordinal(meeting.number)} meeting is scheduled. Next: `/agenda template meeting:{meeting.number}`."


FIELD_NAMES = {
    "number": "Number",
    "title": "Title",
    "starts_at": "Start",
    "ends_at": "End",
    "timezone": "Time zone",
    "venue": "Venue",
    "link": "Link",
    "channel_id": "Meeting chat",
    "status": "Status",
    "chair_name": "Chair",
}


def _show(field: str, value: object) -> str:
    if value is None or value == "":
        return "(none)"
    if field in ("starts_at", "ends_at") and isinstance(value, datetime):
        return f"{discord_ts(value, 'F')}"
    if field == "channel_id":
        return f"<#{value}>"
    return str(value)


def change_lines(before: Meeting, after: Meeting, fields: list[str]) -> str:
    lines = [
        f"{FIELD_NAMES.get(f, f)}: {_show(f, getattr(before, f))} → {_show(f, getattr(after, f))}"
        for f in fields
        if f in FIELD_NAMES
    ]
    return "\n".join(lines)


def cancellation(meeting: Meeting) -> str:
    text = (
        f"**{meeting.title}** has been cancelled.\n"
        f"It was to be held {discord_ts(meeting.starts_at, 'F')}: "
        f"{itu_span(meeting.starts_at, meeting.ends_at)}."
    )
    if meeting.cancel_reason:
        text += f"\nReason: {meeting.cancel_reason}"
    return text
