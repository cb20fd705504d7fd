"""Cached reads (storage.database ``fetchall_cached``) and cached guild settings: never stale."""

from __future__ import annotations

import asyncio

from storage.guild_settings import GuildSettingsRepo

COUNT = "SELECT COUNT(*) FROM meta"


async def count(db) -> int:
    return (await db.fetchone_cached(COUNT))[0]


async def test_a_cached_read_sees_every_write(db):
    before = await count(db)
    assert await count(db) == before  # from memory
    await db.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
    assert await count(db) == before + 1
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
    assert await count(db) == before + 2


async def test_a_read_during_a_write_is_not_kept(db):
    before = await count(db)
    written = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('c', '3')")
            written.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await written.wait()
    assert await count(db) == before  # the reader sees what is committed ...
    release.set()
    await task
    assert await count(db) == before + 1  # ... and did not keep it past the commit


async def test_identical_reads_at_once_run_one_query(db):
    statements: list[str] = []
    await db.set_trace_callback(statements.append)
    try:
        results = await asyncio.gather(*(count(db) for _ in range(20)))
    finally:
        await db.set_trace_callback(None)
    assert len(set(results)) == 1
    assert statements.count(COUNT) == 1


async def test_guild_settings_are_cached_and_follow_updates(db):
    repo = GuildSettingsRepo(db)
    assert (await repo.get(1)).group_code == "CWG-COP"
    await GuildSettingsRepo(db).update(1, group_code="CWG-X")  # another repo on the same database
    assert (await repo.get(1)).group_code == "CWG-X"
    statements: list[str] = []
    await db.set_trace_callback(statements.append)
    try:
        assert (await repo.get(1)).group_code == "CWG-X"
    finally:
        await db.set_trace_callback(None)
    assert not [s for s in statements if "guild_settings" in s]  # answered from memory
