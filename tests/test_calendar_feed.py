"""The calendar subscription feed: the real bot (simcord) with its web server on a free loopback
port, meetings made through the bot's commands, the feed fetched over HTTP and read back by two
independent iCalendar parsers (icalendar, and ics.py with its own grammar)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import ics
import pytest
from icalendar import Calendar

from cogs.calendar._web import MAX_ACTIVE, MAX_WAITING
from config.settings import Settings
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow
from tests.conftest import FAKE_TOKEN

GENEVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
def settings(db_path) -> Settings:
    """The bot's settings with the web server on: port 0 is any free loopback port."""
    return Settings(token=FAKE_TOKEN, database=db_path, web_port=0)


def future_day(days: int) -> date:
    return (utcnow() + timedelta(days=days)).astimezone(GENEVA).date()


def geneva(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=GENEVA).astimezone(UTC)


async def create(world, number: int, day: date, **extra):
    r = await world.chair.slash(
        world.general, "meeting create", number=number, start=f"{day} 10:00", end="12:30", **extra
    )
    assert "is scheduled" in r.response.content, r.response.content
    return r


async def feed_link(world, member=None) -> str:
    r = await (member or world.delegate).slash(world.general, "meeting feed")
    assert r.ephemeral
    text = r.response.content
    url = re.search(r"Link: <(http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]{43}\.ics)>", text).group(1)
    assert f"Subscribe directly: <webcal://{url.removeprefix('http://')}>" in text
    for program in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert f"**{program}**" in text
    assert "PUBLIC_BASE_URL" in text, "the link only works locally: the reader is told why"
    return url


async def get(url: str, method: str = "GET", **headers: str) -> tuple[int, Mapping[str, str], bytes]:
    async with aiohttp.ClientSession() as session, session.request(method, url, headers=headers) as r:
        return r.status, r.headers.copy(), await r.read()


def by_uid_icalendar(body: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(body)
    return {
        str(e["uid"]): {
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "sequence": e.decoded("sequence"),
            "status": str(e["status"]),
            "summary": str(e["summary"]),
            "description": str(e["description"]),
            "tzid": e["dtstart"].params.get("TZID"),
        }
        for e in cal.walk("VEVENT")
    }


def by_uid_ics(body: bytes) -> dict[str, dict]:
    cal = ics.Calendar(body.decode())
    return {
        e.uid: {
            "start": e.begin.datetime,
            "end": e.end.datetime,
            "sequence": int(next(x.value for x in e.extra if x.name == "SEQUENCE")),
            "status": e.status,
        }
        for e in cal.events
    }


async def read_feed(url: str) -> dict[str, dict]:
    status, headers, body = await get(url)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    one, other = by_uid_icalendar(body), by_uid_ics(body)
    assert one.keys() == other.keys()
    for uid in one:  # the two parsers read the same instants, sequence and status
        assert one[uid]["start"] == other[uid]["start"], uid
        assert one[uid]["end"] == other[uid]["end"], uid
        assert one[uid]["sequence"] == other[uid]["sequence"], uid
        assert one[uid]["status"] == other[uid]["status"], uid
    return one


def uid(meeting, world) -> str:
    return f"meeting-{meeting.id}@{world.guild.id}.cwgcop"


async def test_the_feed_follows_create_move_and_cancel(world):
    repo = MeetingsRepo(world.bot.db)
    day19, day20, moved = future_day(30), future_day(60), future_day(75)
    await create(world, 19, day19, venue="ITU headquarters, Geneva", link="https://itu.zoom.us/j/123")
    await create(world, 20, day20)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "is published" in r.response.content
    url = await feed_link(world)
    m19, m20 = await repo.by_number(world.guild.id, 19), await repo.by_number(world.guild.id, 20)

    status, _, body = await get(url)
    assert status == 200
    cal = Calendar.from_ical(body)
    assert str(cal["x-wr-calname"]) == "CWG-COP meetings"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body.decode()
    assert "X-PUBLISHED-TTL:PT1H" in body.decode()
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Zurich"]
    first = await read_feed(url)
    assert set(first) == {uid(m19, world), uid(m20, world)}
    e19 = first[uid(m19, world)]
    assert (e19["start"], e19["end"]) == (geneva(day19, 10), geneva(day19, 12, 30))
    assert e19["tzid"] == "Europe/Zurich", "written in Geneva time, with its zone"
    assert e19["status"] == "CONFIRMED"
    post = await world.bot.db.fetchone("SELECT * FROM agenda_posts WHERE meeting_id = ?", (m19.id,))
    first_message = int(json.loads(post["message_ids"])[0])
    agenda_url = f"https://discord.com/channels/{world.guild.id}/{world.agenda.id}/{first_message}"
    assert f"Agenda: {agenda_url}" in e19["description"]
    channel_line = f"Meeting chat on Discord: #meeting https://discord.com/channels/{world.guild.id}/{world.meeting.id}"
    assert channel_line in e19["description"]
    assert "Join: https://itu.zoom.us/j/123" in e19["description"]
    for person in ("chair", "delegate", "Madam Chair"):
        assert person not in body.decode(), "no participant data in the feed"

    # The chair moves the 19th meeting: same UID, new times, a higher SEQUENCE.
    await world.chair.slash(world.general, "meeting edit", meeting=19, start=f"{moved} 14:00")
    second = await read_feed(url)
    e19b = second[uid(m19, world)]
    assert (e19b["start"], e19b["end"]) == (geneva(moved, 14), geneva(moved, 16, 30))
    assert e19b["sequence"] > e19["sequence"]

    # ... and cancels the 20th: still in the feed, cancelled, with a higher SEQUENCE.
    await world.chair.slash(world.general, "meeting cancel", meeting=20, reason="No quorum")
    third = await read_feed(url)
    e20 = third[uid(m20, world)]
    assert e20["status"] == "CANCELLED"
    assert e20["sequence"] > first[uid(m20, world)]["sequence"]
    assert third[uid(m19, world)]["status"] == "CONFIRMED"


async def test_past_year_and_future_only(world):
    repo = MeetingsRepo(world.bot.db)
    now = utcnow()
    common = {"guild_id": world.guild.id, "timezone": "Europe/Zurich", "created_by": world.chair.id}
    # Meetings in the past cannot be created through /meeting create: written as the bot wrote them then.
    ago400, ago200 = now - timedelta(days=400), now - timedelta(days=200)
    old = await repo.create(number=1, title="Old", starts_at=ago400, ends_at=ago400 + timedelta(hours=2), **common)
    recent = await repo.create(
        number=2, title="Recent", starts_at=ago200, ends_at=ago200 + timedelta(hours=2), **common
    )
    await create(world, 3, future_day(500))
    future = await repo.by_number(world.guild.id, 3)
    events = await read_feed(await feed_link(world))
    assert set(events) == {uid(recent, world), uid(future, world)}
    assert uid(old, world) not in events


async def test_conditional_requests_head_and_headers(world):
    await create(world, 19, future_day(30))
    url = await feed_link(world)
    status, headers, body = await get(url)
    assert status == 200
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert headers["Cache-Control"] == "private, max-age=300"
    assert headers["Server"] == "cwgcop", "no version banner"
    assert int(headers["Content-Length"]) == len(body)

    # Unchanged: the same ETag, and 304 to either kind of conditional request.
    status2, headers2, body2 = await get(url)
    assert (status2, headers2["ETag"], body2) == (200, etag, body)
    status, headers304, body304 = await get(url, **{"If-None-Match": etag})
    assert (status, body304, headers304["ETag"]) == (304, b"", etag)
    status, _, _ = await get(url, **{"If-None-Match": f'"other", W/{etag}'})
    assert status == 304
    status, _, _ = await get(url, **{"If-Modified-Since": last_modified})
    assert status == 304
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    status, _, _ = await get(url, **{"If-None-Match": '"stale"', "If-Modified-Since": last_modified})
    assert status == 200

    # HEAD: the same headers, no body.
    status, head_headers, head_body = await get(url, "HEAD")
    assert (status, head_body) == (200, b"")
    assert head_headers["ETag"] == etag
    assert head_headers["Content-Length"] == str(len(body))
    assert head_headers["Content-Type"] == "text/calendar; charset=utf-8"

    # A change: a new ETag, a later Last-Modified, and the old validators get the new feed.
    await world.chair.slash(world.general, "meeting edit", meeting=19, venue="Room A")
    status, headers3, body3 = await get(url, **{"If-None-Match": etag})
    assert status == 200 and b"Room A" in body3
    assert headers3["ETag"] != etag
    assert datetime.strptime(headers3["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT") > datetime.strptime(
        last_modified, "%a, %d %b %Y %H:%M:%S GMT"
    )
    status, _, _ = await get(url, **{"If-Modified-Since": last_modified})
    assert status == 200


async def test_wrong_secrets_other_paths_and_a_rotated_secret_get_404(world, caplog):
    caplog.set_level(logging.INFO)
    await create(world, 19, future_day(30))
    url = await feed_link(world)
    base, secret = url.split("/calendar/")[0], url.split("/calendar/")[1].removesuffix(".ics")
    wrong = ("A" if secret[0] != "A" else "B") + secret[1:]
    for path in (
        f"/calendar/{wrong}.ics",
        f"/calendar/{secret}",
        f"/calendar/{secret}.ics.bak",
        "/calendar/",
        "/calendar",
        "/",
        "/static/",
        "/../../etc/passwd",
        "/calendar/%2e%2e/%2e%2e/etc/passwd",
    ):
        status, headers, body = await get(base + path)
        assert status == 404, path
        assert body == b"Not found\n", path
        assert headers["Server"] == "cwgcop"
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        status, _, body = await get(url, method)
        assert (status, body) == (404, b"Not found\n"), method

    # /setup is for Manage Server; even if an admin lets participants see it in Discord, a delegate
    # cannot rotate (checked on the server side); the chair (an organiser) can, and the old link
    # stops working at once.
    assert "setup calendar rotate" in world.admin.available_commands(world.general)
    assert "setup calendar rotate" not in world.delegate.available_commands(world.general)
    setup = next(c for c in await world.bot.tree.fetch_commands() if c.name == "setup")
    world.guild.set_command_permissions(setup, {world.participant_role: True})
    r = await world.delegate.slash(world.general, "setup calendar rotate")
    assert r.ephemeral
    assert "is for the meeting organisers" in r.response.content
    assert (await get(url))[0] == 200
    r = await world.chair.slash(world.general, "setup calendar rotate")
    assert r.ephemeral
    assert "the old one stopped working now" in r.response.content
    assert (await get(url))[0] == 404
    new_url = await feed_link(world)
    assert new_url != url and new_url in r.response.content
    assert (await get(new_url))[0] == 200

    # The log has every request, never the secret.
    assert "GET /calendar/[secret].ics 200" in caplog.text
    assert "GET /calendar/[secret].ics 404" in caplog.text
    assert secret not in caplog.text and new_url.split("/")[-1] not in caplog.text


async def test_200_concurrent_requests_are_all_answered(world):
    """Bound: MAX_ACTIVE feeds built at once plus MAX_WAITING waiting; more get 503 + Retry-After."""
    for n in range(1, 6):
        await create(world, n, future_day(20 + n))
    url = await feed_link(world)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> tuple[int, str | None, bytes]:
            async with session.get(url) as r:
                return r.status, r.headers.get("Retry-After"), await r.read()

        results = await asyncio.gather(*(one() for _ in range(200)))
    statuses = [s for s, _, _ in results]
    assert len(statuses) == 200
    assert set(statuses) <= {200, 503}
    assert statuses.count(200) >= min(200, MAX_ACTIVE + MAX_WAITING)
    assert all(retry == "5" for s, retry, _ in results if s == 503)
    bodies = {b for s, _, b in results if s == 200}
    assert len(bodies) == 1 and len(by_uid_icalendar(bodies.pop())) == 5


async def test_health_endpoint_says_ok_and_nothing_else(world):
    url = await feed_link(world)
    base = url.split("/calendar/")[0]
    status, headers, body = await get(base + "/healthz")
    assert (status, body) == (200, b"ok\n")
    assert headers["Cache-Control"] == "no-store"
    status, _, body = await get(base + "/healthz", "HEAD")
    assert (status, body) == (200, b"")


async def test_the_feed_command_is_for_anyone_in_the_server(world):
    url = await feed_link(world, world.outsider)
    assert url == await feed_link(world, world.chair), "one feed per server"


async def test_a_restart_keeps_the_address_and_the_validators(world, harness):
    await create(world, 19, future_day(30))
    url = await feed_link(world)
    _, headers, body = await get(url)

    await harness.restart()
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(url)  # the old bot's server stopped with it (its port was a free one: 0)
    new_url = await feed_link(world)
    assert new_url.split("/calendar/")[1] == url.split("/calendar/")[1], "the same secret"
    status, headers2, body2 = await get(new_url)
    assert (status, body2) == (200, body)
    assert (headers2["ETag"], headers2["Last-Modified"]) == (headers["ETag"], headers["Last-Modified"])
    assert (await get(new_url, **{"If-None-Match": headers["ETag"]}))[0] == 304
    assert (await get(new_url, **{"If-Modified-Since": headers["Last-Modified"]}))[0] == 304


async def test_a_malformed_request_is_refused_and_logged_in_one_line_without_the_secret(world, caplog):
    caplog.set_level(logging.INFO)  # the bot's log level in production (DEBUG logs SQL parameters)
    url = await feed_link(world)
    port, secret = int(url.split(":")[2].split("/")[0]), url.split("/calendar/")[1].removesuffix(".ics")
    for raw in (
        f"GET /calendar/{secret}.ics?{'x' * 9000} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        b"\x16\x03\x01 not HTTP at all\r\n\r\n",
    ):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        await writer.drain()
        answer = await reader.read()
        writer.close()
        assert answer.startswith(b"HTTP/1.0 400 Bad Request"), answer[:100]
    assert "Refused a malformed HTTP request (400 LineTooLong)" in caplog.text
    assert secret not in caplog.text
    assert "Traceback" not in caplog.text


async def test_the_calendar_is_named_after_the_group_code(world):
    await create(world, 19, future_day(30))
    url = await feed_link(world)
    assert str(Calendar.from_ical((await get(url))[2])["x-wr-calname"]) == "CWG-COP meetings"
    r = await world.admin.slash(world.general, "setup options", group_code="CWG-X")
    assert "Options saved" in r.response.content
    assert str(Calendar.from_ical((await get(url))[2])["x-wr-calname"]) == "CWG-X meetings"
