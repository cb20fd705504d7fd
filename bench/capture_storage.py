"""Figure 1: the capture storage path. Chat lines per second written to a real SQLite file (WAL).

- the bot: the capture writer as the cog uses it (``CaptureWriter.submit`` per line, as
  ``on_message`` does, then ``flush``), which batches into ``CaptureStore.apply`` transactions on the
  bot's one aiosqlite connection;
- the limit: plain ``sqlite3`` ``executemany`` of the same rows, same statement, one transaction;
- the naive peer: one aiosqlite ``execute`` + ``commit`` per line.

Every run writes into a fresh migrated file with the bot's pragmas, so indexes and foreign keys cost
the same for all three. Best of three for the fast ones (noise only ever adds time).
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from bench.common import Figure
from bench.data import add_meeting, add_recording, chat_lines, connect, migrated
from cogs.capture._writer import CaptureWriter
from storage.capture import _INSERT_LINE, CaptureStore, NewLine  # the statement the bot runs
from storage.database import Database

RUNS = 3


async def _prepared(path: Path) -> tuple[int, int]:
    """A fresh migrated file holding one meeting with an open recording."""
    await migrated(path)
    conn = connect(path)
    try:
        start = datetime.now(UTC) - timedelta(hours=1)
        meeting_id = add_meeting(conn, number=19, starts_at=start)
        recording_id = add_recording(conn, meeting_id, start, None)
    finally:
        conn.close()
    return meeting_id, recording_id


async def _bot(path: Path, lines: list[NewLine]) -> float:
    db = await Database.open(path)
    try:
        writer = CaptureWriter(CaptureStore(db))
        started = time.perf_counter()
        for line in lines:
            writer.submit(line)
        await writer.flush()
        elapsed = time.perf_counter() - started
        assert writer.written == len(lines) and writer.dropped == 0
        stored = await db.fetchval("SELECT COUNT(*) FROM messages")
    finally:
        await db.close()
    assert stored == len(lines), (stored, len(lines))
    return elapsed


def _limit(path: Path, lines: list[NewLine]) -> float:
    conn = connect(path)
    try:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(_INSERT_LINE, lines)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        assert conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == len(lines)
    finally:
        conn.close()
    return elapsed


async def _naive(path: Path, lines: list[NewLine]) -> float:
    conn = await aiosqlite.connect(path)
    try:
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        started = time.perf_counter()
        for line in lines:
            await conn.execute(_INSERT_LINE, line)
            await conn.commit()
        elapsed = time.perf_counter() - started
    finally:
        await conn.close()
    return elapsed


async def run(quick: bool = False) -> list[Figure]:
    count = 20_000 if quick else 100_000
    naive_count = 2_000 if quick else 5_000  # one commit each: a rate needs no more
    bot_times, limit_times = [], []
    lines_for: dict[tuple[int, int], list[NewLine]] = {}  # every fresh file numbers its meeting 1
    with tempfile.TemporaryDirectory() as tmp:
        for run_no in range(RUNS):
            for kind in ("bot", "limit"):
                path = Path(tmp) / f"{kind}{run_no}.sqlite3"
                ids = await _prepared(path)
                if ids not in lines_for:
                    lines_for[ids] = chat_lines(count, meeting_id=ids[0], recording_id=ids[1], start=datetime.now(UTC))
                lines = lines_for[ids]
                if kind == "bot":
                    bot_times.append(await _bot(path, lines))
                else:
                    limit_times.append(_limit(path, lines))
        path = Path(tmp) / "naive.sqlite3"
        meeting_id, recording_id = await _prepared(path)
        lines = chat_lines(naive_count, meeting_id=meeting_id, recording_id=recording_id, start=datetime.now(UTC))
        naive_time = await _naive(path, lines)
    bot_rate = count / min(bot_times)
    limit_rate = count / min(limit_times)
    naive_rate = naive_count / naive_time
    return [
        Figure(
            f"1. capture storage path, {count:,} lines (writer, batched, WAL)",
            bot_rate,
            "msg/s",
            "sqlite3 executemany, 1 tx (limit)",
            limit_rate,
            ">= 0.5x limit",
            bot_rate >= 0.5 * limit_rate,
        ),
        Figure(
            "1. capture storage path vs naive peer",
            bot_rate,
            "msg/s",
            "aiosqlite, 1 commit/msg",
            naive_rate,
            ">= 100,000 msg/s",
            bot_rate >= 100_000,
        ),
    ]
