"""Contributions and information documents: the only place that reads and writes their SQL.

Read side shared with the agenda and reports (:class:`Contribution`, :func:`document_number`,
:data:`SELECT_CONTRIBUTION`, :meth:`ContributionsRepo.for_meeting`); the write side is used by
``cogs.contributions``.

Numbering: one gapless sequence per (meeting, kind), starting at :func:`first_seq` (contributions at
2, because document 1 of every meeting is its agenda; information documents at 1), allocated as
``MAX(seq) + 1`` inside the same ``BEGIN IMMEDIATE`` transaction as the INSERT, so two registrations
can never read the same maximum (even from two processes on the same file). Rows are never deleted,
so a number is never reused.

Versions: ``contribution_revisions`` keeps every version of a document, the current one included
(revision 0 is the original; the contributions row mirrors the latest). Every change also writes a
``contribution_events`` row in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from storage.database import Database, Transaction
from storage.timeutil import from_db, to_db, utcnow

KIND_CONTRIBUTION = "contribution"
KIND_INFORMATION = "information"
KINDS = (KIND_CONTRIBUTION, KIND_INFORMATION)

STATUSES = ("submitted", "accepted", "late", "rejected", "withdrawn")
SOURCE_TYPES = (
    "member_state",
    "sector_member",
    "organisation",
    "academia",
    "civil_society",
    "youth",
    "secretariat",
    "chair",
    "other",
)


def document_number(group_code: str, meeting_number: int, kind: str, seq: int, revision: int = 0) -> str:
    """``CWG-COP-19/3``, ``CWG-COP-19/INF/1``, ``CWG-COP-19/5(Rev.1)``."""
    middle = "INF/" if kind == KIND_INFORMATION else ""
    rev = f"(Rev.{revision})" if revision else ""
    return f"{group_code}-{meeting_number}/{middle}{seq}{rev}"


# Document 1 of every meeting is its agenda (ITU practice; DOMAIN.md, "Adoption of the agenda"), and
# contributions share its numbered series: the first contribution is CWG-COP-19/2, then /3 ...
# Information documents have a series of their own, starting at CWG-COP-19/INF/1.
AGENDA_SEQ = 1
FIRST_SEQ: Mapping[str, int] = MappingProxyType({KIND_CONTRIBUTION: AGENDA_SEQ + 1, KIND_INFORMATION: 1})


def first_seq(kind: str) -> int:
    """The number the first document of ``kind`` in a meeting gets: 2 for a contribution, 1 for INF."""
    return FIRST_SEQ[kind]


def is_agenda(kind: str, seq: int) -> bool:
    """Is ``CWG-COP-n/{seq}`` of this kind the meeting's agenda (document 1), not a contribution?"""
    return kind == KIND_CONTRIBUTION and seq == AGENDA_SEQ


def agenda_number(group_code: str, meeting_number: int) -> str:
    """The agenda's document number: ``CWG-COP-19/1``."""
    return document_number(group_code, meeting_number, KIND_CONTRIBUTION, AGENDA_SEQ)


@dataclass(frozen=True, slots=True)
class Contribution:
    id: int
    meeting_id: int
    meeting_number: int
    group_code: str
    kind: str
    seq: int
    title: str
    source: str
    source_type: str | None
    abstract: str | None
    language: str | None
    agenda_item_id: int | None
    submitter_id: int
    status: str
    is_late: bool
    status_reason: str | None
    revision: int
    link: str | None
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    file_message_url: str | None
    announcement_channel_id: int | None
    announcement_message_id: int | None
    received_at: datetime
    updated_at: datetime

    @property
    def number(self) -> str:
        """The number with its revision: ``CWG-COP-19/5(Rev.1)``."""
        return document_number(self.group_code, self.meeting_number, self.kind, self.seq, self.revision)

    @property
    def base_number(self) -> str:
        """The number without revision: ``CWG-COP-19/5``."""
        return document_number(self.group_code, self.meeting_number, self.kind, self.seq)


# The meeting number and the guild's group code come with every row.
SELECT_CONTRIBUTION = (
    "SELECT c.*, m.number AS meeting_number, IFNULL(g.group_code, 'CWG-COP') AS group_code "
    "FROM contributions c JOIN meetings m ON m.id = c.meeting_id "
    "LEFT JOIN guild_settings g ON g.guild_id = m.guild_id "
)


def contribution_from_row(row) -> Contribution:
    return Contribution(
        id=row["id"],
        meeting_id=row["meeting_id"],
        meeting_number=row["meeting_number"],
        group_code=row["group_code"],
        kind=row["kind"],
        seq=row["seq"],
        title=row["title"],
        source=row["source"],
        source_type=row["source_type"],
        abstract=row["abstract"],
        language=row["language"],
        agenda_item_id=row["agenda_item_id"],
        submitter_id=row["submitter_id"],
        status=row["status"],
        is_late=bool(row["is_late"]),
        status_reason=row["status_reason"],
        revision=row["revision"],
        link=row["link"],
        file_name=row["file_name"],
        file_size=row["file_size"],
        file_sha256=row["file_sha256"],
        file_message_url=row["file_message_url"],
        announcement_channel_id=row["announcement_channel_id"],
        announcement_message_id=row["announcement_message_id"],
        received_at=from_db(row["received_at"]),
        updated_at=from_db(row["updated_at"]),
    )


class DuplicateContribution(Exception):
    """The meeting already has a document with this title and source (nothing was stored)."""

    def __init__(self, existing: Contribution) -> None:
        super().__init__(existing.number)
        self.existing = existing


@dataclass(frozen=True, slots=True)
class NewContribution:
    """What a registration stores; the number (seq) is allocated by the repository."""

    meeting_id: int
    kind: str
    title: str
    source: str
    submitter_id: int
    received_at: datetime
    status: str = "submitted"
    is_late: bool = False
    source_type: str | None = None
    abstract: str | None = None
    language: str | None = None
    agenda_item_id: int | None = None
    link: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    file_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of a document (revision 0 is the original)."""

    id: int
    contribution_id: int
    revision: int
    title: str
    abstract: str | None
    link: str | None
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    file_message_url: str | None
    created_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ContributionEvent:
    id: int
    contribution_id: int
    at: datetime
    actor_id: int
    action: str
    detail: str | None


# Columns a Change may set. Setting "revision" also records the new version in contribution_revisions.
CHANGEABLE = frozenset(
    {
        "title",
        "abstract",
        "link",
        "file_name",
        "file_size",
        "file_sha256",
        "file_message_url",
        "status",
        "status_reason",
        "agenda_item_id",
        "revision",
    }
)


@dataclass(frozen=True, slots=True)
class Change:
    """What a decision does to a document: column updates and the history line that explains them."""

    action: str
    updates: Mapping[str, object] = field(default_factory=dict)
    detail: str | None = None


# decide(current) -> Change; raising rolls the whole transaction back (nothing is written).
Decision = Callable[[Contribution], Change]


def duplicate_key(title: str, source: str) -> tuple[str, str]:
    """Title and source as a person would compare them: case, accents' case and spacing ignored."""
    return (" ".join(title.split()).casefold(), " ".join(source.split()).casefold())


def _revision(row) -> Revision:
    return Revision(
        id=row["id"],
        contribution_id=row["contribution_id"],
        revision=row["revision"],
        title=row["title"],
        abstract=row["abstract"],
        link=row["link"],
        file_name=row["file_name"],
        file_size=row["file_size"],
        file_sha256=row["file_sha256"],
        file_message_url=row["file_message_url"],
        created_by=row["created_by"],
        created_at=from_db(row["created_at"]),
    )


def _event(row) -> ContributionEvent:
    return ContributionEvent(
        id=row["id"],
        contribution_id=row["contribution_id"],
        at=from_db(row["at"]),
        actor_id=row["actor_id"],
        action=row["action"],
        detail=row["detail"],
    )


class ContributionsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- read side ----------------------------------------------------------------------------
    async def for_meeting(self, meeting_id: int) -> list[Contribution]:
        """The meeting's documents: contributions then information documents, in number order."""
        rows = await self.db.fetchall_cached(
            SELECT_CONTRIBUTION + "WHERE c.meeting_id = ? ORDER BY c.kind, c.seq", (meeting_id,)
        )
        return [contribution_from_row(r) for r in rows]

    async def get(self, contribution_id: int) -> Contribution | None:
        row = await self.db.fetchone_cached(SELECT_CONTRIBUTION + "WHERE c.id = ?", (contribution_id,))
        return None if row is None else contribution_from_row(row)

    async def get_in_guild(self, guild_id: int, contribution_id: int) -> Contribution | None:
        row = await self.db.fetchone_cached(
            SELECT_CONTRIBUTION + "WHERE c.id = ? AND m.guild_id = ?", (contribution_id, guild_id)
        )
        return None if row is None else contribution_from_row(row)

    async def by_number(self, guild_id: int, meeting_number: int, kind: str, seq: int) -> Contribution | None:
        row = await self.db.fetchone_cached(
            SELECT_CONTRIBUTION + "WHERE m.guild_id = ? AND m.number = ? AND c.kind = ? AND c.seq = ?",
            (guild_id, meeting_number, kind, seq),
        )
        return None if row is None else contribution_from_row(row)

    async def search(
        self,
        meeting_id: int,
        *,
        agenda_item_ids: tuple[int, ...] | None = None,
        source: str | None = None,
        status: str | None = None,
    ) -> list[Contribution]:
        """The meeting's documents in number order, filtered (source: case-insensitive substring)."""
        sql = SELECT_CONTRIBUTION + "WHERE c.meeting_id = ?"
        params: list[object] = [meeting_id]
        if agenda_item_ids is not None:
            # one bound parameter however many sub-items an item has
            sql += " AND c.agenda_item_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(agenda_item_ids)))
        if status is not None:
            sql += " AND c.status = ?"
            params.append(status)
        found = [
            contribution_from_row(r) for r in await self.db.fetchall_cached(sql + " ORDER BY c.kind, c.seq", params)
        ]
        if source and source.strip():
            # In Python, not SQL LIKE: SQLite folds only ASCII case, and sources are names like "Côte d'Ivoire".
            wanted = " ".join(source.split()).casefold()
            found = [c for c in found if wanted in " ".join(c.source.split()).casefold()]
        return found

    async def in_guild(
        self,
        guild_id: int,
        *,
        now: datetime,
        wanted: Callable[[Contribution], bool] = lambda _: True,
        submitter_id: int | None = None,
        count: int = 25,
        page: int = 500,
    ) -> list[Contribution]:
        """The first ``count`` of the guild's documents that are ``wanted``, for pickers: meetings not
        yet ended (soonest first), then past ones (latest first); within a meeting, number order.

        Read a page at a time and filtered as it is read, so that a document far down the list is
        still found by typing (a LIMIT before the filter would hide it), and no read is unbounded.
        """
        sql = SELECT_CONTRIBUTION + "WHERE m.guild_id = ?"
        params: list[object] = [guild_id]
        if submitter_id is not None:
            sql += " AND c.submitter_id = ?"
            params.append(submitter_id)
        sql += (
            " ORDER BY m.ends_at <= ?, CASE WHEN m.ends_at > ? THEN m.starts_at END, m.starts_at DESC, c.kind, c.seq,"
            " c.id LIMIT ? OFFSET ?"
        )
        params.extend([to_db(now), to_db(now), page])
        found: list[Contribution] = []
        offset = 0
        while True:
            rows = await self.db.fetchall(sql, [*params, offset])
            for row in rows:
                contribution = contribution_from_row(row)
                if wanted(contribution):
                    found.append(contribution)
                    if len(found) == count:
                        return found
            if len(rows) < page:
                return found
            offset += page

    async def sources(self, meeting_id: int) -> list[str]:
        """The distinct sources of a meeting's documents, alphabetically."""
        rows = await self.db.fetchall_cached(
            "SELECT DISTINCT source FROM contributions WHERE meeting_id = ? ORDER BY source COLLATE NOCASE",
            (meeting_id,),
        )
        return [r["source"] for r in rows]

    async def revisions(self, contribution_id: int) -> list[Revision]:
        rows = await self.db.fetchall(
            "SELECT * FROM contribution_revisions WHERE contribution_id = ? ORDER BY revision", (contribution_id,)
        )
        return [_revision(r) for r in rows]

    async def events(self, contribution_id: int) -> list[ContributionEvent]:
        rows = await self.db.fetchall(
            "SELECT * FROM contribution_events WHERE contribution_id = ? ORDER BY at, id", (contribution_id,)
        )
        return [_event(r) for r in rows]

    async def count_by_source_type(self, meeting_id: int) -> dict[str, int]:
        """Documents not withdrawn, counted by source type ("other" when none was given)."""
        rows = await self.db.fetchall(
            "SELECT IFNULL(source_type, 'other') AS t, COUNT(*) AS n FROM contributions "
            "WHERE meeting_id = ? AND status != 'withdrawn' GROUP BY t ORDER BY t",
            (meeting_id,),
        )
        return {r["t"]: r["n"] for r in rows}

    # -- write side ---------------------------------------------------------------------------
    async def register(
        self,
        new: NewContribution,
        *,
        allow_duplicate: bool = False,
        detail: str | None = None,
        announce_in: tuple[int, int] | None = None,
    ) -> Contribution:
        """Store a document with the next number of its meeting and kind, atomically.

        Raises :class:`DuplicateContribution` (storing nothing) when the meeting already has a
        document with the same title and source, unless ``allow_duplicate``. ``announce_in``
        (guild id, channel id): its announcement goes into the outbox in the same transaction.
        """
        from storage import outbox  # storage.outbox reads contributions: imported here, not at the top

        if new.kind not in KINDS:
            raise ValueError(f"unknown kind {new.kind!r}")
        if new.status not in STATUSES:
            raise ValueError(f"unknown status {new.status!r}")
        received = to_db(new.received_at)
        async with self.db.transaction() as tx:
            if not allow_duplicate:
                await self._refuse_duplicate(tx, new)
            # The next number after the highest, never below the series' first (2 for contributions:
            # document 1 is the agenda). Scalar MAX(a, b) keeps it one statement in this transaction.
            seq = await tx.fetchval(
                "SELECT MAX(IFNULL(MAX(seq), 0) + 1, ?) FROM contributions WHERE meeting_id = ? AND kind = ?",
                (first_seq(new.kind), new.meeting_id, new.kind),
            )
            contribution_id = await tx.execute(
                "INSERT INTO contributions (meeting_id, kind, seq, title, source, source_type, abstract, language, "
                "agenda_item_id, submitter_id, status, is_late, link, file_name, file_size, file_sha256, "
                "received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.meeting_id,
                    new.kind,
                    seq,
                    new.title,
                    new.source,
                    new.source_type,
                    new.abstract,
                    new.language,
                    new.agenda_item_id,
                    new.submitter_id,
                    new.status,
                    int(new.is_late),
                    new.link,
                    new.file_name,
                    new.file_size,
                    new.file_sha256,
                    received,
                    received,
                ),
            )
            await self._insert_revision(tx, contribution_id, 0, new.submitter_id, received)
            await tx.execute(
                "INSERT INTO contribution_events (contribution_id, at, actor_id, action, detail) "
                "VALUES (?, ?, ?, 'registered', ?)",
                (contribution_id, received, new.submitter_id, detail),
            )
            if announce_in is not None:
                guild_id, channel_id = announce_in
                await outbox.add(
                    tx,
                    guild_id=guild_id,
                    channel_id=channel_id,
                    contribution_id=contribution_id,
                    revision=0,
                    now=new.received_at,
                )
            row = await tx.fetchone(SELECT_CONTRIBUTION + "WHERE c.id = ?", (contribution_id,))
        return contribution_from_row(row)

    async def _refuse_duplicate(self, tx: Transaction, new: NewContribution) -> None:
        key = duplicate_key(new.title, new.source)
        rows = await tx.fetchall(
            "SELECT id, title, source FROM contributions WHERE meeting_id = ? ORDER BY kind, seq", (new.meeting_id,)
        )
        for row in rows:
            if duplicate_key(row["title"], row["source"]) == key:
                existing = await tx.fetchone(SELECT_CONTRIBUTION + "WHERE c.id = ?", (row["id"],))
                raise DuplicateContribution(contribution_from_row(existing))

    async def change(
        self, contribution_id: int, *, actor_id: int, decide: Decision
    ) -> tuple[Contribution, Contribution]:
        """Read the document, let ``decide`` (pure) say what changes, write it with its event: one transaction.

        Returns (before, after). Whatever ``decide`` raises propagates, and nothing is written.
        """
        async with self.db.transaction() as tx:
            row = await tx.fetchone(SELECT_CONTRIBUTION + "WHERE c.id = ?", (contribution_id,))
            if row is None:
                raise LookupError(contribution_id)
            before = contribution_from_row(row)
            change = decide(before)
            unknown = set(change.updates) - CHANGEABLE
            if unknown:
                raise KeyError(f"not changeable: {sorted(unknown)}")
            now = to_db(utcnow())
            if change.updates:
                sets = ", ".join(f"{column} = ?" for column in change.updates)
                await tx.execute(
                    f"UPDATE contributions SET {sets}, updated_at = ? WHERE id = ?",
                    (*change.updates.values(), now, contribution_id),
                )
            if "revision" in change.updates:
                await self._insert_revision(tx, contribution_id, int(change.updates["revision"]), actor_id, now)
            await tx.execute(
                "INSERT INTO contribution_events (contribution_id, at, actor_id, action, detail) "
                "VALUES (?, ?, ?, ?, ?)",
                (contribution_id, now, actor_id, change.action, change.detail),
            )
            after = contribution_from_row(await tx.fetchone(SELECT_CONTRIBUTION + "WHERE c.id = ?", (contribution_id,)))
        return before, after

    async def _insert_revision(
        self, tx: Transaction, contribution_id: int, revision: int, created_by: int, created_at: str
    ) -> None:
        """Copy the document's current content as version ``revision``."""
        await tx.execute(
            "INSERT INTO contribution_revisions (contribution_id, revision, title, abstract, link, file_name, "
            "file_size, file_sha256, file_message_url, created_by, created_at) "
            "SELECT id, ?, title, abstract, link, file_name, file_size, file_sha256, file_message_url, ?, ? "
            "FROM contributions WHERE id = ?",
            (revision, created_by, created_at, contribution_id),
        )

    async def record_post(
        self,
        contribution_id: int,
        revision: int,
        *,
        channel_id: int,
        message_id: int,
        file_message_url: str | None,
    ) -> None:
        """Where the bot announced a version (and re-posted its file). Bookkeeping: no event."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE contributions SET announcement_channel_id = ?, announcement_message_id = ?, "
                "file_message_url = CASE WHEN ? IS NULL THEN file_message_url ELSE ? END "
                "WHERE id = ? AND revision = ?",
                (channel_id, message_id, file_message_url, file_message_url, contribution_id, revision),
            )
            if file_message_url is not None:
                await tx.execute(
                    "UPDATE contribution_revisions SET file_message_url = ? WHERE contribution_id = ? AND revision = ?",
                    (file_message_url, contribution_id, revision),
                )
