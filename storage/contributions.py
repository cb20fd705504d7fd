"""Contributions and information documents (read side shared with the agenda and reports).

The contributions feature adds registration, revisions, status changes and exports here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.timeutil import from_db

KIND_CONTRIBUTION = "contribution"
KIND_INFORMATION = "information"


def document_number(group_code: str, meeting_number: int, kind: str, seq: int, revision: int = 0) -> str:
    """``CWG-COP-19/3``, ``CWG-COP-19/INF/1``, ``CWG-COP-19/5(Rev.1)``."""
    middle = "INF/" if kind == KIND_INFORMATION else ""
    rev = f"(Rev.{revision})" if revision else ""
    return f"{group_code}-{meeting_number}/{middle}{seq}{rev}"


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


class ContributionsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def for_meeting(self, meeting_id: int) -> list[Contribution]:
        """The meeting's documents: contributions then information documents, in number order."""
        rows = await self.db.fetchall(
            SELECT_CONTRIBUTION + "WHERE c.meeting_id = ? ORDER BY c.kind, c.seq", (meeting_id,)
        )
        return [contribution_from_row(r) for r in rows]
