"""Who is who in a meeting's record: the one place that builds the :class:`Names` of an export.

Used by ``/minutes show``, ``/minutes export``, ``/log export``, the minutes kept when a log is
purged, and the reports feature.

- **Youth pseudonyms and forgotten members come from the database**, the truth. The capture cog
  keeps a copy of both in memory so that ``on_message`` never waits for the database; it writes the
  database first and its copy second (a forget closes the gate in memory first and reopens it if
  the database refused), so the two agree once a command has answered.
- **Speakers** are named from the log (their latest display name there).
- **Members mentioned but who never spoke** (``#action <@id> ...``) are asked of Discord: the bot has
  no members intent, so ``guild.get_member`` finds almost no one. At most :data:`MAX_LOOKUPS` per
  export, a few at a time; one that fails is left as "unknown member". Youth participants and
  forgotten members are never looked up: ``Names`` shows them as a pseudonym and "[removed]".
- Roles and channels come from the guild cache (the bot always has those).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence

import discord

from cogs.capture._rules import Names, mentioned_users
from storage.capture import CaptureStore
from storage.meetings import Meeting

log = logging.getLogger(__name__)

MAX_LOOKUPS = 50  # members asked of Discord per export, at most
PARALLEL_LOOKUPS = 8  # of them, at the same time


def guild_names(
    guild: discord.Guild | None,
    *,
    timezone: str,
    youth: dict[int, int],
    forgotten: frozenset[int],
    known: dict[int, str] | None = None,
) -> Names:
    """``Names`` with the guild cache's lookups (members if cached, roles, channels and threads)."""

    def member(user_id: int) -> str | None:
        found = guild.get_member(user_id) if guild else None
        return found.display_name if found else None

    def role(role_id: int) -> str | None:
        found = guild.get_role(role_id) if guild else None
        return found.name if found else None

    def channel(channel_id: int) -> str | None:
        found = guild.get_channel_or_thread(channel_id) if guild else None
        return found.name if found else None

    return Names(
        timezone=timezone,
        youth=youth,
        forgotten=forgotten,
        known=known or {},
        lookup=member,
        role=role,
        channel=channel,
    )


async def find_person(client: discord.Client, guild: discord.Guild | None, user_id: int) -> discord.abc.User | None:
    """The member (with their server nickname) or, if they left, the user; None if Discord does not know them."""
    cached = guild.get_member(user_id) if guild else None
    if cached is not None:
        return cached
    if guild is not None:
        try:
            return await guild.fetch_member(user_id)
        except discord.HTTPException:
            pass  # not (or no longer) in the server: their user name is still worth having
    user = client.get_user(user_id)
    if user is not None:
        return user
    try:
        return await client.fetch_user(user_id)
    except discord.HTTPException:
        return None


async def find_people(
    client: discord.Client, guild: discord.Guild | None, user_ids: Sequence[int]
) -> dict[int, discord.abc.User]:
    """``find_person`` for each id, :data:`PARALLEL_LOOKUPS` at a time; those not found are left out."""
    gate = asyncio.Semaphore(PARALLEL_LOOKUPS)

    async def one(user_id: int) -> discord.abc.User | None:
        async with gate:
            return await find_person(client, guild, user_id)

    results = await asyncio.gather(*(one(uid) for uid in user_ids), return_exceptions=True)
    found: dict[int, discord.abc.User] = {}
    for user_id, result in zip(user_ids, results, strict=True):
        if isinstance(result, Exception):
            log.warning("Could not look up user %s: %r", user_id, result)
        elif isinstance(result, BaseException):
            raise result  # cancelled: do not swallow it
        elif result is not None:
            found[user_id] = result
    return found


async def names_for_meeting(
    client: discord.Client,
    store: CaptureStore,
    meeting: Meeting,
    *,
    timezone: str | None = None,
    everywhere: bool = False,
    before_lookups: Callable[[], Awaitable[object]] | None = None,
) -> Names:
    """How people are shown in this meeting's exports, from the database and (for a few) from Discord.

    ``timezone``: for ``<t:…>`` timestamps (default: the meeting's). ``everywhere``: resolve members
    mentioned anywhere in the log (the transcript), not only in the minutes markers. ``before_lookups``
    is awaited once before Discord is asked, if it must be (e.g. to defer an interaction).
    """
    guild = client.get_guild(meeting.guild_id)
    youth = await store.youth_in(meeting.guild_id)
    forgotten = await store.forgotten_in(meeting.guild_id)
    known = await store.author_names(meeting.id)
    names = guild_names(
        guild,
        timezone=timezone or meeting.timezone,
        youth=youth,
        forgotten=forgotten,
        known=known,
    )
    texts = await store.mention_texts(meeting.id, markers_only=not everywhere)
    wanted = [
        uid
        for uid in mentioned_users(texts)
        if uid not in youth and uid not in forgotten and uid not in known and names.lookup(uid) is None
    ]
    if not wanted:
        return names
    if len(wanted) > MAX_LOOKUPS:
        log.info(
            "Meeting %s mentions %d members who did not speak; looking up the first %d",
            meeting.id,
            len(wanted),
            MAX_LOOKUPS,
        )
        wanted = wanted[:MAX_LOOKUPS]
    if before_lookups is not None:
        await before_lookups()
    found = await find_people(client, guild, wanted)
    if not found:
        return names
    return dataclasses.replace(names, known={**known, **{uid: p.display_name for uid, p in found.items()}})


async def youth_aliases(
    client: discord.Client, guild: discord.Guild | None, user_ids: Iterable[int]
) -> dict[int, list[str | None]]:
    """Every name each youth participant goes by here (display, user, global name, nickname).

    Used to catch a name typed by hand; the member list is not cached, so Discord is asked, for
    these few people only (all of them: hiding a youth's name is not capped).
    """
    ids = list(user_ids)
    found = await find_people(client, guild, ids)
    for user_id in ids:
        if user_id not in found:
            log.warning("Could not look up youth participant %s to hide their name", user_id)
    return {
        user_id: [person.display_name, person.name, person.global_name, getattr(person, "nick", None)]
        for user_id, person in found.items()
    }
