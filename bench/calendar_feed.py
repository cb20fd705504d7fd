"""Figure 10: the calendar feed over HTTP. Requests per second and p99 latency of
``GET /calendar/<secret>.ics`` (a server with 40 meetings: 20 in the past year, 20 to come, some
cancelled, some with a published agenda) beside a static file of the same bytes served by the same
aiohttp application (``web.FileResponse`` on a route added to the feed server's own app), and the
conditional request (If-None-Match, answered 304) that calendar programs mostly send.

The server is the real one: ``FeedServer`` from cogs/calendar/_web.py with the real calendar cog's
``serve`` (secret lookup, database read, feed build or cache, ETag bookkeeping) on a real SQLite
file. The load comes from a separate process (``python -m bench.calendar_feed client ...``):
CONCURRENCY keep-alive connections, each sending its share of REQUESTS requests back to back; it
reports every request's latency. The numbers are for 2 shared cores with the client on one of them.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from aiohttp import web

from bench.common import Figure, median, percentile
from cogs.calendar import _rules
from cogs.calendar._cog import CalendarCog
from cogs.calendar._web import FeedServer
from config.settings import Settings
from storage.agenda import AgendaRepo
from storage.calendar import CalendarRepo
from storage.database import Database
from storage.meetings import MeetingsRepo

GUILD = 900000000000000001
MEETINGS = 40
CONCURRENCY = 16
ROOT = Path(__file__).resolve().parents[1]


async def _seed(db: Database) -> str:
    now = datetime.now(UTC)
    meetings = MeetingsRepo(db)
    agenda = AgendaRepo(db)
    for n in range(1, MEETINGS + 1):
        start = (now + timedelta(days=14 * (n - MEETINGS // 2))).replace(hour=8, minute=0, second=0, microsecond=0)
        m = await meetings.create(
            guild_id=GUILD,
            number=n,
            title=f"{n}th meeting of the CWG-COP",
            starts_at=start,
            ends_at=start + timedelta(hours=7, minutes=30),
            timezone="Europe/Zurich",
            venue="ITU headquarters, Geneva" if n % 2 else None,
            link="https://itu.zoom.us/j/1234567890" if n % 3 else None,
            channel_id=910000000000000001,
            created_by=1000,
        )
        if n % 7 == 0:
            await meetings.update(m.id, status="cancelled", cancel_reason="No quorum")
        if n % 4 == 0:
            await agenda.publish(
                m.id,
                revision=0,
                channel_id=910000000000000002,
                message_ids=[920000000000000000 + n],
                note=None,
                body="1. Opening",
                items=[],
                posted_by=1000,
            )
    secret = _rules.new_secret()
    await CalendarRepo(db).ensure(GUILD, secret, _rules.secret_hash(secret), now)
    return secret


async def _load(url: str, requests: int, headers: dict[str, str]) -> tuple[float, list[float], set[int]]:
    """Run the client process; (elapsed seconds, latencies, statuses seen)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.calendar_feed",
        "client",
        url,
        str(requests),
        json.dumps(headers),
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    out, _ = await proc.communicate()
    result = json.loads(out)
    return result["elapsed"], result["latencies"], set(result["statuses"])


async def run(quick: bool) -> list[Figure]:
    requests = 600 if quick else 3000
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        try:
            secret = await _seed(db)
            bot = SimpleNamespace(
                db=db, settings=Settings(token="x", database=db.path, web_port=0), get_channel=lambda _id: None
            )
            cog = CalendarCog(bot)  # type: ignore[arg-type]
            feed = await cog.serve(secret)
            assert feed is not None
            static = Path(tmp) / "static.ics"
            static.write_bytes(feed.body)
            server = FeedServer(host="127.0.0.1", port=0, feeds=cog.serve, healthy=cog.healthy)

            async def static_file(request: web.Request) -> web.FileResponse:
                return web.FileResponse(static, headers={"Content-Type": _rules.CONTENT_TYPE})

            server.app.router.add_get("/static/feed.ics", static_file)
            await server.start()
            try:
                base = server.local_base_url
                feed_url = _rules.feed_url(base, secret)
                # warm-up (feed cache, connections), then the measured runs
                await _load(feed_url, 100, {})
                f_elapsed, f_lat, f_status = await _load(feed_url, requests, {})
                s_elapsed, s_lat, s_status = await _load(base + "/static/feed.ics", requests, {})
                c_elapsed, c_lat, c_status = await _load(feed_url, requests, {"If-None-Match": feed.etag})
            finally:
                await server.stop()
        finally:
            await db.close()
    assert f_status == {200} and s_status == {200} and c_status == {304}, (f_status, s_status, c_status)
    f_rps, s_rps, c_rps = len(f_lat) / f_elapsed, len(s_lat) / s_elapsed, len(c_lat) / c_elapsed
    size = f"{len(feed.body) // 1024} KB"
    return [
        Figure(
            f"10. calendar feed GET, {MEETINGS} meetings ({size}), {CONCURRENCY} clients",
            f_rps,
            "req/s",
            "static file, same app",
            s_rps,
            ">= 100 req/s",
            f_rps >= 100,
        ),
        Figure(
            f"10. calendar feed GET: p99 (median {median(f_lat) * 1000:.1f} ms)",
            percentile(f_lat, 99),
            "s",
            "static file p99",
            percentile(s_lat, 99),
            "p99 <= 3x static",
            percentile(f_lat, 99) <= 3 * percentile(s_lat, 99),
        ),
        Figure(
            "10. calendar feed, If-None-Match (304)",
            c_rps,
            "req/s",
            "static file, same app",
            s_rps,
            "-",
            None,
        ),
        Figure(
            f"10. calendar feed 304: p99 (median {median(c_lat) * 1000:.1f} ms)",
            percentile(c_lat, 99),
            "s",
            "static file p99",
            percentile(s_lat, 99),
            "-",
            None,
        ),
    ]


async def _client(url: str, requests: int, headers: dict[str, str]) -> None:
    import aiohttp

    latencies: list[float] = []
    statuses: set[int] = set()
    per_worker = requests // CONCURRENCY
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as session:

        async def worker() -> None:
            for _ in range(per_worker):
                t0 = time.perf_counter()
                async with session.get(url, headers=headers) as r:
                    await r.read()
                    statuses.add(r.status)
                latencies.append(time.perf_counter() - t0)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    print(json.dumps({"elapsed": elapsed, "latencies": latencies, "statuses": sorted(statuses)}))


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "client":
    asyncio.run(_client(sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])))
