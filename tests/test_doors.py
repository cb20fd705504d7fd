"""The entry-point audit (issue 11): every door of the real bot is in cogs/core/doors.py, and no
autocomplete gives a non-organiser anything the read commands hide.

Walks the real bot (simcord): its command tree and every option with autocomplete, its DynamicItems
and persistent views, its view and form classes, its listeners and its scheduled jobs.
"""

from __future__ import annotations

import inspect
from datetime import timedelta
from pathlib import Path

import discord
from discord import app_commands
from simcord.backend.errors import SetupError
from test_agenda_bot import create
from test_reminders_helpers import create_meeting

import bot as bot_module
from cogs.contributions._views import FORM_ID_PATTERN
from cogs.core import doors
from cogs.core.checks import organiser_only
from storage.contributions import ContributionsRepo, NewContribution
from storage.timeutil import utcnow
from tests.factories import stored_meeting

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zyxwv"  # in every hidden thing below, and nowhere a non-organiser may read it


def app_commands_of(bot) -> list[app_commands.Command]:
    return [c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)]


def autocomplete_options(bot) -> list[tuple[app_commands.Command, app_commands.Parameter]]:
    return [(c, p) for c in app_commands_of(bot) for p in c.parameters if p.autocomplete]


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def view_classes() -> set[str]:
    classes = _subclasses(discord.ui.View) | _subclasses(discord.ui.Modal)
    return {
        f"{c.__module__}.{c.__qualname__}"
        for c in classes
        if c.__module__.startswith("cogs.") and c.__module__ != "cogs.core.interactions"
    }


def listeners(bot) -> set[str]:
    found = {
        f.__qualname__
        for funcs in bot.extra_events.values()
        for f in funcs
        if getattr(f, "__module__", "").startswith(("cogs.", "bot"))
    }
    for cls in (bot_module.MeetingBot, type(bot.tree)):
        found |= {f"{cls.__name__}.{name}" for name in vars(cls) if name.startswith("on_")}
    return found


def web_routes() -> set[str]:
    """The routes of the calendar feed's web server, as built (not started)."""
    from cogs.calendar._web import FeedServer

    async def no_feed(secret: str) -> None:
        return None

    server = FeedServer(host="127.0.0.1", port=0, feeds=no_feed, healthy=lambda: True)
    return {route.resource.canonical for route in server.app.router.routes()}


def is_organiser_only(command: app_commands.Command) -> bool:
    marker = organiser_only.__qualname__ + ".<locals>.predicate"
    return any(check.__qualname__ == marker for check in command.checks)


async def test_every_door_of_the_real_bot_is_in_the_table(world) -> None:
    b = world.bot
    actual = {
        "command": {f"/{c.qualified_name}" for c in app_commands_of(b)},
        "autocomplete": {f"/{c.qualified_name} {p.name}" for c, p in autocomplete_options(b)},
        "component": {p.pattern for p in b._connection._view_store._dynamic_items}
        | {child.custom_id for view in b.persistent_views for child in view.children},
        "form": {FORM_ID_PATTERN.pattern},
        "view": view_classes(),
        "event": listeners(b),
        "http": web_routes(),
    }
    for kind, found in actual.items():
        assert found - doors.names(kind) == set(), f"{kind} doors missing from cogs/core/doors.py"
        assert doors.names(kind) - found == set(), f"{kind} doors in cogs/core/doors.py that the bot no longer has"
    assert len(doors.DOORS) == len({(d.kind, d.name) for d in doors.DOORS}), "a door is listed twice"

    # The table says "organisers" exactly where the command checks for them.
    table = {d.name: d for d in doors.DOORS if d.kind == "command"}
    for command in app_commands_of(b):
        said = table[f"/{command.qualified_name}"].who == doors.ORGANISER
        assert said == is_organiser_only(command), command.qualified_name

    # Scheduled jobs: a meeting with its recording jobs and a member's reminder.
    await create_meeting(world, starts_in=timedelta(hours=3))
    await world.delegate.slash(world.general, "remind me", meeting="19", offsets="1h")
    jobs = [job.id for job in b.scheduler.get_jobs()]
    assert any(j.startswith("reminders:") for j in jobs) and any(j.startswith("capture:") for j in jobs), jobs
    assert [j for j in jobs if doors.job_door(j) is None] == []


def test_docs_entry_points_is_generated_from_the_table() -> None:
    written = (ROOT / "docs" / "entry-points.md").read_text(encoding="utf-8")
    assert written == doors.markdown(), "run: python -m cogs.core.doors > docs/entry-points.md"


async def _seed_hidden_things(world) -> None:
    """A draft agenda item, another member's document, and another server's meeting and documents."""
    meeting = await create(world, 19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Opening")
    await world.chair.slash(world.general, "agenda post", meeting=19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title=f"{SECRET} draft item")
    repo = ContributionsRepo(world.bot.db)
    await repo.register(
        NewContribution(
            meeting_id=meeting.id,
            kind="contribution",
            title="Another member's document",
            source="Norway",
            submitter_id=world.delegate2.id,
            received_at=utcnow(),
        )
    )
    other = await stored_meeting(world.bot.db, guild_id=world.guild.id + 7, number=19, title=f"{SECRET} meeting")
    await repo.register(
        NewContribution(
            meeting_id=other.id,
            kind="contribution",
            title=f"{SECRET} elsewhere",
            source=f"{SECRET} source",
            submitter_id=world.delegate.id,
            received_at=utcnow(),
        )
    )


def _filled(command: app_commands.Command, option: str) -> list[dict]:
    """The ways a member may have filled the other options before typing in ``option``."""
    params = {p.name: p for p in command.parameters}
    filled: dict = {}
    if "meeting" in params and option != "meeting":
        filled["meeting"] = 19 if params["meeting"].type is discord.AppCommandOptionType.integer else "19"
    if "number" in params and option != "number":
        filled["number"] = "19/2"
    return [{}, filled] if filled else [{}]


async def test_no_autocomplete_gives_a_non_organiser_what_the_read_commands_hide(world) -> None:
    await _seed_hidden_things(world)
    table = {d.name: d for d in doors.DOORS if d.kind == "autocomplete"}
    checked = 0
    for command, param in autocomplete_options(world.bot):
        door = table[f"/{command.qualified_name} {param.name}"]
        for member in (world.delegate, world.outsider):
            for filled in _filled(command, param.name):
                for typed in ("", SECRET[:3], "1"):
                    try:
                        choices = await member.autocomplete(
                            world.general, command.qualified_name, param.display_name, typed, **filled
                        )
                    except Exception as refused:  # Discord would not even show this command to them
                        assert "permission" in str(refused).lower() or "visible" in str(refused).lower(), refused
                        continue
                    checked += 1
                    shown = " ".join(f"{c['name']} {c['value']}" for c in choices)
                    assert SECRET not in shown, (door, member, filled, choices)
                    if door.reveals == doors.ORGANISER_PICKER:
                        assert choices == [], (door, member, choices)
                    if door.reveals == doors.OWN_DOCUMENTS:
                        assert "Another member's" not in shown, (door, member, choices)
    assert checked > 100
    # and the chair, for contrast, does see the draft through the same pickers
    chair = await world.chair.autocomplete(world.general, "agenda edit", "item", "", meeting=19)
    assert SECRET in " ".join(c["name"] for c in chair)
    assert inspect.isclass(doors.Door)


def _required_options(world, command: app_commands.Command) -> dict:
    """A value for every required option, of the right type (enough to reach the command's checks)."""
    kinds = discord.AppCommandOptionType
    out: dict = {}
    for p in command.parameters:
        if not p.required:
            continue
        if p.choices:
            out[p.display_name] = p.choices[0].value
        elif p.type is kinds.integer:
            out[p.display_name] = 19
        elif p.type is kinds.boolean:
            out[p.display_name] = False
        elif p.type is kinds.role:
            out[p.display_name] = world.chair_role
        elif p.type is kinds.user:
            out[p.display_name] = world.delegate2
        elif p.type is kinds.channel:
            out[p.display_name] = world.general
        elif p.name == "number":
            out[p.display_name] = "19/2"
        elif p.type is kinds.string:
            out[p.display_name] = "2027-01-01" if p.name in ("first", "last", "start") else "5"
        else:
            return {}  # an attachment: not needed by any organiser command today
    return out


async def test_every_organiser_door_refuses_a_delegate(world) -> None:
    """The table's "organisers only" and "Manage Server only" doors refuse a delegate, whatever they type."""
    await create(world, 19)
    table = {d.name: d for d in doors.DOORS if d.kind == "command"}
    guarded_by = {doors.ORGANISER, doors.ORGANISER_IN_BODY, doors.MANAGE_SERVER}
    tried = 0
    for command in app_commands_of(world.bot):
        if table[f"/{command.qualified_name}"].who not in guarded_by:
            continue
        before = [tuple(r) for r in await world.bot.db.fetchall("SELECT * FROM meetings ORDER BY id")]
        try:
            result = await world.delegate.slash(
                world.general, command.qualified_name, **_required_options(world, command)
            )
        except SetupError as hidden:  # Discord does not even show it (default member permissions)
            assert "not visible" in str(hidden), hidden
            tried += 1
            continue
        said = result.followups[-1].content if result.followups else result.response.content
        assert result.ephemeral, command.qualified_name
        assert "for the meeting organisers" in said or "Manage Server permission" in said, (
            command.qualified_name,
            said,
        )
        assert [tuple(r) for r in await world.bot.db.fetchall("SELECT * FROM meetings ORDER BY id")] == before
        tried += 1
    assert tried >= 30
