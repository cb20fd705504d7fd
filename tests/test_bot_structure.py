"""The bot as a whole: extensions, command tree, error handling, mentions, sync, shutdown."""

from __future__ import annotations

import importlib
import pkgutil

import discord
import pytest
from discord import app_commands

import cogs
from bot import EXTENSIONS

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def feature_packages() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(cogs.__path__):
        if info.ispkg and info.name != "core":
            module = importlib.import_module(f"cogs.{info.name}")
            if hasattr(module, "setup"):
                found.add(f"cogs.{info.name}")
    return found


def test_every_feature_package_is_in_the_extension_list():
    assert feature_packages() <= set(EXTENSIONS), "a feature package is not loaded by bot.py"
    assert len(set(EXTENSIONS)) == len(EXTENSIONS)


async def test_every_extension_loads(world):
    assert set(world.bot.extensions) == set(EXTENSIONS)


def walk(command):
    yield command
    if isinstance(command, app_commands.Group):
        for sub in command.commands:
            yield from walk(sub)


async def test_commands_are_unique_described_and_guild_only(world):
    top = world.bot.tree.get_commands()
    names = [c.name for c in top]
    assert len(names) == len(set(names)), "two top-level commands clash"
    for root in top:
        assert root.guild_only, f"/{root.name} must not be usable in DMs"
        for command in walk(root):
            assert command.description and command.description != "…", f"/{command.qualified_name} is undescribed"
            if isinstance(command, app_commands.Command):
                for param in command.parameters:
                    assert param.description and param.description != "…", (
                        f"/{command.qualified_name} option {param.name} is undescribed"
                    )
        if isinstance(root, app_commands.Group):
            subs = [c.name for c in root.commands]
            assert len(subs) == len(set(subs))


async def test_commands_are_synced_only_when_they_change(world, harness):
    def syncs() -> int:
        return sum(1 for e in world.env.http_requests if e.method == "PUT" and "/commands" in e.path)

    assert syncs() == 1, "the first start syncs"
    await harness.restart()
    assert syncs() == 1, "an unchanged command set is not synced again"
    r = await world.admin.slash(world.general, "setup show")
    assert r.response.embeds[0].title == "CWG-COP bot configuration", "commands still work after the restart"


async def test_restart_stops_the_old_scheduler(world, harness):
    old = world.bot
    assert old.scheduler.running
    new = await harness.restart()
    assert not old.scheduler.running
    assert new.scheduler.running
    assert isinstance(new, discord.Client)


async def test_chat_lines_start_no_prefix_command_task(world):
    """The bot is slash-only: a chat line runs the cogs' listeners, not commands.Bot.on_message."""
    assert not hasattr(world.bot, "on_message")
    names: list[str] = []
    original = world.bot._schedule_event

    def spy(coro, event_name, *args, **kwargs):
        names.append(getattr(coro, "__qualname__", str(coro)))
        return original(coro, event_name, *args, **kwargs)

    world.bot._schedule_event = spy
    try:
        await world.delegate.send(world.general, "<@1> help")
    finally:
        del world.bot._schedule_event
    assert names, "the capture listener still hears chat lines"
    assert not any(n.startswith("BotBase.on_message") for n in names), names
