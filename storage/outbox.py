"""The outbox of public posts: what the bot has promised to post in a channel, until it is posted.

An entry is added in the same transaction as the change it announces (:func:`add`), so a restart
never loses one. The publisher (``cogs/contributions/_publisher.py``) drains a channel's entries in
order: it assigns a few entries to a batch (:meth:`OutboxRepo.assign`, state ``posting``) *before* it
writes to Discord, and records the message that carries them (:meth:`OutboxRepo.posted`, state
``sent``) after. An entry found in ``posting`` at start-up may or may not have reached Discord; the
publisher then looks for its batch's marker in the channel before posting it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.contributions import SELECT_CONTRIBUTION, Contribution, contribution_from_row
from storage.database import Database, Transaction
from storage.timeutil import to_db, utcnow

ANNOUNCEMENT = "announcement"


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    guild_id: int
    channel_id: int
    kind: str
    state: str
    batch: int | None
    message_id: int | None
    contribution: Contribution


async def add(
    tx: Transaction, *, guild_id: int, channel_id: int, contribution_id: int, revision: int, now: datetime
) -> int:
    """Promise an announcement, inside the transaction that stores what it announces."""
    return await tx.execute(
        "INSERT INTO outbox (guild_id, channel_id, kind, contribution_id, revision, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, channel_id, ANNOUNCEMENT, contribution_id, revision, to_db(now)),
    )


_SELECT_ENTRY = (
    "SELECT o.id AS outbox_id, o.guild_id AS outbox_guild_id, o.channel_id AS outbox_channel_id, "
    "o.kind AS outbox_kind, o.state AS outbox_state, o.batch AS outbox_batch, o.message_id AS outbox_message_id, "
    + SELECT_CONTRIBUTION[len("SELECT ") :].replace(
        "FROM contributions c", "FROM outbox o JOIN contributions c ON c.id = o.contribution_id", 1
    )
)


def _entry(row) -> Entry:
    return Entry(
        id=row["outbox_id"],
        guild_id=row["outbox_guild_id"],
        channel_id=row["outbox_channel_id"],
        kind=row["outbox_kind"],
        state=row["outbox_state"],
        batch=row["outbox_batch"],
        message_id=row["outbox_message_id"],
        contribution=contribution_from_row(row),
    )


class OutboxRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def channels_with_work(self) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT channel_id FROM outbox WHERE state IN ('pending', 'posting') ORDER BY channel_id"
        )
        return [r["channel_id"] for r in rows]

    async def unsent(self, channel_id: int, *, limit: int = 500) -> list[Entry]:
        """The channel's entries not yet known to be posted, oldest first."""
        rows = await self.db.fetchall(
            _SELECT_ENTRY + "WHERE o.channel_id = ? AND o.state IN ('pending', 'posting') ORDER BY o.id LIMIT ?",
            (channel_id, limit),
        )
        return [_entry(r) for r in rows]

    async def of_message(self, message_id: int) -> list[Entry]:
        rows = await self.db.fetchall(_SELECT_ENTRY + "WHERE o.message_id = ? ORDER BY o.id", (message_id,))
        return [_entry(r) for r in rows]

    async def assign(self, entry_ids: Sequence[int], batch: int) -> None:
        """Before the Discord write: these entries go out together, in the message marked ``batch``."""
        async with self.db.transaction() as tx:
            await tx.executemany(
                "UPDATE outbox SET state = 'posting', batch = ? WHERE id = ? AND state = 'pending'",
                [(batch, i) for i in entry_ids],
            )

    async def posted(self, batch: int, message_id: int) -> None:
        """After the Discord write: the batch is carried by ``message_id``; the documents know where."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE batch = ? AND state = 'posting'",
                (message_id, to_db(utcnow()), batch),
            )
            await tx.execute(
                "UPDATE contributions SET announcement_channel_id = "
                "(SELECT o.channel_id FROM outbox o WHERE o.batch = ? AND o.contribution_id = contributions.id "
                "AND o.revision = contributions.revision), announcement_message_id = ? "
                "WHERE id IN (SELECT contribution_id FROM outbox WHERE batch = ?) AND revision IN "
                "(SELECT o.revision FROM outbox o WHERE o.batch = ? AND o.contribution_id = contributions.id)",
                (batch, message_id, batch, batch),
            )

    async def failed(self, batch: int) -> None:
        await self.db.execute("UPDATE outbox SET state = 'failed' WHERE batch = ? AND state = 'posting'", (batch,))

    async def release(self, batch: int) -> None:
        """The write did not happen (an error Discord answered): the entries wait for the next message."""
        await self.db.execute(
            "UPDATE outbox SET state = 'pending', batch = NULL WHERE batch = ? AND state = 'posting'", (batch,)
        )
