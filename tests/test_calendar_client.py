"""A real calendar client subscribes to the feed: Debian's vdirsyncer (its read-only http storage)
syncs the feed served by the test's bot on loopback into a local folder, and khal reads it back.
After the chair moves one meeting and cancels another, a resync shows both changes."""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import Settings
from storage.timeutil import utcnow
from tests.conftest import FAKE_TOKEN
from tests.test_calendar_feed import GENEVA, create, feed_link

INSTALL = "apt-get install -y vdirsyncer khal"


@pytest.fixture
def settings(db_path) -> Settings:
    return Settings(token=FAKE_TOKEN, database=db_path, web_port=0)


@pytest.fixture(autouse=True)
def calendar_tools() -> None:
    missing = [tool for tool in ("vdirsyncer", "khal") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not installed: {INSTALL} (Debian)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; .ci/run installs them")
        pytest.skip(message)


async def run(*args: str, env: dict[str, str]) -> str:
    """A client program as a subprocess, while this event loop goes on serving the feed."""
    proc = await asyncio.create_subprocess_exec(
        *args, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(120):
        out, err = await proc.communicate()
    assert proc.returncode == 0, f"{args[0]} failed ({proc.returncode}):\n{out.decode()}\n{err.decode()}"
    return out.decode()


def client_config(tmp: Path, url: str) -> dict[str, str]:
    """vdirsyncer and khal configured in the test's folder; returns their environment."""
    local = tmp / "calendars" / "cwgcop"
    local.mkdir(parents=True)
    (tmp / "vdirsyncer.conf").write_text(
        f"""[general]
status_path = "{tmp / "status"}/"

[pair cwgcop]
a = "cwgcop_feed"
b = "cwgcop_local"
collections = null
conflict_resolution = "a wins"

[storage cwgcop_feed]
type = "http"
url = "{url}"

[storage cwgcop_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"
"""
    )
    (tmp / "khal.conf").write_text(
        f"""[calendars]
[[cwgcop]]
path = {local}/
type = calendar

[locale]
local_timezone = Europe/Zurich
default_timezone = Europe/Zurich
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M

[sqlite]
path = {tmp / "khal.sqlite3"}
"""
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KHAL", "VDIRSYNCER"))}
    env.update(
        HOME=str(tmp),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_CACHE_HOME=str(tmp / "cache"),
        TZ="Europe/Zurich",
        LC_ALL="C.UTF-8",
    )
    return env


async def sync_and_list(tmp: Path, env: dict[str, str]) -> list[str]:
    await run("vdirsyncer", "-c", str(tmp / "vdirsyncer.conf"), "sync", env=env)
    first = (utcnow() - timedelta(days=2)).astimezone(GENEVA).date()
    last = (utcnow() + timedelta(days=400)).astimezone(GENEVA).date()
    out = await run(
        "khal",
        "-c",
        str(tmp / "khal.conf"),
        "list",
        "--format",
        "{start} {end} {title} / {status}",
        "--day-format",
        "",
        first.isoformat(),
        last.isoformat(),
        env=env,
    )
    return [line.strip() for line in out.splitlines() if line.strip()]


def day(days: int):
    return (utcnow() + timedelta(days=days)).astimezone(GENEVA).date()


async def test_vdirsyncer_and_khal_see_the_move_and_the_cancellation(world, tmp_path):
    d19, d20, moved = day(30), day(60), day(75)
    await create(world, 19, d19, venue="Geneva")
    await create(world, 20, d20)
    url = await feed_link(world)
    env = client_config(tmp_path, url)
    await run("vdirsyncer", "-c", str(tmp_path / "vdirsyncer.conf"), "discover", env=env)

    before = await sync_and_list(tmp_path, env)
    assert before == [
        f"{d19} 10:00 {d19} 12:30 19th meeting of the CWG-COP / CONFIRMED",
        f"{d20} 10:00 {d20} 12:30 20th meeting of the CWG-COP / CONFIRMED",
    ], before
    assert len(list((tmp_path / "calendars" / "cwgcop").glob("*.ics"))) == 2

    await world.chair.slash(world.general, "meeting edit", meeting=19, start=f"{moved} 14:00")
    await world.chair.slash(world.general, "meeting cancel", meeting=20, reason="No quorum")
    after = await sync_and_list(tmp_path, env)
    assert after == [
        f"{d20} 10:00 {d20} 12:30 20th meeting of the CWG-COP (cancelled) / CANCELLED",
        f"{moved} 14:00 {moved} 16:30 19th meeting of the CWG-COP / CONFIRMED",
    ], after
    assert len(list((tmp_path / "calendars" / "cwgcop").glob("*.ics"))) == 2, "updated in place, not duplicated"
