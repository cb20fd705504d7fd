"""The calendar feed's rules: secrets, links, the feed itself, ETag and conditional requests.

Pure: never imports discord or aiohttp.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from icalendar import Calendar, vDuration

from cogs.core import i18n
from cogs.meetings._ics import PRODID, meeting_event
from storage.meetings import Meeting

_ = i18n.translator("calendar").gettext

# 32 random bytes, base64url without padding: 43 characters.
SECRET_BYTES = 32
_SECRET_LIKE = re.compile(r"[A-Za-z0-9_-]{16,}")
_FEED_NAME = re.compile(r"^(?P<secret>[A-Za-z0-9_-]{43})\.ics$")

# The feed shows every meeting that ended less than this long ago, and all future ones.
PAST_WINDOW = timedelta(days=365)
# How often calendar programs are asked to poll (REFRESH-INTERVAL, X-PUBLISHED-TTL) and how long
# an HTTP cache may keep an answer.
REFRESH = timedelta(hours=1)
CACHE_CONTROL = "private, max-age=300"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    """The lookup key of a secret (the table is searched by this, never by the secret itself)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(given: str, stored: str) -> bool:
    return hmac.compare_digest(given.encode(), stored.encode())


def secret_from_name(name: str) -> str | None:
    """``<secret>.ics`` → the secret, or None for anything else (then the answer is 404)."""
    match = _FEED_NAME.match(name)
    return match.group("secret") if match else None


def redact(path: str) -> str:
    """A request path fit for the log: anything that could be a secret (a long run of base64url
    characters, wherever it is in the path) becomes ``[secret]``; the line is bounded."""
    return _SECRET_LIKE.sub("[secret]", path)[:200]


# -- links ------------------------------------------------------------------------------------


def feed_url(base_url: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}/calendar/{secret}.ics"


def webcal_url(url: str) -> str:
    """The same address with the webcal:// scheme, which opens the subscribe dialogue."""
    return "webcal://" + url.split("://", 1)[1]


def jump_url(guild_id: int, channel_id: int, message_id: int | None = None) -> str:
    tail = f"/{message_id}" if message_id is not None else ""
    return f"https://discord.com/channels/{guild_id}/{channel_id}{tail}"


# -- the feed ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One meeting and the Discord places the feed points to. Hashable: equal inputs, equal feed."""

    meeting: Meeting
    agenda_url: str | None
    channel_url: str | None
    channel_name: str | None


def description_lines(entry: FeedEntry) -> list[str]:
    lines = []
    if entry.agenda_url:
        lines.append(_("Agenda: {url}", url=entry.agenda_url))
    if entry.channel_url:
        if entry.channel_name:
            lines.append(
                _("Meeting chat on Discord: {channel} {url}", channel=f"#{entry.channel_name}", url=entry.channel_url)
            )
        else:
            lines.append(_("Meeting chat on Discord: {url}", url=entry.channel_url))
    return lines


def calendar_name(group_code: str) -> str:
    """``CWG-COP meetings`` (in the current language: the cog builds the feed in the server's first)."""
    return _("{group} meetings", group=group_code)


def build_feed(name: str, entries: Sequence[FeedEntry]) -> bytes:
    """The whole feed. Deterministic: the same entries give the same bytes (so the same ETag).

    DTSTAMP is the meeting's last change, not the time of the request: RFC 5545 lets a published
    calendar use it so, and it keeps an unchanged feed byte-identical between polls.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", _("{name}, kept up to date by the meeting bot", name=name))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH).to_ical().decode())  # an X- property: no type of its own
    for entry in entries:
        m = entry.meeting
        cal.add_component(meeting_event(m, m.updated_at, local_time=True, more_lines=description_lines(entry)))
    cal.add_missing_timezones()
    return cal.to_ical()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def next_changed_at(previous: datetime | None, now: datetime) -> datetime:
    """Last-Modified for new content: now, to the second (HTTP's precision), and always later than
    the previous value, so that a client holding the old date never gets 304 for new content."""
    instant = now.astimezone(UTC).replace(microsecond=0)
    if previous is not None and instant <= previous:
        instant = previous.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
    return instant


def http_date(instant: datetime) -> str:
    return format_datetime(instant.astimezone(UTC), usegmt=True)


def not_modified(etag: str, last_modified: datetime, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match wins when present (weak comparison); else If-Modified-Since."""
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        return any(t == "*" or t.removeprefix("W/") == etag for t in tags)
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False  # an invalid date is ignored
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False
