"""Per-guild settings (/setup).

Every command reads them (roles, channels, deadlines), so they are cached per database: a read
is answered from memory once the guild's row was read. All writes go through
:meth:`GuildSettingsRepo.update`, which puts the committed settings in the cache; a read that
raced with an update does not store what it read (a generation counter says so).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from storage.database import Database
from storage.timeutil import to_db, utcnow


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    chair_role_id: int | None = None
    secretariat_role_id: int | None = None
    participant_role_id: int | None = None
    agenda_channel_id: int | None = None
    contributions_channel_id: int | None = None
    reminders_channel_id: int | None = None
    meeting_channel_id: int | None = None
    timezone: str = "Europe/Zurich"
    group_code: str = "CWG-COP"
    reminder_offsets: str = "7d,1d,1h,10m"
    contribution_deadline_days: int = 12
    posting_deadline_days: int = 7
    retention_days: int = 365
    max_file_mb: int = 25
    allowed_file_types: str = "pdf,docx,doc,pptx,ppt,xlsx,xls,odt,txt,rtf,zip"
    languages: str = "en"  # public posts' language(s), comma-separated, in order (the first leads)
    group_names: str = "{}"  # JSON {language: the group's official name there} (/setup group-name)

    @property
    def organiser_role_ids(self) -> frozenset[int]:
        return frozenset(r for r in (self.chair_role_id, self.secretariat_role_id) if r is not None)

    @property
    def language_list(self) -> tuple[str, ...]:
        """The server's languages, in order (the first leads public posts)."""
        return tuple(code for code in self.languages.split(",") if code) or ("en",)

    @property
    def group_name_map(self) -> dict[str, str]:
        """The group's official name per language, as the organisers set it (languages without one left out)."""
        names = json.loads(self.group_names or "{}")
        return {lang: name for lang, name in names.items() if isinstance(name, str) and name}

    def group_name_in(self, language: str) -> str | None:
        """The group's official name in ``language`` as set by the organisers, or None (never a guess)."""
        return self.group_name_map.get(language)

    def with_group_name(self, language: str, name: str | None) -> GuildSettings:
        """These settings with ``language``'s name set to ``name`` (None: cleared)."""
        names = self.group_name_map
        if name:
            names[language] = name
        else:
            names.pop(language, None)
        return replace(self, group_names=json.dumps(dict(sorted(names.items())), ensure_ascii=False))


SETTING_NAMES = tuple(f.name for f in fields(GuildSettings) if f.name != "guild_id")


class _Cache:
    def __init__(self) -> None:
        self.settings: dict[int, GuildSettings] = {}
        self.generation = 0


_CACHES: weakref.WeakKeyDictionary[Database, _Cache] = weakref.WeakKeyDictionary()


class GuildSettingsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache = _CACHES.setdefault(db, _Cache())

    async def get(self, guild_id: int) -> GuildSettings:
        cached = self._cache.settings.get(guild_id)
        if cached is not None:
            return cached
        generation = self._cache.generation
        row = await self.db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        if row is None:
            settings = GuildSettings(guild_id=guild_id)
        else:
            settings = GuildSettings(guild_id=guild_id, **{name: row[name] for name in SETTING_NAMES})
        if generation == self._cache.generation:  # no update committed while this read ran
            self._cache.settings[guild_id] = settings
        return settings

    async def update(self, guild_id: int, **changes: object) -> GuildSettings:
        """Set some settings (unknown names are a programming error); return the new settings."""
        unknown = set(changes) - set(SETTING_NAMES)
        if unknown:
            raise KeyError(f"unknown settings: {sorted(unknown)}")
        return await self._write(guild_id, lambda current: replace(current, **changes))

    async def set_group_name(self, guild_id: int, language: str, name: str | None) -> GuildSettings:
        """Set (or, with None, clear) the group's name in one language; the other languages' names are kept.

        The change is applied to the row as read inside the write transaction, so two organisers
        setting two languages at once both keep theirs.
        """
        return await self._write(guild_id, lambda current: current.with_group_name(language, name))

    async def _write(self, guild_id: int, change: Callable[[GuildSettings], GuildSettings]) -> GuildSettings:
        """Apply ``change`` to the committed settings, in one transaction; cache and return the result."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
            current = (
                GuildSettings(guild_id=guild_id)
                if row is None
                else GuildSettings(guild_id=guild_id, **{n: row[n] for n in SETTING_NAMES})
            )
            new = change(current)
            columns = ", ".join(SETTING_NAMES)
            marks = ", ".join("?" for _ in SETTING_NAMES)
            updates = ", ".join(f"{n} = excluded.{n}" for n in SETTING_NAMES)
            await tx.execute(
                f"INSERT INTO guild_settings (guild_id, {columns}, updated_at) VALUES (?, {marks}, ?) "
                f"ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
                (guild_id, *(getattr(new, n) for n in SETTING_NAMES), to_db(utcnow())),
            )
            self._cache.generation += 1
            self._cache.settings.pop(guild_id, None)
        self._cache.generation += 1
        self._cache.settings[guild_id] = new  # committed
        return new
