"""The SQLite connections: opening, pragmas, migrations, transactions, reads, backup.

Every statement goes through :class:`Database`. Writes go through the one writer connection,
serialised by a lock: without it, a statement from one coroutine could land inside another
coroutine's open transaction (one connection has one transaction at a time) and be committed or
rolled back with it. A task that already holds the lock (inside ``transaction()``) may call the
read helpers again without deadlocking, and they read through the writer, so they see the
transaction's own uncommitted rows.

Reads from anywhere else go to a small pool of read-only connections: in WAL mode readers never
wait for the writer nor the writer for them, so a burst of commands that only read (lists,
autocompletes) does not queue behind a registration, and a long export does not stop the capture
writer. Each read statement runs in autocommit mode, so it sees every transaction committed before
it started. ``iterate`` streams from a connection of its own, opened for that stream: a long export
holds no pooled reader and no lock.

Hot reads that a burst repeats (the same meeting, agenda and document list for 150 members at once)
can go through ``fetchall_cached``/``fetchone_cached``: a small cache of results, valid while nothing
was written. Every write passes the writer's lock, and a counter moves each time the lock is released
(after the COMMIT, or the autocommit statement): a result is kept only if the counter did not move
while the read ran, and served only while the counter still has that value. A commit becomes known to
the rest of the bot only after that release (events are dispatched after it), so a result read just
before a commit is never served after anyone could know of it. Concurrent identical reads share one
query (single flight); the task holding the writer reads through it, uncached.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """The database cannot be used (newer schema, unreadable file...). The message says why."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.iterdir()):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            migrations.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise StorageError(f"two migrations share a number in {directory}")
    return migrations


CACHED_RESULTS = 256  # results kept by fetchall_cached (least recently used dropped first)

# Read-only connections kept open beside the writer. Two keep a burst of reads flowing on a
# 2-core machine (each has its own thread); more add threads without adding cores.
READERS = 2


class Database:
    """A writer connection (WAL, foreign keys, busy timeout, numbered migrations) and a reader pool."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._trace: Any = None
        self._writes = 0  # moves when the writer's lock is taken and when it is released
        self._results: OrderedDict[tuple[str, tuple[Any, ...]], tuple[int, list[sqlite3.Row]]] = OrderedDict()
        self._flights: dict[tuple[str, tuple[Any, ...]], tuple[int, asyncio.Future[list[sqlite3.Row]]]] = {}

    # -- lifecycle -------------------------------------------------------------------------------
    @classmethod
    async def open(cls, path: str | Path, migrations: Sequence[Migration] | None = None) -> Database:
        path = Path(path)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        db = cls(conn, path)
        try:
            await db._configure()
            await db._migrate(load_migrations() if migrations is None else list(migrations))
            for _ in range(READERS):
                reader = await db._open_reader()
                db._readers.append(reader)
                db._idle.put_nowait(reader)
        except BaseException:
            await db.close()
            raise
        return db

    async def _open_reader(self) -> aiosqlite.Connection:
        """A connection that may only read (``query_only``), on the same file, in WAL."""
        reader = await aiosqlite.connect(self.path, isolation_level=None)
        reader.row_factory = sqlite3.Row
        try:
            await reader.execute("PRAGMA query_only=ON")
            await reader.execute("PRAGMA foreign_keys=ON")
            await reader.execute("PRAGMA busy_timeout=5000")
            if self._trace is not None:
                await reader.set_trace_callback(self._trace)
        except BaseException:
            await reader.close()
            raise
        return reader

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for reader in self._readers:
            with contextlib.suppress(Exception):
                await reader.close()
        self._readers.clear()
        async with self._lock:
            await self._conn.close()

    async def set_trace_callback(self, callback: Any) -> None:
        """Trace every statement on every connection (tests count queries with it); None stops."""
        self._trace = callback
        for conn in (self._conn, *self._readers):
            await conn.set_trace_callback(callback)

    async def _configure(self) -> None:
        try:
            mode = await self._scalar("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{self.path} is not a usable SQLite database: {exc}") from None
        if str(mode).lower() != "wal":
            log.warning("SQLite refused WAL mode for %s (got %s)", self.path, mode)
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        # Deleted rows (a purge, a forget) are overwritten in the file, not left in free pages.
        await self._conn.execute("PRAGMA secure_delete=ON")
        # WAL + NORMAL: a crash of the process never loses a committed transaction.
        await self._conn.execute("PRAGMA synchronous=NORMAL")

    async def _migrate(self, migrations: list[Migration]) -> None:
        current = int(await self._scalar("PRAGMA user_version"))
        latest = max((m.version for m in migrations), default=0)
        if current > latest:
            raise StorageError(
                f"the database {self.path} was written by a newer version of the bot "
                f"(schema {current}, this version knows up to {latest}); upgrade the bot or restore a backup."
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            log.info("Applying migration %s", migration.name)
            try:
                # executescript commits first, so the whole migration is one explicit transaction.
                await self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    await self._conn.rollback()
                raise StorageError(f"migration {migration.name} failed: {exc}") from None

    async def _scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        async with self._conn.execute(sql, tuple(params)) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    # -- locking ---------------------------------------------------------------------------------
    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if self._owner is not None and self._owner is task:
            yield
            return
        async with self._lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None
                self._writes += 1  # cached reads made before this release are not served again

    def _holds_writer(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection a read runs on: the writer inside one's own transaction, else a reader."""
        if self._holds_writer() or not self._readers:
            async with self._locked():
                yield self._conn
            return
        reader = await self._idle.get()
        try:
            yield reader
        finally:
            self._idle.put_nowait(reader)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """``async with db.transaction() as tx:`` — one atomic unit (BEGIN IMMEDIATE ... COMMIT).

        Any exception rolls everything back. Transactions do not nest.
        """
        task = asyncio.current_task()
        if self._owner is not None and self._owner is task:
            raise RuntimeError("transactions do not nest")
        async with self._locked():
            # The BEGIN runs in aiosqlite's thread even if this task is cancelled while it waits:
            # shield it, and roll back if the cancellation came in between, or every later
            # transaction would fail with "cannot start a transaction within a transaction".
            begin = asyncio.ensure_future(self._conn.execute("BEGIN IMMEDIATE"))
            try:
                await asyncio.shield(begin)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await begin
                    await self._conn.rollback()
                raise
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.rollback()
                raise
            else:
                await self._conn.commit()

    # -- single statements (each one is its own transaction in autocommit mode) -------------------
    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; return lastrowid (for INSERT) or the rowcount."""
        async with self._locked():
            return await _run(self._conn, sql, params)

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query that returns one row or a few."""
        async with self._reading() as conn:
            return await _first(conn, sql, params)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._reading() as conn:
            return await _all(conn, sql, params)

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # -- cached reads ----------------------------------------------------------------------------
    async def fetchall_cached(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """``fetchall``, answered from memory when the same query ran since the last write."""
        key = (sql, tuple(params))
        if self._holds_writer():
            return await self.fetchall(sql, key[1])
        version = self._writes
        hit = self._results.get(key)
        if hit is not None and hit[0] == version:
            self._results.move_to_end(key)
            return list(hit[1])
        flight = self._flights.get(key)
        if flight is not None and flight[0] == version:
            return list(await asyncio.shield(flight[1]))
        future: asyncio.Future[list[sqlite3.Row]] = asyncio.get_running_loop().create_future()
        self._flights[key] = (version, future)
        try:
            rows = await self.fetchall(sql, key[1])
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: followers re-raise it, none is required
            raise
        else:
            future.set_result(rows)
        finally:
            if self._flights.get(key, (0, None))[1] is future:
                del self._flights[key]
        if self._writes == version:  # no write was released while it ran
            self._results[key] = (version, rows)
            self._results.move_to_end(key)
            while len(self._results) > CACHED_RESULTS:
                self._results.popitem(last=False)
        return list(rows)

    async def fetchone_cached(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self.fetchall_cached(sql, params)
        return rows[0] if rows else None

    async def iterate(self, sql: str, params: Iterable[Any] = (), *, size: int = 2000) -> AsyncIterator[sqlite3.Row]:
        """Stream rows in chunks (exports of large logs keep memory flat).

        The stream reads one consistent snapshot through a connection of its own, so it holds
        neither the writer's lock nor a pooled reader however long the consumer takes per row.
        """
        if self._holds_writer():
            async with self._conn.execute(sql, tuple(params)) as cur:
                while rows := await cur.fetchmany(size):
                    for row in rows:
                        yield row
            return
        reader = await self._open_reader()
        try:
            async with reader.execute(sql, tuple(params)) as cur:
                while rows := await cur.fetchmany(size):
                    for row in rows:
                        yield row
        finally:
            await reader.close()

    # -- backup ----------------------------------------------------------------------------------
    async def backup(self, destination: str | Path) -> None:
        """A consistent copy of the live database (SQLite online backup)."""
        dest = Path(destination)
        dest.parent.mkdir(parents=True, exist_ok=True)
        async with self._locked():
            target = await aiosqlite.connect(dest)
            try:
                await self._conn.backup(target)
            finally:
                await target.close()


class Transaction:
    """The statements of one open transaction. Only valid inside ``async with db.transaction()``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        return await _run(self._conn, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        cur = await self._conn.executemany(sql, [tuple(r) for r in rows])
        return cur.rowcount

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        return await _first(self._conn, sql, params)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return await _all(self._conn, sql, params)

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


# One trip to aiosqlite's thread per statement (a cursor used with ``async with`` costs three:
# execute, fetch, close). Under a burst of commands those trips are what members wait for.
async def _run(conn: aiosqlite.Connection, sql: str, params: Iterable[Any]) -> int:
    cur = await conn.execute(sql, tuple(params))
    return cur.lastrowid if sql.lstrip()[:6].upper() == "INSERT" else cur.rowcount


async def _all(conn: aiosqlite.Connection, sql: str, params: Iterable[Any]) -> list[sqlite3.Row]:
    return list(await conn.execute_fetchall(sql, tuple(params)))


async def _first(conn: aiosqlite.Connection, sql: str, params: Iterable[Any]) -> sqlite3.Row | None:
    rows = await conn.execute_fetchall(sql, tuple(params))
    return rows[0] if rows else None


def backup_file(source: str | Path, destination: str | Path) -> None:
    """Copy a database file consistently, even while the bot writes to it (for ``bot.py backup``)."""
    source, destination = Path(source), Path(destination)
    if not source.exists():
        raise StorageError(f"there is no database at {source} to back up")
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
