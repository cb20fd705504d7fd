"""Languages (issue 13): a member's own choice, and what an interaction needs to pick its language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from storage.database import Database, Transaction
from storage.timeutil import to_db


class LanguagesRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def member_choice(self, guild_id: int, user_id: int) -> str | None:
        return await self.db.fetchval(
            "SELECT language FROM member_languages WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def member_choices(self, guild_id: int, user_ids: Sequence[int]) -> dict[int, str]:
        """The own choices of many members of one server, in one read (a burst of reminders)."""
        if not user_ids:
            return {}
        rows = await self.db.fetchall(
            "SELECT user_id, language FROM member_languages WHERE guild_id = ? "
            "AND user_id IN (SELECT value FROM json_each(?))",
            (guild_id, json.dumps(list(user_ids))),
        )
        return {row["user_id"]: row["language"] for row in rows}

    async def for_interaction(self, guild_id: int | None, user_id: int) -> tuple[str | None, str]:
        """(the member's own choice or None, the server's languages as stored) in one read."""
        if guild_id is None:
            return None, "en"
        row = await self.db.fetchone_cached(
            "SELECT (SELECT language FROM member_languages WHERE guild_id = ? AND user_id = ?) AS choice, "
            "(SELECT languages FROM guild_settings WHERE guild_id = ?) AS languages",
            (guild_id, user_id, guild_id),
        )
        if row is None:
            return None, "en"
        return row["choice"], row["languages"] or "en"

    async def set_choice(self, guild_id: int, user_id: int, language: str, *, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO member_languages (guild_id, user_id, language, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at",
            (guild_id, user_id, language, to_db(now)),
        )

    async def clear_choice(self, guild_id: int, user_id: int) -> bool:
        done = await self.db.execute(
            "DELETE FROM member_languages WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return bool(done)


async def forget_member(tx: Transaction, guild_id: int, user_id: int) -> None:
    """Part of /log forget's transaction: the member's language choice goes."""
    await tx.execute("DELETE FROM member_languages WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
