"""The iCalendar (RFC 5545) file of a meeting. Pure: never imports discord.

The text for people (summary, description) is in the current language: ``/meeting ics`` renders the
file inside ``with locale(language)`` (its ``language:`` option, default the server's first), the
subscription feed in the server's first language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from cogs.core import house_style as hs
from cogs.core import i18n
from cogs.core.timefmt import GENEVA, itu_span
from storage.meetings import Meeting

_ = i18n.translator("meetings").gettext

PRODID = "-//ITU CWG-COP//Meeting bot//EN"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, whatever changes: calendars update the same entry."""
    return f"meeting-{meeting.id}@{meeting.guild_id}.cwgcop"


def ics_filename(meeting: Meeting, group_code: str) -> str:
    return hs.file_name(group_code, meeting.number, ext="ics")


def organizer(group_code: str) -> vCalAddress:
    """RFC 5546 requires an ORGANIZER in PUBLISH and CANCEL; the group has no mailbox, hence .invalid."""
    slug = hs.file_name(group_code, ext="x").removesuffix(".x")
    address = vCalAddress(f"mailto:meetings@{slug}.invalid")
    address.params["cn"] = group_code
    return address


def meeting_ics(meeting: Meeting, now: datetime, group_code: str = "CWG-COP") -> bytes:
    """One VEVENT in UTC; SEQUENCE follows every change.

    A cancelled meeting is an iTIP cancellation (RFC 5546): METHOD:CANCEL, STATUS:CANCELLED, the same UID
    and a higher SEQUENCE than any file sent before, which is what Outlook, Apple Calendar and
    Thunderbird act on when the file is opened. With METHOD:PUBLISH they would keep the event.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if meeting.cancelled else "PUBLISH")
    event = meeting_event(meeting, now)
    event.add("organizer", organizer(group_code))
    cal.add_component(event)
    return cal.to_ical()


def meeting_event(
    meeting: Meeting, dtstamp: datetime, *, local_time: bool = False, more_lines: Sequence[str] = ()
) -> Event:
    """The meeting's VEVENT, shared by the single file and the subscription feed (cogs/calendar).

    ``local_time`` writes the times in the meeting's own zone (TZID; the caller adds the VTIMEZONE)
    rather than UTC; ``more_lines`` end the description.
    """
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", dtstamp)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.sequence)
    if local_time:
        zone = ZoneInfo(meeting.timezone)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", meeting.ends_at.astimezone(zone))
    else:
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
    event.add("summary", _("{title} (cancelled)", title=meeting.title) if meeting.cancelled else meeting.title)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    location = ", ".join(x for x in (meeting.venue, meeting.link) if x)
    if location:
        event.add("location", location)
    if meeting.link:
        event.add("url", meeting.link)
    lines = [span_here_and_geneva(meeting)]
    if meeting.cancelled:
        if meeting.cancel_reason:
            lines.insert(0, _("This meeting has been cancelled. Reason: {reason}", reason=meeting.cancel_reason))
        else:
            lines.insert(0, _("This meeting has been cancelled."))
    if meeting.link:
        lines.append(_("Join: {link}", link=meeting.link))
    lines.extend(more_lines)
    event.add("description", "\n".join(lines))
    return event


def span_here_and_geneva(meeting: Meeting) -> str:
    """The meeting's own time, then Geneva time when it is held elsewhere (house style in English)."""
    if i18n.current() == i18n.SOURCE:
        return hs.span_here_and_geneva(meeting.starts_at, meeting.ends_at, meeting.timezone)
    own = itu_span(meeting.starts_at, meeting.ends_at, meeting.timezone)
    if meeting.timezone in (GENEVA, "UTC"):
        return own
    return _("{own}; {geneva}", own=own, geneva=itu_span(meeting.starts_at, meeting.ends_at))
