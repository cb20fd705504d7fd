"""Delegations, roles mapped to delegations, and who was present at each meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database, Transaction
from storage.timeutil import to_db


@dataclass(frozen=True, slots=True)
class Delegation:
    guild_id: int
    user_id: int
    name: str
    type: str
    set_by: int


@dataclass(frozen=True, slots=True)
class RoleDelegation:
    role_id: int
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class PresentRow:
    """One member present, with what is known of them (storage's view; the rules count them)."""

    user_id: int | None  # None: a member who asked to be forgotten, counted anonymously
    name: str | None
    pressed: bool
    spoke: bool
    delegation: str | None  # stated (or set by an organiser), else the mapped role's when seen
    type: str | None
    youth_pseudonym: int | None  # an active youth participant's number


# Present = pressed the button or was seen speaking (attendance rows), or has a line in the
# recorded log (lines backfilled after a restart), or is among the speakers kept by a purge.
_PRESENT = """
WITH params (guild, meeting) AS (SELECT ?, ?),
seen (user_id, name, pressed, spoke, role_name, role_type) AS (
    SELECT user_id, name, pressed, spoke, role_name, role_type
      FROM attendance WHERE meeting_id = (SELECT meeting FROM params) AND user_id IS NOT NULL
    UNION ALL
    SELECT author_id, author_name, 0, 1, NULL, NULL
      FROM messages
     WHERE meeting_id = (SELECT meeting FROM params) AND is_notice = 0 AND forgotten = 0 AND author_id != 0
    UNION ALL
    SELECT author_id, author_name, 0, 1, NULL, NULL
      FROM minutes_people WHERE meeting_id = (SELECT meeting FROM params) AND author_id != 0
),
present AS (
    SELECT user_id, MAX(name) AS name, MAX(pressed) AS pressed, MAX(spoke) AS spoke,
           MAX(role_name) AS role_name, MAX(role_type) AS role_type
      FROM seen GROUP BY user_id
)
SELECT p.user_id, p.name, p.pressed, p.spoke,
       COALESCE(d.name, p.role_name) AS delegation,
       CASE WHEN d.name IS NOT NULL THEN d.type ELSE p.role_type END AS type,
       y.pseudonym AS youth_pseudonym
  FROM present p
  CROSS JOIN params
  LEFT JOIN delegations d ON d.guild_id = params.guild AND d.user_id = p.user_id
  LEFT JOIN youth_members y ON y.guild_id = params.guild AND y.user_id = p.user_id AND y.active = 1
 WHERE p.user_id NOT IN (SELECT user_id FROM forgotten_members
                          WHERE guild_id = params.guild AND remembered_from IS NULL)
"""


class AttendanceRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- delegations -------------------------------------------------------------------------------
    async def delegation(self, guild_id: int, user_id: int) -> Delegation | None:
        row = await self.db.fetchone(
            "SELECT * FROM delegations WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return None if row is None else _delegation(row)

    async def set_delegation(
        self, guild_id: int, user_id: int, name: str, kind: str, *, by: int, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO delegations (guild_id, user_id, name, type, set_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name, type = excluded.type, "
            "set_by = excluded.set_by, updated_at = excluded.updated_at",
            (guild_id, user_id, name, kind, by, to_db(now)),
        )

    async def clear_delegation(self, guild_id: int, user_id: int) -> bool:
        return bool(
            await self.db.execute("DELETE FROM delegations WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        )

    async def delegations(self, guild_id: int) -> list[Delegation]:
        rows = await self.db.fetchall(
            "SELECT * FROM delegations WHERE guild_id = ? ORDER BY type, name, user_id", (guild_id,)
        )
        return [_delegation(r) for r in rows]

    async def names_in_use(self, guild_id: int, kind: str | None = None) -> list[str]:
        """Delegation names already used in the server (stated or mapped to a role), most used first."""
        rows = await self.db.fetchall(
            "SELECT name, COUNT(*) AS n FROM ("
            "  SELECT name, type FROM delegations WHERE guild_id = ?1"
            "  UNION ALL SELECT name, type FROM delegation_roles WHERE guild_id = ?1"
            ") WHERE ?2 IS NULL OR type = ?2 GROUP BY name ORDER BY n DESC, name LIMIT 200",
            (guild_id, kind),
        )
        return [r["name"] for r in rows]

    async def known_delegations(self, guild_id: int) -> list[tuple[str, str]]:
        """Every delegation named in the server (stated by a member or mapped to a role): (name, type)."""
        rows = await self.db.fetchall(
            "SELECT name, type FROM delegations WHERE guild_id = ?1 "
            "UNION SELECT name, type FROM delegation_roles WHERE guild_id = ?1",
            (guild_id,),
        )
        return [(r["name"], r["type"]) for r in rows]

    # -- roles -------------------------------------------------------------------------------------
    async def map_role(self, guild_id: int, role_id: int, name: str, kind: str, *, by: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO delegation_roles (guild_id, role_id, name, type, set_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, role_id) DO UPDATE SET name = excluded.name, "
            "type = excluded.type, set_by = excluded.set_by, updated_at = excluded.updated_at",
            (guild_id, role_id, name, kind, by, to_db(now)),
        )

    async def unmap_role(self, guild_id: int, role_id: int) -> bool:
        return bool(
            await self.db.execute(
                "DELETE FROM delegation_roles WHERE guild_id = ? AND role_id = ?", (guild_id, role_id)
            )
        )

    async def role_delegations(self, guild_id: int) -> list[RoleDelegation]:
        rows = await self.db.fetchall(
            "SELECT role_id, name, type FROM delegation_roles WHERE guild_id = ? ORDER BY type, name, role_id",
            (guild_id,),
        )
        return [RoleDelegation(r["role_id"], r["name"], r["type"]) for r in rows]

    # -- presence ----------------------------------------------------------------------------------
    async def is_forgotten(self, guild_id: int, user_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                # A row with remembered_from is a lifted request (storage/migrations/0006).
                "SELECT 1 FROM forgotten_members WHERE guild_id = ? AND user_id = ? AND remembered_from IS NULL",
                (guild_id, user_id),
            )
        )

    async def mark_present(
        self,
        meeting_id: int,
        user_id: int,
        *,
        name: str,
        pressed: bool,
        spoke: bool,
        role: RoleDelegation | None,
        now: datetime,
    ) -> bool:
        """Record a member as present (idempotent); True if they were not already recorded so."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT pressed, spoke FROM attendance WHERE meeting_id = ? AND user_id = ?", (meeting_id, user_id)
            )
            role_name, role_type = (role.name, role.type) if role else (None, None)
            if row is None:
                await tx.execute(
                    "INSERT INTO attendance (meeting_id, user_id, name, pressed, spoke, role_name, role_type, "
                    "first_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (meeting_id, user_id, name, int(pressed), int(spoke), role_name, role_type, to_db(now)),
                )
                return True
            already = bool(row["pressed"]) if pressed else bool(row["spoke"])
            await tx.execute(
                "UPDATE attendance SET name = ?, pressed = MAX(pressed, ?), spoke = MAX(spoke, ?), "
                "role_name = COALESCE(?, role_name), role_type = COALESCE(?, role_type) "
                "WHERE meeting_id = ? AND user_id = ?",
                (name, int(pressed), int(spoke), role_name, role_type, meeting_id, user_id),
            )
            return not already

    async def present(self, guild_id: int, meeting_id: int) -> tuple[list[PresentRow], int]:
        """Everyone present at a meeting, and how many forgotten members are counted anonymously."""
        rows = await self.db.fetchall(_PRESENT, (guild_id, meeting_id))
        anonymous = await self.db.fetchval(
            "SELECT COUNT(*) FROM attendance WHERE meeting_id = ? AND user_id IS NULL", (meeting_id,)
        )
        present = [
            PresentRow(
                user_id=r["user_id"],
                name=r["name"],
                pressed=bool(r["pressed"]),
                spoke=bool(r["spoke"]),
                delegation=r["delegation"],
                type=r["type"],
                youth_pseudonym=r["youth_pseudonym"],
            )
            for r in rows
        ]
        return present, int(anonymous or 0)


async def forget_member(tx: Transaction, guild_id: int, user_id: int) -> None:
    """Part of /log forget's transaction: the delegation goes, presence stays as an anonymous count."""
    await tx.execute("DELETE FROM delegations WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
    await tx.execute(
        "UPDATE attendance SET user_id = NULL, name = NULL, role_name = NULL, role_type = NULL "
        "WHERE user_id = ? AND meeting_id IN (SELECT id FROM meetings WHERE guild_id = ?)",
        (user_id, guild_id),
    )


def _delegation(row) -> Delegation:
    return Delegation(row["guild_id"], row["user_id"], row["name"], row["type"], row["set_by"])
