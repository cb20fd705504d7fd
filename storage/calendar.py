"""The calendar subscription feed (cogs/calendar): each server's feed secret and what the feed shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.guild_settings import GuildSettings
from storage.meetings import Meeting, _meeting
from storage.timeutil import opt_from_db, to_db

_DEFAULT_GROUP_CODE = GuildSettings(guild_id=0).group_code  # a server that never ran /setup options


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    guild_id: int
    secret: str
    secret_hash: str
    created_at: datetime
    rotated_at: datetime | None
    etag: str | None
    changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class FeedMeeting:
    """A meeting as the feed shows it, with where its agenda was posted (if it was)."""

    meeting: Meeting
    agenda_channel_id: int | None
    agenda_message_id: int | None


def _feed(row) -> CalendarFeed:
    return CalendarFeed(
        guild_id=row["guild_id"],
        secret=row["secret"],
        secret_hash=row["secret_hash"],
        created_at=opt_from_db(row["created_at"]),
        rotated_at=opt_from_db(row["rotated_at"]),
        etag=row["etag"],
        changed_at=opt_from_db(row["changed_at"]),
    )


class CalendarRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> CalendarFeed | None:
        row = await self.db.fetchone("SELECT * FROM calendar_feeds WHERE guild_id = ?", (guild_id,))
        return None if row is None else _feed(row)

    async def ensure(self, guild_id: int, secret: str, secret_hash: str, now: datetime) -> CalendarFeed:
        """The server's feed; created with ``secret`` if it has none yet (a second caller keeps the first)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO calendar_feeds (guild_id, secret, secret_hash, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id) DO NOTHING",
                (guild_id, secret, secret_hash, to_db(now)),
            )
            return _feed(await tx.fetchone("SELECT * FROM calendar_feeds WHERE guild_id = ?", (guild_id,)))

    async def rotate(self, guild_id: int, secret: str, secret_hash: str, now: datetime) -> CalendarFeed:
        """A new secret: the old address stops working with this commit."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO calendar_feeds (guild_id, secret, secret_hash, created_at, rotated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET secret = excluded.secret, "
                "secret_hash = excluded.secret_hash, rotated_at = excluded.rotated_at",
                (guild_id, secret, secret_hash, to_db(now), to_db(now)),
            )
            return _feed(await tx.fetchone("SELECT * FROM calendar_feeds WHERE guild_id = ?", (guild_id,)))

    async def by_secret_hash(self, secret_hash: str) -> tuple[CalendarFeed, str] | None:
        """The feed with this secret's hash and its server's group code (one statement: every request asks)."""
        row = await self.db.fetchone(
            "SELECT f.*, COALESCE(g.group_code, ?) AS group_code FROM calendar_feeds f "
            "LEFT JOIN guild_settings g ON g.guild_id = f.guild_id WHERE f.secret_hash = ?",
            (_DEFAULT_GROUP_CODE, secret_hash),
        )
        return None if row is None else (_feed(row), row["group_code"])

    async def note_served(self, guild_id: int, etag: str, changed_at: datetime) -> CalendarFeed:
        """Record a new ETag and when the content changed, unless that ETag is already recorded."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE calendar_feeds SET etag = ?, changed_at = ? WHERE guild_id = ? AND etag IS NOT ?",
                (etag, to_db(changed_at), guild_id, etag),
            )
            return _feed(await tx.fetchone("SELECT * FROM calendar_feeds WHERE guild_id = ?", (guild_id,)))

    async def meetings(self, guild_id: int, ended_after: datetime) -> list[FeedMeeting]:
        """The server's meetings (cancelled ones too) ending after ``ended_after``, in start order."""
        rows = await self.db.fetchall(
            "SELECT m.*, p.channel_id AS agenda_channel_id, p.message_ids AS agenda_message_ids "
            "FROM meetings m LEFT JOIN agenda_posts p ON p.meeting_id = m.id "
            "WHERE m.guild_id = ? AND m.ends_at > ? ORDER BY m.starts_at, m.id",
            (guild_id, to_db(ended_after)),
        )
        out = []
        for row in rows:
            message_ids = json.loads(row["agenda_message_ids"]) if row["agenda_message_ids"] else []
            out.append(
                FeedMeeting(
                    meeting=_meeting(row),
                    agenda_channel_id=row["agenda_channel_id"],
                    agenda_message_id=int(message_ids[0]) if message_ids else None,
                )
            )
        return out
