"""Data sets the benchmarks share: a meeting chat that looks like a CWG-COP one, at any size."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.capture import NewLine
from storage.database import Database
from storage.timeutil import to_db

GUILD = 900000000000000001
CHANNEL = 910000000000000001
AUTHORS = 150
CHAIR = 1000  # author ids are 1000 (the chair), 1001 (the secretary), 1002... (delegates)

PHRASES = (
    "We support the proposal in document {doc} and would like to add a reference to youth participation.",
    "Thank you, Chair. Our delegation agrees with the previous speaker on item {item}.",
    "Could the secretariat clarify the deadline for comments on the draft guidelines?",
    "We suggest aligning the text with the 2020 COP Guidelines for industry, section {item}.",
    "Apologies, my connection dropped. Could you repeat the last point?",
    "+1 to that",
    "The link to our contribution: https://www.itu.int/md/S{doc}-CWGCOP-C-0003/en",
    "We would like the youth consultation results to be presented before the coffee break.",
    "Agree. Perhaps a short drafting group could meet at lunch time to settle the wording of {item}.",
    "Noted, thank you.",
)
MARKERS = (
    "#topic Item {item}: consideration of contributions",
    "#action <@{who}> to circulate the revised draft of document {doc} before Friday",
    "#agreed The group endorses the text of section {item} as amended",
    "#info The youth consultation closes on 30 June",
)


def at(start: datetime, i: int) -> datetime:
    """The i-th line's instant: one line every 0.6 s on average (a busy 150-person meeting)."""
    return start + timedelta(milliseconds=600 * i)


def author_name(author: int) -> str:
    if author == CHAIR:
        return "Madam Chair"
    if author == CHAIR + 1:
        return "Secretariat"
    return f"Delegate of Country {author - CHAIR - 1}"


def text(rng: random.Random, i: int) -> tuple[str, bool]:
    """(content, is a minutes marker). Some lines mention another speaker, as ``<@id>``."""
    who = CHAIR + 2 + rng.randrange(AUTHORS - 2)
    if i % 97 == 0:
        return rng.choice(MARKERS).format(item=rng.randrange(1, 10), doc=rng.randrange(2, 30), who=who), True
    if i % 53 == 7:
        return f"I agree with <@{who}> on this point.", False
    item = f"{rng.randrange(1, 10)}.{rng.randrange(1, 4)}"
    return rng.choice(PHRASES).format(item=item, doc=rng.randrange(2, 30)), False


def chat_lines(
    count: int,
    *,
    meeting_id: int,
    recording_id: int | None,
    start: datetime,
    first_id: int = 10**17,
    seed: int = 1,
    threads: bool = False,
) -> list[NewLine]:
    """``count`` captured lines from 150 authors: replies, a few attachments, markers by the chair and,
    with ``threads``, a thread every 500 lines whose ten replies follow their starter."""
    rng = random.Random(seed)
    lines: list[NewLine] = []
    thread_of: int | None = None
    thread_left = 0
    for i in range(count):
        message_id = first_id + i
        content, marker = text(rng, i)
        author = CHAIR if marker else CHAIR + rng.randrange(AUTHORS)
        reply_to = first_id + rng.randrange(i) if i > 10 and i % 7 == 0 else None
        files = None
        if i % 211 == 0:
            name = f"CWG-COP-19-{rng.randrange(2, 30)}.pdf"
            files = json.dumps([{"name": name, "size": 120_000 + i, "url": f"https://cdn.example/{i}/{name}"}])
        thread_id = None
        if threads:
            if thread_left:
                thread_id, thread_left = thread_of, thread_left - 1
            elif i % 500 == 250:
                thread_of, thread_left = message_id, 10  # this line starts a thread: the next ten go in it
        lines.append(
            NewLine(
                message_id=message_id,
                meeting_id=meeting_id,
                recording_id=recording_id,
                channel_id=CHANNEL,
                thread_id=thread_id,
                author_id=author,
                author_name=author_name(author),
                content=content,
                created_at=to_db(at(start, i)),
                reply_to=reply_to,
                attachments=files,
                is_notice=0,
                by_organiser=int(author in (CHAIR, CHAIR + 1)),
            )
        )
    return lines


async def migrated(path: Path) -> None:
    """A database file with every migration applied (the bot's own code does it)."""
    await (await Database.open(path)).close()


def add_meeting(
    conn: sqlite3.Connection, *, number: int, starts_at: datetime, hours: float = 7.0, guild_id: int = GUILD
) -> int:
    now = to_db(datetime.now(UTC))
    cur = conn.execute(
        "INSERT INTO meetings (guild_id, number, title, starts_at, ends_at, timezone, created_by, channel_id, "
        "chair_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Europe/Zurich', 1, ?, 'Ms Chair', ?, ?)",
        (
            guild_id,
            number,
            f"{number}th meeting of CWG-COP",
            to_db(starts_at),
            to_db(starts_at + timedelta(hours=hours)),
            CHANNEL,
            now,
            now,
        ),
    )
    return int(cur.lastrowid)


def add_recording(conn: sqlite3.Connection, meeting_id: int, started_at: datetime, ended_at: datetime | None) -> int:
    cur = conn.execute(
        "INSERT INTO recordings (meeting_id, channel_id, started_at, ended_at) VALUES (?, ?, ?, ?)",
        (meeting_id, CHANNEL, to_db(started_at), to_db(ended_at) if ended_at else None),
    )
    return int(cur.lastrowid)


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the bot's pragmas (WAL, synchronous NORMAL, foreign keys)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn
