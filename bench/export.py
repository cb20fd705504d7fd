"""Figure 5: exports. The transcript (md, html, json, txt) and the minutes (md and html) of a
10,000-message meeting and of a 100,000-message one, written by the code the bot's ``/log export``
and ``/minutes export`` run (``cogs.capture._export``), into the same spooled temporary file.

- time: best of three, in this process. Baseline: a plain SELECT streaming the same rows through the
  bot's database connection (what reading the log costs before anything is written);
- memory: each export runs alone in a fresh process (``python -m bench.export probe ...``), which
  reports how much its resident memory grew during the export (peak RSS minus RSS just before):
  Python objects and SQLite's own buffers alike. Memory is flat if the 100,000-message export needs
  about what the 10,000-message one needs.

The log looks like a busy meeting: 150 speakers, replies, attachments, a thread every 500 lines,
2% of lines edited (with their versions), 1% deleted, and the chair's minutes markers.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Figure
from bench.data import CHANNEL, add_meeting, add_recording, chat_lines, connect, migrated
from cogs.capture._export import minutes_for, render_minutes, write_transcript
from cogs.capture._names import names_for_meeting
from cogs.capture._records import SPOOL_BYTES
from cogs.capture._render import TRANSCRIPT_FORMATS
from storage.capture import _INSERT_LINE, CaptureStore
from storage.contributions import ContributionsRepo
from storage.database import Database
from storage.meetings import MeetingsRepo
from storage.timeutil import to_db

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = (*(f"transcript {f}" for f in TRANSCRIPT_FORMATS), "minutes md+html")
AGENDA = [
    "Opening of the meeting",
    "Adoption of the agenda",
    "Approval of the report of the previous meeting",
    "Updates from the secretariat",
    "Consideration of contributions",
    "Results of the youth online consultation",
    "Dates of the next meeting",
    "Any other business",
    "Closing",
]


def _add_log(conn: sqlite3.Connection, meeting_id: int, count: int, first_id: int, start: datetime) -> None:
    recording = add_recording(conn, meeting_id, start, start + timedelta(seconds=count))
    lines = chat_lines(
        count, meeting_id=meeting_id, recording_id=recording, start=start, first_id=first_id, threads=True
    )
    rng = random.Random(meeting_id)
    edited, versions, deleted = [], [], []
    for i, line in enumerate(lines):
        if i % 50 == 3:
            at = to_db(datetime.fromisoformat(line.created_at) + timedelta(seconds=40))
            new = line.content + " (corrected)"
            versions += [(line.message_id, 0, line.content, line.created_at), (line.message_id, 1, new, at)]
            edited.append(line._replace(content=new))
        elif i % 101 == 5:
            deleted.append(line.message_id)
    by_id = {e.message_id: e for e in edited}
    conn.executemany(_INSERT_LINE, [by_id.get(line.message_id, line) for line in lines])
    conn.executemany("INSERT INTO message_versions (message_id, version, content, at) VALUES (?, ?, ?, ?)", versions)
    conn.executemany(
        "UPDATE messages SET edited_at = ? WHERE message_id = ?",
        [(v[3], v[0]) for v in versions if v[1] == 1],
    )
    conn.executemany(
        "UPDATE messages SET content = '', attachments = NULL, deleted_at = created_at WHERE message_id = ?",
        [(m,) for m in deleted],
    )
    threads = sorted({line.thread_id for line in lines if line.thread_id})
    conn.executemany(
        "INSERT INTO recorded_threads (thread_id, meeting_id, channel_id, name) VALUES (?, ?, ?, ?)",
        [(t, meeting_id, CHANNEL, f"Drafting group {rng.randrange(1, 10)}") for t in threads],
    )


async def build(path: Path, sizes: tuple[int, ...]) -> dict[int, int]:
    """One archive holding a meeting of each size (with agenda and documents); size → meeting id."""
    await migrated(path)
    conn = connect(path)
    now = datetime.now(UTC)
    ids: dict[int, int] = {}
    try:
        conn.execute("BEGIN")
        first_id = 10**17
        for number, size in enumerate(sizes, start=18):
            start = now - timedelta(days=30 * (len(sizes) - number + 18))
            meeting_id = add_meeting(conn, number=number, starts_at=start, hours=30)
            ids[size] = meeting_id
            stamp = to_db(now)
            items = []
            for position, title in enumerate(AGENDA, start=1):
                cur = conn.execute(
                    "INSERT INTO agenda_items (meeting_id, parent_id, position, title, created_at) "
                    "VALUES (?, NULL, ?, ?, ?)",
                    (meeting_id, position, title, stamp),
                )
                items.append(cur.lastrowid)
            for seq in range(2, 22):
                conn.execute(
                    "INSERT INTO contributions (meeting_id, kind, seq, title, source, agenda_item_id, submitter_id, "
                    "received_at, updated_at) VALUES (?, 'contribution', ?, ?, ?, ?, 1, ?, ?)",
                    (meeting_id, seq, f"Contribution from Country {seq}", f"Country {seq}", items[4], stamp, stamp),
                )
            _add_log(conn, meeting_id, size, first_id, start)
            first_id += size + 1000
        conn.execute("COMMIT")
    finally:
        conn.close()
    return ids


class _NoDiscord:
    """The client ``names_for_meeting`` reads the guild cache from: here, no guild is cached."""

    def get_guild(self, guild_id: int) -> None:
        return None


async def export_once(db: Database, meeting_id: int, what: str) -> int:
    """One export, as the bot writes it; returns the bytes written."""
    store, meetings = CaptureStore(db), MeetingsRepo(db)
    meeting = await meetings.get(meeting_id)
    assert meeting is not None
    transcript = what.startswith("transcript")
    # As /log export and /minutes export build them; everyone mentioned spoke, so Discord is not asked.
    names = await names_for_meeting(_NoDiscord(), store, meeting, everywhere=transcript)
    if transcript:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
            rows = await write_transcript(
                store, meeting, group_code="CWG-COP", fmt=what.split()[1], names=names, out=out
            )
            assert rows > 0
            return out.tell()
    minutes = await minutes_for(store, meetings, ContributionsRepo(db), meeting, group_code="CWG-COP", names=names)
    return sum(len(render_minutes(minutes, fmt).encode()) for fmt in ("md", "html"))


async def select_once(db: Database, meeting_id: int) -> int:
    count = 0
    async for _row in db.iterate(
        "SELECT * FROM messages WHERE meeting_id = ? ORDER BY created_at, message_id", (meeting_id,)
    ):
        count += 1
    return count


async def timed(db: Database, func, *args) -> float:
    started = time.perf_counter()
    await func(db, *args)
    return time.perf_counter() - started


async def measure_times(path: Path, ids: dict[int, int]) -> dict[tuple[int, str], float]:
    db = await Database.open(path)
    try:
        out: dict[tuple[int, str], float] = {}
        for size, meeting_id in ids.items():
            runs = 3 if size <= 20_000 else 2
            out[(size, "select")] = min([await timed(db, select_once, meeting_id) for _ in range(runs)])
            for what in EXPORTS:
                out[(size, what)] = min([await timed(db, export_once, meeting_id, what) for _ in range(runs)])
        return out
    finally:
        await db.close()


def _status_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak of this process image: unlike getrusage's maxrss, not
    inherited from the parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


async def _probe(path: Path, meeting_id: int, what: str) -> dict[str, float]:
    db = await Database.open(path)
    try:
        before = _status_mb("VmRSS")
        if what == "select":
            await select_once(db, meeting_id)
        else:
            await export_once(db, meeting_id, what)
        peak = _status_mb("VmHWM")
    finally:
        await db.close()
    return {"growth_mb": max(peak - before, 0.0), "before_mb": before}


def probe_in_subprocess(path: Path, meeting_id: int, what: str) -> float:
    """Resident memory the export needs (MB), measured alone in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", "probe", str(path), str(meeting_id), what],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["growth_mb"])


async def run(quick: bool = False) -> list[Figure]:
    small, large = (10_000, 30_000) if quick else (10_000, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.sqlite3"
        ids = await build(path, (small, large))
        times = await measure_times(path, ids)
        memory = {
            (size, what): await asyncio.to_thread(probe_in_subprocess, path, ids[size], what)
            for size in (small, large)
            for what in ("select", *EXPORTS)
        }
    figures = []
    for what in EXPORTS:
        figures.append(
            Figure(
                f"5. {what}, {small:,} msgs",
                times[(small, what)],
                "s",
                f"SELECT of the {small:,} rows",
                times[(small, "select")],
                "< 0.5 s",
                times[(small, what)] < 0.5,
            )
        )
    for what in EXPORTS:
        figures.append(
            Figure(
                f"5. {what}, {large:,} msgs",
                times[(large, what)],
                "s",
                f"SELECT of the {large:,} rows",
                times[(large, "select")],
                "-",
                None,
            )
        )
    for what in ("select", *EXPORTS):
        big, little = memory[(large, what)], memory[(small, what)]
        figures.append(
            Figure(
                f"5. memory: {what if what != 'select' else 'plain SELECT'}, {large:,} msgs",
                big,
                "MB",
                f"same at {small:,}",
                little,
                "-" if what == "select" else "<= 2x (flat)",
                None if what == "select" else big <= 2 * max(little, 1.0),
            )
        )
    return figures


def _main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "probe":
        result = asyncio.run(_probe(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
        print(json.dumps(result))
        return
    raise SystemExit("usage: python -m bench.export probe DB MEETING_ID WHAT")


if __name__ == "__main__":
    _main()
