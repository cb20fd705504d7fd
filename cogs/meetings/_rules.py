"""Meeting rules: reading times, checking fields, what an edit changes. Pure: never imports discord."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.core.safe_text import inline
from cogs.core.timefmt import itu_span, itu_time, ordinal, parse_local, zone
from storage.meetings import Meeting

_ = i18n.translator("meetings").gettext

MAX_TITLE = 100  # Discord's limit for a scheduled event's name
MAX_VENUE = 100  # ... and for an external event's location
MAX_LINK = 500
MAX_EVENT_DESCRIPTION = 1000  # Discord's limit for a scheduled event's description
MAX_REASON = 500
MAX_CHAIR = 150  # "Ms Jane Doe (United Kingdom), Chair of the CWG-COP" with room to spare
MAX_DURATION = timedelta(days=7)
MAX_AHEAD = timedelta(days=5 * 366)
CLEAR = "-"  # typed in an optional text field of /meeting edit: remove the value

_SPACE = re.compile(r"\s")


def default_title(number: int, group_code: str) -> str:
    """``19th meeting of the CWG-COP`` (in the current language: the cog renders it in the server's first)."""
    return _("{ordinal} meeting of the {group}", ordinal=ordinal(number), group=group_code)


def clean_title(text: str) -> str:
    title = " ".join((text or "").split())
    if not title:
        raise UserError(_("The title cannot be empty."))
    if len(title) > MAX_TITLE:
        raise UserError(
            _(
                "The title is {length} characters long; keep it to {limit} (Discord's limit).",
                length=len(title),
                limit=MAX_TITLE,
            )
        )
    return title


def clean_venue(text: str | None) -> str | None:
    if text is None:
        return None
    venue = " ".join(text.split())
    if not venue:
        return None
    if len(venue) > MAX_VENUE:
        raise UserError(
            _("The venue is {length} characters long; keep it to {limit}.", length=len(venue), limit=MAX_VENUE)
        )
    return venue


def clean_link(text: str | None) -> str | None:
    """An http(s) address, or None. Anything else (javascript:, a bare word, spaces) is refused."""
    if text is None:
        return None
    link = text.strip()
    if not link:
        return None
    parsed = urlparse(link)
    host = parsed.hostname or ""
    if (
        parsed.scheme.lower() not in ("http", "https")
        or not host
        or _SPACE.search(link)
        or len(link) > MAX_LINK
        or ("." not in host and host != "localhost")
    ):
        raise UserError(
            _(
                "`{link}` is not a web link I can share. Give a full address starting with "
                "`https://` (or `http://`), e.g. `https://itu.zoom.us/j/123456789`.",
                link=link[:100],
            )
        )
    return link


def clean_reason(text: str | None) -> str | None:
    if text is None:
        return None
    reason = " ".join(text.split())
    if len(reason) > MAX_REASON:
        raise UserError(
            _("The reason is {length} characters long; keep it to {limit}.", length=len(reason), limit=MAX_REASON)
        )
    return reason or None


@dataclass(frozen=True, slots=True)
class ChairMember:
    """The member an organiser named as chair, and what the record knows about them."""

    id: int
    display_name: str
    is_bot: bool = False
    youth: bool = False  # shown as "Participant N" everywhere
    forgotten: bool = False  # asked to be removed from the record


def clean_chair_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise UserError(_("The chair's name cannot be empty (write `-` to remove the chair)."))
    if len(name) > MAX_CHAIR:
        raise UserError(
            _(
                "The chair's name is {length} characters long; keep it to {limit}, e.g. "
                "`Ms Jane Doe (United Kingdom), Chair of the CWG-COP`.",
                length=len(name),
                limit=MAX_CHAIR,
            )
        )
    if "@" in name or "<" in name or "://" in name:
        raise UserError(
            _(
                "Write the chair's name as it appears in documents, without mentions or links, e.g. "
                "`Ms Jane Doe (United Kingdom), Chair of the CWG-COP`."
            )
        )
    return name


def chair_fields(member: ChairMember | None, written: str | None) -> dict[str, object]:
    """``chair_name``/``chair_member_id`` to store from the ``chair:`` and ``chair_name:`` options.

    The chair is an official whose name is public record: the minutes and reports name them. A written
    name wins over the member's display name (it carries title and country); ``-`` removes the chair.
    A youth participant (shown only as a pseudonym) or a member who asked to be forgotten is never named
    from their account: that would undo their choice; the organiser can still write the official's name.
    """
    if member is None and written is None:
        return {}
    if written is not None and written.strip() == CLEAR:
        if member is not None:
            raise UserError(
                _(
                    "Give either a chair or `{option}:-` to remove the chair, not both.",
                    option=i18n.option("chair_name"),
                )
            )
        return {"chair_name": None, "chair_member_id": None}
    name = clean_chair_name(written) if written is not None else None
    if member is None:
        return {"chair_name": name, "chair_member_id": None}
    if member.is_bot:
        raise UserError(
            _(
                "A bot cannot chair a meeting; choose a member, or write the name with `{option}:`.",
                option=i18n.option("chair_name"),
            )
        )
    if member.youth:
        raise UserError(
            _(
                "They take part as a youth participant, "
                "so I will not put their account's name in the minutes. If they chair in an official capacity, "
                "write the name as it should appear with `{option}:` (e.g. `Ms Jane Doe (United Kingdom), Chair of "
                "the CWG-COP`).",
                option=i18n.option("chair_name"),
            )
        )
    if member.forgotten:
        raise UserError(
            _(
                "They asked to be removed from the record, "
                "so I will not put their account's name in the minutes. If they chair in an official capacity, "
                "write the name as it should appear with `{option}:` (e.g. `Ms Jane Doe (United Kingdom), Chair of "
                "the CWG-COP`).",
                option=i18n.option("chair_name"),
            )
        )
    return {"chair_name": name or clean_chair_name(member.display_name), "chair_member_id": member.id}


def clean_zone(name: str | None, default: str) -> str:
    return zone(name).key if name and name.strip() else zone(default).key


@dataclass(frozen=True, slots=True)
class Times:
    starts_at: datetime  # aware UTC
    ends_at: datetime
    timezone: str


def read_end(text: str, tz: ZoneInfo, starts_at: datetime) -> datetime:
    """``17:30`` (the start's day, in the zone) or ``2027-01-27 12:00``."""
    return parse_local(text, tz, base_date=starts_at.astimezone(tz).date())


def check_times(starts_at: datetime, ends_at: datetime, tz_name: str, now: datetime, *, check_start: bool) -> None:
    if ends_at <= starts_at:
        raise UserError(
            _(
                "The end ({end}) must be after the start ({start}). "
                "For a meeting that ends on another day, give the end as `YYYY-MM-DD HH:MM`.",
                end=_local(ends_at, tz_name),
                start=_local(starts_at, tz_name),
            )
        )
    if ends_at - starts_at > MAX_DURATION:
        raise UserError(_("A meeting lasts at most 7 days; check the end date."))
    if check_start and starts_at <= now:
        raise UserError(
            _(
                "The start ({start}) is in the past. Give a future date and time as `YYYY-MM-DD HH:MM`.",
                start=itu_time(starts_at, tz_name),
            )
        )
    if check_start and starts_at - now > MAX_AHEAD:
        raise UserError(_("That start is more than five years away; check the year."))


def read_times(start: str, end: str, tz_name: str, now: datetime) -> Times:
    """/meeting create: the start and end as typed, read in ``tz_name``."""
    tz = zone(tz_name)
    starts_at = parse_local(start, tz)
    ends_at = read_end(end, tz, starts_at)
    check_times(starts_at, ends_at, tz.key, now, check_start=True)
    return Times(starts_at, ends_at, tz.key)


def read_new_times(
    meeting: Meeting, start: str | None, end: str | None, tz_name: str | None, now: datetime
) -> Times | None:
    """/meeting edit: new times, or None when none were given.

    A new start alone keeps the meeting's length; a new end alone keeps the start; a time zone says how
    to read the new times, so it comes with a start or an end.
    """
    if start is None and end is None:
        if tz_name is not None:
            raise UserError(
                _(
                    "The time zone says how to read `{start}` and `{end}`; give the start (and end) again with it, "
                    "e.g. `{start}:2027-01-26 10:00 {end}:17:30 {timezone}:America/New_York`.",
                    start=i18n.option("start"),
                    end=i18n.option("end"),
                    timezone=i18n.option("timezone"),
                )
            )
        return None
    tz = zone(tz_name) if tz_name else zone(meeting.timezone)
    starts_at = parse_local(start, tz) if start is not None else meeting.starts_at
    # A new start alone keeps the meeting's length.
    ends_at = read_end(end, tz, starts_at) if end is not None else starts_at + (meeting.ends_at - meeting.starts_at)
    if meeting.has_ended(now) and (starts_at != meeting.starts_at or ends_at != meeting.ends_at):
        raise UserError(_("This meeting has already taken place; its times can no longer change."))
    check_times(starts_at, ends_at, tz.key, now, check_start=starts_at != meeting.starts_at)
    return Times(starts_at, ends_at, tz.key)


def changed_fields(meeting: Meeting, proposed: dict[str, object]) -> dict[str, object]:
    """Only the fields whose value differs from the meeting's."""
    return {k: v for k, v in proposed.items() if getattr(meeting, k) != v}


def _local(instant: datetime, tz_name: str) -> str:
    return instant.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------------------------
# The Discord scheduled event that mirrors a meeting


@dataclass(frozen=True, slots=True)
class EventFields:
    name: str
    location: str
    description: str
    start: datetime
    end: datetime


def event_fields(meeting: Meeting, languages: Sequence[str] = (i18n.SOURCE,)) -> EventFields:
    """Name, location (venue and/or link, at most 100 characters) and description of the mirror.

    The event is public: its description carries each of the server's ``languages`` (the first leads)
    within Discord's 1,000 characters; "Online" is in the first language.
    """
    first = languages[0] if languages else i18n.SOURCE
    if meeting.venue and meeting.link and len(meeting.venue) + 3 + len(meeting.link) <= MAX_VENUE:
        location = f"{meeting.venue} · {meeting.link}"
    else:
        location = meeting.venue or meeting.link or _("Online", in_language=first)

    def describe() -> str:
        lines = [itu_span(meeting.starts_at, meeting.ends_at)]
        if meeting.venue:
            lines.append(_("Venue: {venue}", venue=inline(meeting.venue)))
        if meeting.link:
            lines.append(_("Join: {link}", link=inline(meeting.link)))
        lines.append(_("The agenda and documents are posted in the server's agenda channel."))
        return "\n".join(lines)

    return EventFields(
        name=meeting.title[:MAX_TITLE],
        location=location[:MAX_VENUE],
        description=i18n.multilingual(languages, describe, limit=MAX_EVENT_DESCRIPTION, what="event description"),
        start=meeting.starts_at,
        end=meeting.ends_at,
    )
