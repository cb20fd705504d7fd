"""The CWG-COP meeting bot: composition root.

python bot.py               run the bot (settings from the environment / .env)
python bot.py backup PATH   write a consistent copy of the live database to PATH
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import hashlib
import json
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

import discord
import yarl
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands
from dotenv import load_dotenv

from cogs.core.i18n_discord import CommandTranslator, install_interaction_locale
from cogs.core.interactions import SAFE_MENTIONS, report_error
from config.settings import ConfigError, Settings, database_path_from_env
from storage.database import Database, StorageError, backup_file

log = logging.getLogger("cwgcop")

# Every feature, in load order. A feature missing here is not loaded: keep the list explicit.
EXTENSIONS: tuple[str, ...] = (
    "cogs.setup",
    "cogs.meetings",
    "cogs.agenda",
    "cogs.contributions",
    "cogs.reminders",
    "cogs.capture",
    "cogs.attendance",
    "cogs.reports",
    "cogs.calendar",  # after meetings and setup: it adds /meeting feed and /setup calendar to their groups
    "cogs.language",
)

# APScheduler 3.x drops a job more than 1 s late by default; ours may run late (after a busy
# moment or a restart) and decide for themselves what lateness means.
SCHEDULER_JOB_DEFAULTS = {"misfire_grace_time": 24 * 3600, "coalesce": True, "max_instances": 1}


class MeetingTree(app_commands.CommandTree):
    """The one tree-wide error handler: a user's mistake gets a clear ephemeral answer."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


def build_intents() -> discord.Intents:
    intents = discord.Intents.default()  # guilds, guild messages, reactions, scheduled events ...
    intents.message_content = True  # privileged: needed to record the meeting chat and read #topic markers
    intents.presences = False
    intents.typing = False
    return intents


class MeetingBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        extensions: Sequence[str] = EXTENSIONS,
        freeze_heap: bool = False,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # slash commands first; no text prefix
            intents=build_intents(),
            tree_cls=MeetingTree,
            allowed_mentions=SAFE_MENTIONS,
            help_command=None,
        )
        self.settings = settings
        self.db = db
        self.extension_names = tuple(extensions)
        self.scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=SCHEDULER_JOB_DEFAULTS)
        self.scheduler.add_listener(self._on_job_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
        self.freeze_heap = freeze_heap  # the process's own bot (run()): see freeze_heap()
        # Every interaction (command, autocomplete, button, modal) runs in its member's language.
        install_interaction_locale(self, db)

    # -- start-up (never wait for the gateway here) --------------------------------------------
    async def setup_hook(self) -> None:
        self.scheduler.start()
        await self.tree.set_translator(CommandTranslator())  # before the commands are synced
        for name in self.extension_names:
            await self.load_extension(name)
        await self.sync_commands_if_changed()

    async def command_payload(self) -> list[dict]:
        """What a sync sends Discord, translations included (so a changed translation is synced)."""
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        commands_ = self.tree.get_commands(guild=guild)
        translator = self.tree.translator
        if translator is None:
            payload = [c.to_dict(self.tree) for c in commands_]
        else:
            payload = [await c.get_translated_payload(self.tree, translator) for c in commands_]
        return sorted(payload, key=lambda d: d["name"])

    async def sync_commands_if_changed(self) -> bool:
        """Sync with Discord only when the command set differs from the last sync (rate limits)."""
        payload = await self.command_payload()
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        target = f"guild:{self.settings.dev_guild_id}" if self.settings.dev_guild_id else "global"
        key = f"commands_hash:{self.application_id or 'app'}:{target}"
        if await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (key,)) == digest:
            log.info("Slash commands unchanged; not syncing")
            return False
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        synced = await self.tree.sync(guild=guild)
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, digest),
        )
        log.info("Synced %d slash commands to %s", len(synced), target)
        return True

    # Slash commands only. commands.Bot.on_message would start a task for every chat line just to
    # look for prefix commands the bot does not have; a 150-person meeting chat makes thousands.
    # discord.py's dispatch treats an AttributeError here as "no handler", so it starts none; the
    # cogs' on_message listeners (chat capture) still run. (bench: figure 2.)
    @property
    def on_message(self):  # type: ignore[override]
        raise AttributeError("on_message")

    async def on_ready(self) -> None:
        log.info("Ready as %s in %d server(s)", self.user, len(self.guilds))
        if self.freeze_heap:
            self.freeze_heap = False  # once: a reconnect's READY changes nothing
            freeze_heap()

    # -- shutdown -------------------------------------------------------------------------------
    async def close(self) -> None:
        # Removing the cogs (newest first) lets each one flush what it holds (cog_unload) while
        # the database is still open; then the connection closes and the scheduler stops. The
        # caller closes the database. Unlike commands.Bot.close, the extension modules are not
        # unloaded: that would purge them from sys.modules, for nothing, as the process is ending.
        for name in reversed(list(self.cogs)):
            try:
                await self.remove_cog(name)
            except Exception:
                log.exception("Cog %s failed to unload cleanly", name)
        await discord.Client.close(self)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    @staticmethod
    def _on_job_event(event: JobExecutionEvent) -> None:
        if event.exception is not None:
            log.error("Scheduled job %s failed", event.job_id, exc_info=event.exception)
        else:
            log.warning("Scheduled job %s missed its run time (%s)", event.job_id, event.scheduled_run_time)


# ---------------------------------------------------------------------------------------------
# Process entry point


class RedactToken(logging.Filter):
    """Belt and braces: the token never reaches a log line, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "[token]")
                record.args = None
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(settings.token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level_number)
    logging.getLogger("discord.http").setLevel(max(settings.log_level_number, logging.INFO))
    logging.getLogger("apscheduler").setLevel(max(settings.log_level_number, logging.WARNING))


def apply_endpoints(settings: Settings) -> None:
    """Point discord.py at a proxy or a Discord-compatible test server, if configured."""
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def fail(message: str, status: int = 2) -> int:
    print(f"cwgcop-bot: {message}", file=sys.stderr)
    return status


def freeze_heap() -> None:
    """Once the bot is up, its long-lived objects (modules, cogs, commands, the member cache) leave
    the garbage collector's full sweeps (``gc.freeze``): in a busy meeting chat every line allocates,
    the collector runs often, and each full sweep would walk the whole start-up heap again (bench:
    figure 2). Only for the process's own bot: tests start many bots in one process and must not
    keep old ones alive."""
    gc.collect()
    gc.freeze()


async def run(settings: Settings) -> int:
    try:
        db = await Database.open(settings.database)
    except StorageError as exc:
        return fail(str(exc))
    try:
        bot = MeetingBot(settings, db, freeze_heap=True)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, lambda s=sig: _stop(bot, s))
        try:
            async with bot:
                await bot.start(settings.token)
        except discord.LoginFailure:
            return fail(
                "Discord rejected DISCORD_TOKEN (401 Unauthorized); reset the token in the Developer "
                "Portal and put the new one in .env."
            )
        except commands.ExtensionFailed as exc:
            if isinstance(exc.original, ConfigError):  # e.g. the calendar feed's WEB_PORT is taken
                return fail(str(exc.original))
            raise
        except discord.PrivilegedIntentsRequired:
            return fail(
                "Discord refused the Message Content intent; enable it in the Developer Portal "
                "(your application > Bot > Privileged Gateway Intents)."
            )
        return 0
    finally:
        await db.close()
        log.info("Stopped cleanly")


def _stop(bot: MeetingBot, sig: signal.Signals) -> None:
    log.info("Received %s; shutting down", sig.name)
    asyncio.ensure_future(bot.close())  # noqa: RUF006 (the loop outlives it; start() returns after)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bot.py", description="The CWG-COP meeting bot")
    sub = parser.add_subparsers(dest="command")
    backup = sub.add_parser("backup", help="write a consistent copy of the live database")
    backup.add_argument("path", help="where to write the copy")
    args = parser.parse_args(argv)

    load_dotenv(Path.cwd() / ".env")  # the .env of the folder the bot is started from
    if args.command == "backup":
        try:
            source = database_path_from_env()
            backup_file(source, args.path)
        except (ConfigError, StorageError) as exc:
            return fail(str(exc))
        print(f"Backed up {source} to {args.path}")
        return 0

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        return fail(str(exc))
    configure_logging(settings)
    apply_endpoints(settings)
    try:
        return asyncio.run(run(settings))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
