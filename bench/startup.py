"""Figure 6: start-up. Process start to ready, and resident memory at ready, for an empty database
(the baseline) and one holding 1,000 meetings and 1,000,000 captured messages.

The real `python bot.py` runs against the loopback Discord of the tests (127.0.0.1 only).
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Figure
from storage.database import Database
from storage.timeutil import to_db
from tests.loopback_discord import LoopbackDiscord

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "Xbench0000000000000000000.abcdef.bench-token-for-loopback-only-xxxxxxxxx"
GUILD = 900000000000000001


async def build_big_database(path: Path, meetings: int = 1000, messages: int = 1_000_000) -> None:
    await (await Database.open(path)).close()  # migrations
    conn = sqlite3.connect(path)
    now = datetime.now(UTC)
    rng = random.Random(6)
    with conn:
        conn.execute(
            "INSERT INTO guild_settings (guild_id, retention_days, updated_at) VALUES (?, 36500, ?)",
            (GUILD, to_db(now)),
        )
        rows = []
        for n in range(1, meetings + 1):
            # Most meetings are in the past; the last fifty are still to come.
            start = now + timedelta(days=(n - meetings + 50) * 3)
            rows.append(
                (
                    n,
                    GUILD,
                    n,
                    f"{n}th meeting",
                    to_db(start),
                    to_db(start + timedelta(hours=7)),
                    "Europe/Zurich",
                    1,
                    to_db(now),
                    to_db(now),
                )
            )
        conn.executemany(
            "INSERT INTO meetings (id, guild_id, number, title, starts_at, ends_at, timezone, created_by, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        per_meeting = messages // meetings
        base_id = 10**17
        batch = []
        for i in range(messages):
            meeting = i // per_meeting + 1
            batch.append(
                (
                    base_id + i,
                    meeting,
                    1000 + meeting,
                    rng.randrange(150),
                    f"Delegate {rng.randrange(150)}",
                    f"Message {i} about agenda item {rng.randrange(9)}: we support the proposal.",
                    to_db(now - timedelta(seconds=messages - i)),
                )
            )
            if len(batch) == 50_000:
                conn.executemany(
                    "INSERT INTO messages (message_id, meeting_id, channel_id, author_id, author_name, content, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
                batch.clear()
    conn.close()


def resident_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def start_once(db_path: Path, discord_: LoopbackDiscord) -> tuple[float, float]:
    """Seconds from process start to the 'Ready' log line, and resident MB at that moment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "LOG_", "DEV_"))}
    env.update(
        DISCORD_TOKEN=TOKEN,
        DATABASE_PATH=str(db_path),
        DISCORD_API_BASE=discord_.api_base,
        DISCORD_GATEWAY_URL=discord_.gateway_url,
        LOG_LEVEL="INFO",
    )
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        cwd=db_path.parent,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(120):
            while True:
                line = (await proc.stderr.readline()).decode()
                if not line:
                    raise RuntimeError("the bot exited before it was ready")
                if "Ready as" in line:
                    ready = time.perf_counter() - started
                    break
        rss_kb = resident_kb(proc.pid)
        proc.terminate()
        async with asyncio.timeout(60):
            await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
    return ready, rss_kb / 1024


async def run(quick: bool = False) -> list[Figure]:
    messages = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        empty, big = tmp_path / "empty" / "db.sqlite3", tmp_path / "big" / "db.sqlite3"
        empty.parent.mkdir()
        big.parent.mkdir()
        await build_big_database(big, messages=messages)
        discord_ = await LoopbackDiscord(TOKEN).start()
        try:
            # Warm both once (file cache, first sync), then take the best of three.
            await start_once(empty, discord_)
            await start_once(big, discord_)
            empty_runs = [await start_once(empty, discord_) for _ in range(3)]
            big_runs = [await start_once(big, discord_) for _ in range(3)]
        finally:
            await discord_.stop()
    e_time, b_time = min(r[0] for r in empty_runs), min(r[0] for r in big_runs)
    e_mem, b_mem = min(r[1] for r in empty_runs), min(r[1] for r in big_runs)
    label = f"1,000 meetings + {messages:,} messages"
    return [
        Figure(
            f"6. start-up to ready, {label}", b_time, "s", "empty db", e_time, "<= empty + 1 s", b_time <= e_time + 1.0
        ),
        Figure(
            f"6. resident memory at ready, {label}",
            b_mem,
            "MB",
            "empty db",
            e_mem,
            "<= empty + 50 MB",
            b_mem <= e_mem + 50,
        ),
    ]
