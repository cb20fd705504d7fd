"""Helpers for the contributions tests (no tests here).

Meetings are created through the real repository (the /meeting commands live on another branch);
agenda items with plain INSERTs, as the agenda feature would store them.
"""

from __future__ import annotations

import re
from datetime import timedelta

import discord

from storage import agenda as agenda_storage
from storage.database import Database
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import to_db, utcnow

PDF = b"%PDF-1.7\n" + b"A contribution on age assurance.\n" * 40


async def make_meeting(
    db: Database,
    guild_id: int,
    number: int = 19,
    *,
    starts_in: timedelta = timedelta(days=30),
    hours: float = 7.5,
    timezone: str = "Europe/Zurich",
) -> Meeting:
    start = (utcnow() + starts_in).replace(microsecond=0)
    return await MeetingsRepo(db).create(
        guild_id=guild_id,
        number=number,
        title=f"{number}th meeting of CWG-COP",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        timezone=timezone,
        created_by=1,
    )


async def add_agenda(
    db: Database, meeting_id: int, items: list[tuple[str, list[str]]], *, published: bool = True
) -> dict[str, int]:
    """[("Opening", []), ..., ("Contributions", ["Age assurance", "Education"])] → {"1": id, "5.1": id}.

    ``published``: also recorded as the agenda's published revision (what non-organisers read).
    """
    ids: dict[str, int] = {}
    now = to_db(utcnow())
    async with db.transaction() as tx:
        for i, (title, children) in enumerate(items, start=1):
            parent = await tx.execute(
                "INSERT INTO agenda_items (meeting_id, parent_id, position, title, created_at) "
                "VALUES (?, NULL, ?, ?, ?)",
                (meeting_id, i, title, now),
            )
            ids[str(i)] = parent
            for j, child in enumerate(children, start=1):
                ids[f"{i}.{j}"] = await tx.execute(
                    "INSERT INTO agenda_items (meeting_id, parent_id, position, title, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (meeting_id, parent, j, child, now),
                )
    if published:
        revision = await db.fetchval(
            "SELECT COALESCE(MAX(revision) + 1, 0) FROM agenda_revisions WHERE meeting_id = ?", (meeting_id,)
        )
        await db.execute(
            "INSERT INTO agenda_revisions (meeting_id, revision, note, body, items, posted_by, posted_at) "
            "VALUES (?, ?, NULL, '', ?, 1, ?)",
            (meeting_id, revision, agenda_storage.snapshot(await MeetingsRepo(db).agenda(meeting_id)), now),
        )
    return ids


STANDARD_AGENDA = [
    ("Opening of the meeting", []),
    ("Adoption of the agenda", []),
    ("Updates from the secretariat", []),
    ("Consideration of contributions", ["Age assurance", "Education and awareness"]),
    ("Any other business", []),
]


async def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Everything the contributions feature stores, for "nothing changed" assertions."""
    out = {}
    for table in ("contributions", "contribution_events", "contribution_revisions"):
        rows = await db.fetchall(f"SELECT * FROM {table} ORDER BY id")
        out[table] = [tuple(r) for r in rows]
    return out


def answer(result) -> str:
    """What the user read: the response, or the last follow-up after a deferral."""
    messages = [m for m in [result.response, *result.followups] if m is not None]
    assert messages, f"the bot did not answer: {result!r}"
    return "\n".join(m.content for m in messages)


def ephemeral_answer(result) -> str:
    messages = [m for m in [result.response, *result.followups] if m is not None]
    assert messages and all(m.ephemeral for m in messages), "expected only ephemeral answers"
    return answer(result)


async def post_agenda_with_button(world, meeting_id: int) -> discord.Message:
    """What the agenda feature posts: a message carrying the persistent "Register a contribution" button."""
    from cogs.core.custom_ids import REGISTER

    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Register a contribution", custom_id=REGISTER.format(meeting_id=meeting_id)))
    view.stop()  # not stored by this process: only the contributions feature's DynamicItem answers the click
    channel = world.bot.get_channel(world.agenda.id)
    sent = await channel.send("Agenda of the 19th meeting", view=view)
    await world.env.settle()
    return sent


_ANNOUNCED = re.compile(r"^\*\*(\S+)\*\* · ", re.MULTILINE)


def announced_numbers(channel) -> list[str]:
    """Every document number the bot's announcements in ``channel`` carry (one card, or a batch list)."""
    numbers = []
    for message in channel.history():
        for embed in message.embeds:
            if embed.description and _ANNOUNCED.search(embed.description):
                numbers.extend(_ANNOUNCED.findall(embed.description))
            elif embed.title and " · " in embed.title:
                numbers.append(embed.title.split(" · ")[0])
    return numbers
