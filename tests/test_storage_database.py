"""The database layer on real SQLite files: migrations, pragmas, transactions, backup."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.database import Database, Migration, StorageError, load_migrations
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.meetings import MeetingNumberTaken, MeetingsRepo
from storage.timeutil import from_db, to_db


async def test_open_applies_every_migration_and_sets_pragmas(db_path):
    db = await Database.open(db_path)
    try:
        latest = max(m.version for m in load_migrations())
        assert await db.fetchval("PRAGMA user_version") == latest
        assert (await db.fetchval("PRAGMA journal_mode")).lower() == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA busy_timeout") == 5000
        assert await db.fetchval("PRAGMA query_only") == 1  # plain reads go to a read-only connection
        async with db.transaction() as tx:  # the writer's own settings
            assert await tx.fetchval("PRAGMA foreign_keys") == 1
            assert await tx.fetchval("PRAGMA secure_delete") == 1
            assert await tx.fetchval("PRAGMA query_only") == 0
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in (
            "guild_settings",
            "meetings",
            "agenda_items",
            "agenda_posts",
            "agenda_revisions",
            "contributions",
            "contribution_revisions",
            "reminders",
            "reminder_subscriptions",
            "reminder_deliveries",
            "recordings",
            "messages",
            "message_versions",
            "minutes_items",
            "youth_members",
        ):
            assert table in tables
    finally:
        await db.close()


async def test_reopening_applies_nothing_twice(db_path):
    db = await Database.open(db_path)
    await db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    await db.close()
    db = await Database.open(db_path)
    try:
        assert await db.fetchval("SELECT value FROM meta WHERE key = 'k'") == "v"
    finally:
        await db.close()


async def test_only_new_migrations_run_in_order(db_path):
    base = load_migrations()
    db = await Database.open(db_path, base)
    await db.close()
    extra = [
        *base,
        Migration(9998, "9998_a.sql", "CREATE TABLE a (x);"),
        Migration(9999, "9999_b.sql", "INSERT INTO a VALUES (1);"),
    ]
    db = await Database.open(db_path, extra)
    try:
        assert await db.fetchval("PRAGMA user_version") == 9999
        assert await db.fetchval("SELECT COUNT(*) FROM a") == 1
    finally:
        await db.close()


async def test_a_failing_migration_changes_nothing(db_path):
    base = load_migrations()
    await (await Database.open(db_path, base)).close()
    bad = [*base, Migration(9999, "9999_bad.sql", "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);")]
    with pytest.raises(StorageError, match=r"migration 9999_bad\.sql failed"):
        await Database.open(db_path, bad)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == max(m.version for m in base)
        assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    finally:
        conn.close()


async def test_a_database_from_a_newer_version_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StorageError, match="newer version of the bot"):
        await Database.open(db_path)


async def test_a_file_that_is_not_a_database_is_refused(db_path):
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        await Database.open(db_path)


async def test_transaction_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            await tx.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
            raise RuntimeError("crash in the middle")
    assert await db.fetchval("SELECT COUNT(*) FROM meta") == 0


async def test_other_tasks_never_write_inside_an_open_transaction(db):
    """One connection has one transaction: another task's statement must wait, not join it."""
    inside = asyncio.Event()
    release = asyncio.Event()

    async def long_transaction() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('rolled', 'back')")
                inside.set()
                await release.wait()
                raise RuntimeError("rollback")

    task = asyncio.create_task(long_transaction())
    await inside.wait()
    writer = asyncio.create_task(db.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')"))
    await asyncio.sleep(0.05)
    assert not writer.done(), "the write waits for the transaction"
    release.set()
    await task
    await writer
    rows = {r["key"] for r in await db.fetchall("SELECT key FROM meta")}
    assert rows == {"kept"}


async def test_reads_inside_a_transaction_do_not_deadlock(db):
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        assert await db.fetchval("SELECT value FROM meta WHERE key = 'x'") == "y"


async def test_reads_from_other_tasks_do_not_wait_for_an_open_transaction(db):
    """WAL readers: a command that only reads is answered while a write transaction is open, and
    sees what was committed before, not the open transaction's rows."""
    await db.execute("INSERT INTO meta (key, value) VALUES ('committed', '1')")
    inside = asyncio.Event()
    release = asyncio.Event()

    async def long_transaction() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('pending', '2')")
            inside.set()
            await release.wait()

    task = asyncio.create_task(long_transaction())
    await inside.wait()
    keys = await asyncio.wait_for(db.fetchall("SELECT key FROM meta ORDER BY key"), timeout=5)
    assert [r["key"] for r in keys] == ["committed"]
    release.set()
    await task
    assert await db.fetchval("SELECT value FROM meta WHERE key = 'pending'") == "2"  # visible once committed


async def test_a_long_stream_holds_no_lock_and_reads_one_snapshot(db):
    """An export streaming a large log never stops the writer, and reads the log as it was when it began."""
    async with db.transaction() as tx:
        await tx.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [(f"k{i:05}", "v") for i in range(5000)])
    seen = 0
    async for _row in db.iterate("SELECT key FROM meta ORDER BY key", size=100):
        if seen == 10:  # the stream is open: writes and other reads go on meanwhile
            await asyncio.wait_for(db.execute("INSERT INTO meta (key, value) VALUES ('zzz-new', 'v')"), timeout=5)
            assert await db.fetchval("SELECT COUNT(*) FROM meta") == 5001
        seen += 1
    assert seen == 5000


async def test_plain_reads_cannot_write(db):
    """The read pool is read-only: a write sent through a read helper by mistake is refused."""
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        await db.fetchall("INSERT INTO meta (key, value) VALUES ('sneaky', 'x') RETURNING key")
    assert await db.fetchval("SELECT COUNT(*) FROM meta") == 0


async def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(
            "INSERT INTO agenda_items (meeting_id, position, title, created_at) VALUES (12345, 1, 't', 'now')"
        )


async def test_online_backup_is_consistent(db, tmp_path):
    await db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    await db.backup(tmp_path / "b" / "copy.sqlite3")
    conn = sqlite3.connect(tmp_path / "b" / "copy.sqlite3")
    try:
        assert conn.execute("SELECT value FROM meta").fetchone() == ("v",)
    finally:
        conn.close()


def test_instants_are_stored_in_utc_and_never_naive():
    geneva_winter = datetime(2027, 1, 26, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    text = to_db(geneva_winter)
    assert text == "2027-01-26T09:00:00.000000+00:00"
    assert from_db(text) == geneva_winter
    assert from_db(text).tzinfo == UTC
    with pytest.raises(ValueError, match="naive"):
        to_db(datetime(2027, 1, 26, 10, 0))
    assert to_db(datetime(2027, 1, 1, tzinfo=UTC)) < to_db(datetime(2027, 1, 1, 0, 0, 0, 1, tzinfo=UTC))


async def test_guild_settings_have_defaults_and_round_trip(db):
    repo = GuildSettingsRepo(db)
    assert await repo.get(1) == GuildSettings(guild_id=1)
    saved = await repo.update(1, timezone="Asia/Manila", chair_role_id=42)
    assert saved.timezone == "Asia/Manila" and saved.chair_role_id == 42
    again = await repo.update(1, retention_days=30)
    assert again.timezone == "Asia/Manila" and again.retention_days == 30
    assert await repo.get(1) == again
    assert (await repo.get(2)).timezone == "Europe/Zurich"
    with pytest.raises(KeyError):
        await repo.update(1, nonsense=1)


async def test_meetings_are_unique_per_guild_and_sequence_bumps(db):
    repo = MeetingsRepo(db)
    start = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
    m = await repo.create(
        guild_id=1,
        number=19,
        title="19th meeting of the CWG-COP",
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        timezone="Europe/Zurich",
        created_by=7,
    )
    assert m.sequence == 0 and m.starts_at == start
    with pytest.raises(MeetingNumberTaken):
        await repo.create(
            guild_id=1,
            number=19,
            title="again",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            timezone="Europe/Zurich",
            created_by=7,
        )
    other_guild = await repo.create(
        guild_id=2,
        number=19,
        title="elsewhere",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        timezone="Europe/Zurich",
        created_by=7,
    )
    assert other_guild.id != m.id
    moved = await repo.update(m.id, starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=7))
    assert moved.sequence == 1 and moved.starts_at == start + timedelta(days=1)
    tracked = await repo.update(m.id, event_id=555)
    assert tracked.sequence == 1, "bookkeeping does not change what a calendar shows"
    assert (await repo.by_number(1, 19)).event_id == 555


async def test_a_task_cancelled_while_beginning_a_transaction_leaves_none_open(db):
    """Found by the capture writer: a cancelled BEGIN used to leave a transaction open for good."""
    for delay in (0, 0.0005, 0.001, 0.002, 0.005):
        task = asyncio.create_task(_one_transaction(db))
        await asyncio.sleep(delay)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        async with db.transaction() as tx:  # would raise "cannot start a transaction within a transaction"
            await tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('after', 'ok')")
    assert await db.fetchval("SELECT value FROM meta WHERE key = 'after'") == "ok"


async def _one_transaction(db):
    async with db.transaction() as tx:
        await tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('during', 'x')")
