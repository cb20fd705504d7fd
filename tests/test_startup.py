"""`python bot.py` as a user runs it: bad configuration is one clear line and exit status 2."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "Xtest00000000000000000000.abcdef.fake-token-for-tests-only-xxxxxxxxxxxx"


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "DATABASE_", "LOG_", "DEV_", "WEB_", "PUBLIC_BASE_URL"))
    }
    env.update(extra)
    return env


async def run_bot(cwd: Path, *args: str, limit: float = 60, **env: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        *args,
        cwd=cwd,
        env=clean_env(**env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), limit)
    return proc.returncode, out.decode(), err.decode()


async def test_missing_token_is_one_clear_line(tmp_path):
    code, _, err = await run_bot(tmp_path)
    assert code == 2
    assert err.strip() == (
        "cwgcop-bot: DISCORD_TOKEN is not set: put your bot token in .env (see .env.example) or in the environment."
    )
    assert "Traceback" not in err


async def test_token_from_dotenv_in_the_current_folder_is_read(tmp_path):
    (tmp_path / ".env").write_text("DISCORD_TOKEN=not-a-token\n")
    code, _, err = await run_bot(tmp_path)
    assert code == 2
    assert "DISCORD_TOKEN does not look like a Discord bot token" in err
    assert len(err.strip().splitlines()) == 1


async def test_database_path_that_is_a_folder_is_refused_before_connecting(tmp_path):
    code, _, err = await run_bot(tmp_path, DISCORD_TOKEN=TOKEN, DATABASE_PATH=str(tmp_path))
    assert code == 2
    assert err.startswith("cwgcop-bot: DATABASE_PATH=")
    assert "is a folder" in err
    assert len(err.strip().splitlines()) == 1


async def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    code, _, err = await run_bot(tmp_path, DISCORD_TOKEN=TOKEN, DATABASE_PATH=str(path), LOG_LEVEL="ERROR")
    assert code == 2
    assert "written by a newer version of the bot" in err
    assert "Traceback" not in err


@pytest.fixture
async def rejecting_discord():
    """A Discord-compatible API on 127.0.0.1 that rejects every token, as Discord does a bad one."""
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.path)
        return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/api/v10", seen
    finally:
        await runner.cleanup()


async def test_a_token_discord_rejects_is_one_clear_line_and_never_logged(tmp_path, rejecting_discord):
    api, seen = rejecting_discord
    code, out, err = await run_bot(
        tmp_path,
        DISCORD_TOKEN=TOKEN,
        DATABASE_PATH=str(tmp_path / "db.sqlite3"),
        DISCORD_API_BASE=api,
        LOG_LEVEL="DEBUG",
    )
    assert "/api/v10/users/@me" in seen, "the bot talked to the configured API base"
    assert code == 2
    assert "cwgcop-bot: Discord rejected DISCORD_TOKEN" in err
    assert "Traceback" not in err
    assert TOKEN not in err and TOKEN not in out
    assert TOKEN.split(".")[2] not in err, "not even part of the token"


async def test_backup_writes_a_consistent_copy(tmp_path):
    from storage.database import Database

    path = tmp_path / "live.sqlite3"
    db = await Database.open(path)
    await db.execute("INSERT INTO meta (key, value) VALUES ('hello', 'world')")
    # The bot keeps the database open while the backup runs.
    code, out, err = await run_bot(
        tmp_path, "backup", str(tmp_path / "backups" / "copy.sqlite3"), DATABASE_PATH=str(path)
    )
    await db.close()
    assert code == 0, err
    assert "Backed up" in out
    copy = sqlite3.connect(tmp_path / "backups" / "copy.sqlite3")
    assert copy.execute("SELECT value FROM meta WHERE key = 'hello'").fetchone() == ("world",)
    assert copy.execute("PRAGMA user_version").fetchone()[0] >= 1
    copy.close()


async def test_backup_of_a_missing_database_says_so(tmp_path):
    code, _, err = await run_bot(
        tmp_path, "backup", str(tmp_path / "copy.sqlite3"), DATABASE_PATH=str(tmp_path / "none.sqlite3")
    )
    assert code == 2
    assert "there is no database at" in err


async def run_until_ready_then_signal(tmp_path, sig, **extra_env: str) -> tuple[int, str, list[tuple[str, str]]]:
    """Start `python bot.py` against a loopback Discord, wait until ready, send ``sig``; return
    the exit status, everything it logged, and the REST calls the server saw."""
    from tests.loopback_discord import LoopbackDiscord

    discord_ = await LoopbackDiscord(TOKEN).start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        cwd=tmp_path,
        env=clean_env(
            DISCORD_TOKEN=TOKEN,
            DATABASE_PATH=str(tmp_path / "db" / "bot.sqlite3"),
            DISCORD_API_BASE=discord_.api_base,
            DISCORD_GATEWAY_URL=discord_.gateway_url,
            LOG_LEVEL="DEBUG",
            **extra_env,
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    lines: list[str] = []
    try:
        async with asyncio.timeout(60):
            while True:
                line = (await proc.stderr.readline()).decode()
                assert line, "the bot exited before it was ready:\n" + "".join(lines)
                lines.append(line)
                if "Ready as" in line:
                    break
        proc.send_signal(sig)
        async with asyncio.timeout(60):
            _, rest = await proc.communicate()
        err = "".join(lines) + rest.decode()
    finally:
        if proc.returncode is None:
            proc.kill()
        await discord_.stop()
    return proc.returncode, err, discord_.requests


async def test_a_real_process_starts_syncs_and_stops_cleanly_on_sigterm(tmp_path):
    """The whole program against a loopback Discord: log in, sync, ready, SIGTERM, clean exit."""
    code, err, requests = await run_until_ready_then_signal(tmp_path, signal.SIGTERM)
    assert code == 0, err
    assert ("PUT", "/applications/100000000000000001/commands") in requests, "commands were synced globally"
    assert "Received SIGTERM; shutting down" in err
    assert "Stopped cleanly" in err
    assert "Traceback" not in err
    assert TOKEN not in err and TOKEN.split(".")[2] not in err, "the token never reaches a log line"
    db = sqlite3.connect(tmp_path / "db" / "bot.sqlite3")
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'commands_hash:%'").fetchone()[0] == 1
    finally:
        db.close()


async def test_dev_guild_gets_the_commands_and_ctrl_c_stops_cleanly(tmp_path):
    guild = "123456789012345678"
    code, err, requests = await run_until_ready_then_signal(tmp_path, signal.SIGINT, DEV_GUILD_ID=guild)
    assert code == 0, err
    assert ("PUT", f"/applications/100000000000000001/guilds/{guild}/commands") in requests
    assert ("PUT", "/applications/100000000000000001/commands") not in requests, "not synced globally"
    assert "Received SIGINT; shutting down" in err
    assert "Stopped cleanly" in err
    assert "Traceback" not in err
