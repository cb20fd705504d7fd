"""Shared fixtures: a real SQLite file, the real bot, and a simulated CWG-COP server (simcord).

- ``db``: a migrated database file in the test's tmp folder.
- ``simcord_bot``: the real :class:`bot.MeetingBot` with every extension.
- ``simcord_env``: simcord's running environment (from the simcord pytest plugin).
- ``world``: a configured server: roles, channels, members, and /setup already done.
- ``harness``: restarts the bot on the same database file, as a crash/restart would.
- ``dispatch_and_settle(env, event, *args)``: a plain helper, dispatches a bot event from a test and
  waits for its listeners.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import discord
import hypothesis
import pytest
import pytest_asyncio
import simcord.env

from bot import MeetingBot
from cogs.core.interactions import user_message
from config.settings import Settings
from storage.database import Database
from storage.guild_settings import GuildSettingsRepo
from tests import discord_today

# Hypothesis: "ci" (CI=true) is derandomised, so every run tries the same examples; "dev" tries
# more, with fresh examples each run. HYPOTHESIS_PROFILE overrides either.
hypothesis.settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
hypothesis.settings.register_profile("dev", max_examples=300, deadline=None)
hypothesis.settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)

FAKE_TOKEN = "Xtest00000000000000000000.abcdef.fake-token-for-tests-only-xxxxxxxxxxxx"


@pytest.fixture(autouse=True)
def expected_errors_are_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's mistake answered with a clear message is the bot working, not a bot error.

    simcord re-raises at teardown every exception that reached the tree's error handler. Ours
    turns domain errors (UserError, failed checks) into ephemeral answers, which the tests read;
    only unexpected exceptions should fail a test, and they still do.
    """
    original = simcord.env.Env._record_error

    def record(self, error: BaseException) -> None:
        if user_message(error) is None:
            original(self, error)

    monkeypatch.setattr(simcord.env.Env, "_record_error", record)


@pytest.fixture(autouse=True)
def todays_discord_permissions(monkeypatch: pytest.MonkeyPatch) -> None:
    """simcord checks pins and scheduled events as Discord does today (tests/discord_today.py)."""
    discord_today.install(monkeypatch)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cwgcop.sqlite3"


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(token=FAKE_TOKEN, database=db_path)


@pytest_asyncio.fixture
async def db(db_path: Path):
    database = await Database.open(db_path)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def simcord_bot(settings: Settings, db: Database) -> MeetingBot:
    return MeetingBot(settings, db)


@dataclass
class World:
    """A configured CWG-COP server, with the people who use it."""

    env: object
    guild: object
    chair_role: object
    secretariat_role: object
    participant_role: object
    agenda: object  # channels
    contributions: object
    reminders: object
    meeting: object
    general: object
    admin: object  # members
    chair: object
    secretary: object
    delegate: object
    delegate2: object
    outsider: object

    @property
    def bot(self) -> MeetingBot:
        return self.env.bot


def build_world(env, *, configure: bool = True) -> World:
    guild = env.create_guild("CWG-COP")
    chair_role = guild.create_role("Chair")
    secretariat_role = guild.create_role("Secretariat")
    participant_role = guild.create_role("Participant", mentionable=True)
    admin_role = guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))
    channels = {
        name: guild.create_text_channel(name) for name in ("agenda", "contributions", "reminders", "meeting", "general")
    }
    world = World(
        env=env,
        guild=guild,
        chair_role=chair_role,
        secretariat_role=secretariat_role,
        participant_role=participant_role,
        **channels,
        admin=guild.add_member(env.create_user("admin"), roles=[admin_role]),
        chair=guild.add_member(env.create_user("chair"), roles=[chair_role, participant_role], nick="Madam Chair"),
        secretary=guild.add_member(env.create_user("secretary"), roles=[secretariat_role, participant_role]),
        delegate=guild.add_member(env.create_user("delegate"), roles=[participant_role], nick="Delegate of Ghana"),
        delegate2=guild.add_member(env.create_user("delegate2"), roles=[participant_role]),
        outsider=guild.add_member(env.create_user("outsider")),
    )
    return world


async def configure_world(world: World) -> None:
    """What /setup would store (set directly; the /setup commands have their own tests)."""
    await GuildSettingsRepo(world.bot.db).update(
        world.guild.id,
        chair_role_id=world.chair_role.id,
        secretariat_role_id=world.secretariat_role.id,
        participant_role_id=world.participant_role.id,
        agenda_channel_id=world.agenda.id,
        contributions_channel_id=world.contributions.id,
        reminders_channel_id=world.reminders.id,
        meeting_channel_id=world.meeting.id,
    )


@pytest_asyncio.fixture
async def world(simcord_env) -> World:
    w = build_world(simcord_env)
    await configure_world(w)
    return w


async def dispatch_and_settle(env, event: str, *args) -> None:
    """Dispatch one of the bot's own events (cogs/core/events.py) as a feature would, and wait for its listeners.

    simcord's ``settle()`` joins only work the bot started: a listener task created by a dispatch
    from test code would not be joined. So the event is dispatched inside the bot's scope (simcord's
    own ``_bot_scope``, as a command handler's dispatch runs), which makes the listeners, and all
    they start, bot work that ``settle()`` joins and whose errors fail the test.
    """
    assert env.bot.extra_events.get(f"on_{event}"), f"nothing listens to {event}"
    with env._bot_scope():
        env.bot.dispatch(event, *args)
    await env.settle()


class Harness:
    """Restart the bot on the same database file, as a process restart would."""

    def __init__(self, env, settings: Settings) -> None:
        self.env = env
        self.settings = settings
        self._opened: list[Database] = []

    async def restart(self, *, crash: bool = False) -> MeetingBot:
        """A clean restart (SIGTERM: the bot closes, cogs flush) or, with ``crash``, a killed process.

        A crash runs no shutdown code at all: the old scheduler and tasks just stop, as they would
        with the process. Either way a new bot starts on the same database file.
        """
        old = self.env.bot
        if crash:
            if old.scheduler.running:
                old.scheduler.shutdown(wait=False)
        else:
            await old.close()
        db = await Database.open(self.settings.database)
        self._opened.append(db)
        bot = MeetingBot(self.settings, db)
        await self.env.restart_bot(bot)
        if old.db in self._opened:
            await old.db.close()
        return bot

    async def close(self) -> None:
        for db in self._opened:
            await db.close()


@pytest_asyncio.fixture
async def harness(simcord_env, settings: Settings):
    h = Harness(simcord_env, settings)
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
def machine_in_chatham(monkeypatch: pytest.MonkeyPatch):
    """The host's own zone set to Pacific/Chatham (UTC+13:45 in January): no rule may depend on it."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Chatham")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
