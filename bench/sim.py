"""The real bot (or a bare one) in simcord's offline Discord, with a configured server of many members.

Benchmarks that need Discord traffic use this: the bot is the real :class:`bot.MeetingBot` with its
real cogs, discord.py parses simcord's gateway payloads with its real parsers, and every HTTP call
the bot makes is answered in-process by simcord's backend.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import discord
from discord.ext import commands
from simcord.env import Env

from bot import EXTENSIONS, MeetingBot, build_intents
from config.settings import Settings
from storage.database import Database
from storage.guild_settings import GuildSettingsRepo

T = TypeVar("T")

FAKE_TOKEN = "Xbench0000000000000000000.abcdef.bench-token-for-simcord-only-xxxxxxxxx"


@dataclass
class Server:
    """A configured CWG-COP server: roles, the feature channels, the chair, the secretary, delegates."""

    env: Env
    guild: object
    chair_role: object
    secretariat_role: object
    participant_role: object
    agenda: object
    contributions: object
    reminders: object
    meeting: object
    general: object
    chair: object
    secretary: object
    delegates: list = field(default_factory=list)

    @property
    def bot(self) -> discord.Client:
        return self.env.bot


def build_server(env: Env, delegates: int) -> Server:
    guild = env.create_guild("CWG-COP")
    chair_role = guild.create_role("Chair")
    secretariat_role = guild.create_role("Secretariat")
    participant_role = guild.create_role("Participant", mentionable=True)
    channels = {
        name: guild.create_text_channel(name) for name in ("agenda", "contributions", "reminders", "meeting", "general")
    }
    return Server(
        env=env,
        guild=guild,
        chair_role=chair_role,
        secretariat_role=secretariat_role,
        participant_role=participant_role,
        **channels,
        chair=guild.add_member(env.create_user("chair"), roles=[chair_role, participant_role], nick="Madam Chair"),
        secretary=guild.add_member(env.create_user("secretary"), roles=[secretariat_role, participant_role]),
        delegates=[
            guild.add_member(env.create_user(f"delegate{i}"), roles=[participant_role], nick=f"Delegate {i}")
            for i in range(delegates)
        ],
    )


async def configure(server: Server, db: Database, **extra: object) -> None:
    """What /setup stores (set directly: /setup has its own tests)."""
    await GuildSettingsRepo(db).update(
        server.guild.id,
        chair_role_id=server.chair_role.id,
        secretariat_role_id=server.secretariat_role.id,
        participant_role_id=server.participant_role.id,
        agenda_channel_id=server.agenda.id,
        contributions_channel_id=server.contributions.id,
        reminders_channel_id=server.reminders.id,
        meeting_channel_id=server.meeting.id,
        **extra,
    )


@asynccontextmanager
async def real_bot(
    db_path: Path,
    *,
    delegates: int = 150,
    extensions: Sequence[str] = EXTENSIONS,
    settle_timeout: float = 120.0,
    settings: dict[str, object] | None = None,
) -> AsyncIterator[tuple[Server, MeetingBot]]:
    """The real bot on ``db_path`` in simcord, with a configured server of ``delegates`` delegates
    (``settings``: guild settings beyond the roles and channels). As ``bot.py`` runs it: its heap is
    frozen once ready (``bot.freeze_heap``); unfrozen at the end, so that later runs in this process
    start from a clean collector."""
    db = await Database.open(db_path)
    bot = MeetingBot(Settings(token=FAKE_TOKEN, database=db_path), db, extensions=extensions, freeze_heap=True)
    env = Env(bot, settle_timeout=settle_timeout)
    await env.start()
    try:
        server = build_server(env, delegates)
        await configure(server, db, **(settings or {}))
        await env.settle()
        yield server, bot
    finally:
        try:
            await bot.close()  # cogs unload (the capture writer flushes), the scheduler stops
            await env.shutdown()
        finally:
            await db.close()
        gc.unfreeze()
        errors = [e for e in env.errors if not _is_user_error(e)]
        if errors:
            raise ExceptionGroup("the bot failed during a benchmark", errors)


class BareBot(commands.Bot):
    """A discord.py bot with the real bot's intents whose on_message does nothing (figure 2's baseline)."""

    def __init__(self) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=build_intents(), help_command=None)

    async def on_message(self, message: discord.Message) -> None:
        return None


@asynccontextmanager
async def bare_bot(*, delegates: int = 150, settle_timeout: float = 120.0) -> AsyncIterator[tuple[Server, BareBot]]:
    bot = BareBot()
    env = Env(bot, settle_timeout=settle_timeout)
    await env.start()
    try:
        server = build_server(env, delegates)
        await env.settle()
        yield server, bot
    finally:
        await bot.close()
        await env.shutdown()


def _is_user_error(error: BaseException) -> bool:
    from cogs.core.interactions import user_message

    return user_message(error) is not None


async def isolated(func: Callable[[], Awaitable[T]]) -> T:
    """Run ``func()`` in a fresh event loop of its own (in a worker thread), and collect its garbage.

    A simcord environment can leave a real timer behind in its loop (an APScheduler wake-up an hour
    ahead) that keeps the whole detached bot, its caches and simcord's transcript alive; runs that
    follow would pay for that memory in garbage collection. A loop per run leaves nothing behind.
    """

    async def main() -> T:
        return await func()

    try:
        return await asyncio.to_thread(asyncio.run, main())
    finally:
        gc.collect()
