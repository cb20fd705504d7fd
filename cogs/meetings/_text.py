"""What /meeting says to people, in one place, through the catalogs. Pure: never imports discord.

The English text is the msgid; ``cogs/meetings/locales/<lang>.po`` holds the translations. Replies are
in the member's language (the interaction's); the cancellation announcement and the scheduled event's
description are public, in the server's languages (the cog renders them with ``multilingual``).
"""

from __future__ import annotations

from datetime import datetime

from cogs.core import i18n
from cogs.core.i18n import N_, translator
from cogs.core.safe_text import inline
from cogs.core.timefmt import GENEVA, discord_ts, itu_span, ordinal
from storage.meetings import Meeting

T = translator("meetings")
_, _n = T.gettext, T.ngettext

EVENT_PERMISSION = N_(
    "I could not mirror this meeting as a Discord event because I lack the **Create Events** permission. "
    "The meeting works without it; so that meetings also appear in the server's Events list:\n"
    "Fix: {fix} The next change to a meeting (or my next start) then creates its event. "
    "(I will not repeat this notice; `{command}` lists what I lack.)"
)
EVENT_REFUSED = N_(
    "Discord refused to update the event that mirrors this meeting ({error}). The meeting itself is saved; "
    "I will try again on the next change."
)

ICS_CANCELLED = N_(
    "The {meeting} is cancelled, and this file is a cancellation notice for calendars (iCalendar "
    "METHOD:CANCEL). If you added the meeting from an earlier file, open this one in the same calendar: "
    "programs that apply cancellations, such as Outlook, Apple Calendar and Thunderbird, mark the meeting "
    "cancelled or offer to remove it. Others, such as Google Calendar when importing a file, ignore "
    "cancellations: if the meeting is still in your calendar, delete it by hand."
)
ICS_FILE = N_(
    "The calendar file of the {meeting}. Open it to add the meeting to your calendar; "
    "if the meeting changes, open a new file and your calendar updates the same entry."
)

# i18n: embed title (256)
LIST_TITLE = N_("Meetings")
# i18n: embed footer (2048)
LIST_FOOTER = N_("Times show in your own time zone; Geneva time is written out.")


def meeting_name(number: int) -> str:
    """``19th meeting`` / ``19e réunion`` / ``19.ª reunión`` / ``19-е собрание`` / ``第19次会议`` / ``الاجتماع 19``."""
    return _("{ordinal} meeting", ordinal=ordinal(number))


def when_lines(meeting: Meeting) -> list[str]:
    """Each reader's own time (Discord markup), Geneva time in ITU style, and the zone it was given in."""
    same_day = meeting.starts_at.date() == meeting.ends_at.date()
    end = discord_ts(meeting.ends_at, "t" if same_day else "F")
    lines = [
        _(
            "{start} to {end} ({relative})",
            start=discord_ts(meeting.starts_at, "F"),
            end=end,
            relative=discord_ts(meeting.starts_at, "R"),
        ),
        itu_span(meeting.starts_at, meeting.ends_at),
    ]
    if meeting.timezone not in (GENEVA, "UTC"):
        lines.append(itu_span(meeting.starts_at, meeting.ends_at, meeting.timezone))
    return lines


def cancelled_line(meeting: Meeting) -> str:
    if meeting.cancel_reason:
        return _("**This meeting has been cancelled.** Reason: {reason}", reason=inline(meeting.cancel_reason))
    return _("**This meeting has been cancelled.**")


def details(meeting: Meeting, *, agenda: str | None = None) -> str:
    """The body of a meeting card (used by show, create and edit)."""
    out = []
    if meeting.cancelled:
        out.append(cancelled_line(meeting))
    out.append(_("**When**") + "\n" + "\n".join(when_lines(meeting)))
    if meeting.venue:
        out.append(_("**Where**") + f"\n{inline(meeting.venue)}")
    if meeting.link:
        out.append(_("**Join online**") + f"\n{inline(meeting.link)}")
    if meeting.chair_name:
        out.append(_("**Chair**") + f"\n{inline(meeting.chair_name)}")
    if meeting.channel_id:
        out.append(_("**Meeting chat**") + f"\n<#{meeting.channel_id}>")
    if agenda:
        out.append(_("**Agenda**") + f"\n{agenda}")
    calendar = _(
        "`{command}{number}` gives a file for your calendar.",
        command=i18n.command("meeting ics", "meeting"),
        number=meeting.number,
    )
    out.append(_("**Calendar**") + "\n" + calendar)
    return "\n\n".join(out)


def list_entry(meeting: Meeting, now: datetime) -> str:
    head = f"**{meeting.number}.** {inline(meeting.title)}"
    if meeting.cancelled:
        head = _("~~{entry}~~ (cancelled)", entry=head)
    elif meeting.has_started(now) and not meeting.has_ended(now):
        head = _("{entry} (under way)", entry=head)
    return f"{head}\n{discord_ts(meeting.starts_at, 'F')} ({discord_ts(meeting.starts_at, 'R')})\n" + itu_span(
        meeting.starts_at, meeting.ends_at
    )


def created(meeting: Meeting) -> str:
    return _(
        "The {meeting} is scheduled. Next: `{command}{number}`.",
        meeting=meeting_name(meeting.number),
        command=i18n.command("agenda template", "meeting"),
        number=meeting.number,
    )


FIELD_NAMES = {
    "number": N_("Number"),
    "title": N_("Title"),
    "starts_at": N_("Start"),
    "ends_at": N_("End"),
    "timezone": N_("Time zone"),
    "venue": N_("Venue"),
    "link": N_("Link"),
    "channel_id": N_("Meeting chat"),
    "status": N_("Status"),
    "chair_name": N_("Chair"),
}


def _show(field: str, value: object) -> str:
    if value is None or value == "":
        return _("(none)")
    if field in ("starts_at", "ends_at") and isinstance(value, datetime):
        return f"{discord_ts(value, 'F')}"
    if field == "channel_id":
        return f"<#{value}>"
    if field == "status":
        return _(STATUS_NAMES[str(value)]) if str(value) in STATUS_NAMES else inline(str(value))
    return inline(str(value))


STATUS_NAMES = {"scheduled": N_("scheduled"), "cancelled": N_("cancelled")}


def change_lines(before: Meeting, after: Meeting, fields: list[str]) -> str:
    lines = [
        _(
            "{field}: {before} → {after}",
            field=_(FIELD_NAMES[f]),
            before=_show(f, getattr(before, f)),
            after=_show(f, getattr(after, f)),
        )
        for f in fields
        if f in FIELD_NAMES
    ]
    return "\n".join(lines)


def cancellation(meeting: Meeting) -> str:
    """The public announcement, in the current language (the cog renders it in each server language)."""
    lines = [
        _("**{title}** has been cancelled.", title=inline(meeting.title)),
        _(
            "It was to be held {when}: {span}.",
            when=discord_ts(meeting.starts_at, "F"),
            span=itu_span(meeting.starts_at, meeting.ends_at),
        ),
    ]
    if meeting.cancel_reason:
        lines.append(_("Reason: {reason}", reason=inline(meeting.cancel_reason)))
    return "\n".join(lines)
