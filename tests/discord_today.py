"""simcord, brought up to today's Discord permissions (installed for every test by conftest.py).

simcord (the simulated Discord of the tests) predates two changes, so the tests would approve a bot
that fails on the real Discord:

- **Pins.** Since early 2026 pinning and unpinning need **Pin Messages** (``1 << 51``); Manage Messages
  no longer grants it. simcord still checks ``manage_messages``.
- **Scheduled events.** Creating one needs **Create Events** (``1 << 44``), which also lets the creator
  edit and cancel its own events; **Manage Events** is for events created by others. simcord asks for
  ``manage_events`` for all three.

The routes below are simcord's own handlers; only the permission each one checks is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from simcord.http import router

Handler = Callable[[Any], Any]


def _handler_index(method: str, template: str) -> int:
    parts = template.strip("/").split("/")
    for index, (route_parts, _) in enumerate(router._ROUTES[method]):
        if route_parts == parts:
            return index
    raise LookupError(f"simcord has no route {method} {template}: update tests/discord_today.py")


def _checking(original: Handler, rename: Callable[[Any, str], str]) -> Handler:
    """The original handler, with each permission it checks renamed by ``rename(ctx, name)``."""

    def handler(ctx: Any) -> Any:
        channel_check = ctx.require_channel_permissions
        guild_check = ctx.require_guild_permissions
        ctx.require_channel_permissions = lambda cid, *names: channel_check(cid, *(rename(ctx, n) for n in names))
        ctx.require_guild_permissions = lambda gid, *names: guild_check(gid, *(rename(ctx, n) for n in names))
        return original(ctx)

    return handler


def _pins(ctx: Any, name: str) -> str:
    return "pin_messages" if name == "manage_messages" else name


def _create_event(ctx: Any, name: str) -> str:
    return "create_events" if name == "manage_events" else name


def _own_event(ctx: Any, name: str) -> str:
    if name != "manage_events":
        return name
    event = ctx.backend.get_scheduled_event(ctx.int_arg("guild_id"), ctx.int_arg("event_id"))
    return "create_events" if event.creator_id == ctx.backend.bot_user.id else name


ROUTES: dict[tuple[str, str], Callable[[Any, str], str]] = {
    ("PUT", "/channels/{channel_id}/messages/pins/{message_id}"): _pins,
    ("DELETE", "/channels/{channel_id}/messages/pins/{message_id}"): _pins,
    ("POST", "/guilds/{guild_id}/scheduled-events"): _create_event,
    ("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}"): _own_event,
    ("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}"): _own_event,
}


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = {method: list(router._ROUTES[method]) for method, _ in ROUTES}
    for (method, template), rename in ROUTES.items():
        index = _handler_index(method, template)
        parts, original = tables[method][index]
        tables[method][index] = (parts, _checking(original, rename))
    for method, table in tables.items():
        monkeypatch.setitem(router._ROUTES, method, table)
