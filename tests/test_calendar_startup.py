"""`python bot.py` with the calendar feed's web server: it serves while the bot runs, stops with
it, and a port it cannot bind is one clear line at start-up (exit status 2, no traceback)."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys

import aiohttp

import tests.test_startup as startup
from tests.loopback_discord import LoopbackDiscord


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_port_in_use_is_one_clear_line_and_exit_2(tmp_path):
    discord_ = await LoopbackDiscord(startup.TOKEN).start()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            code, out, err = await startup.run_bot(
                tmp_path,
                DISCORD_TOKEN=startup.TOKEN,
                DATABASE_PATH=str(tmp_path / "db.sqlite3"),
                DISCORD_API_BASE=discord_.api_base,
                DISCORD_GATEWAY_URL=discord_.gateway_url,
                WEB_PORT=str(port),
                LOG_LEVEL="ERROR",
            )
        finally:
            await discord_.stop()
    assert code == 2, err
    assert err.strip() == (
        f"cwgcop-bot: WEB_PORT={port}, WEB_HOST=127.0.0.1: cannot listen there (the port is already in use); "
        "choose another WEB_PORT or WEB_HOST, or stop the program that uses it."
    )
    assert "Traceback" not in err and out == ""


async def test_the_server_lives_and_stops_with_the_bot(tmp_path):
    discord_ = await LoopbackDiscord(startup.TOKEN).start()
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(startup.ROOT / "bot.py"),
        cwd=tmp_path,
        env=startup.clean_env(
            DISCORD_TOKEN=startup.TOKEN,
            DATABASE_PATH=str(tmp_path / "db.sqlite3"),
            DISCORD_API_BASE=discord_.api_base,
            DISCORD_GATEWAY_URL=discord_.gateway_url,
            WEB_PORT=str(port),
            LOG_LEVEL="INFO",
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
        assert f"Calendar feed server listening on 127.0.0.1:{port}" in "".join(lines)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as r:
            assert (r.status, await r.text()) == (200, "ok\n")
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(60):
            _, rest = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
        await discord_.stop()
    err = "".join(lines) + rest.decode()
    assert proc.returncode == 0, err
    assert "Calendar feed server stopped" in err
    assert err.index("Calendar feed server stopped") < err.index("Stopped cleanly"), "stopped before the database"
    assert "Traceback" not in err
    with socket.socket() as s:  # the port is free again
        s.bind(("127.0.0.1", port))


async def test_a_bad_web_port_is_one_clear_line_before_connecting(tmp_path):
    code, out, err = await startup.run_bot(
        tmp_path, DISCORD_TOKEN=startup.TOKEN, DATABASE_PATH=str(tmp_path / "db.sqlite3"), WEB_PORT="eighty"
    )
    assert code == 2
    assert err.strip() == "cwgcop-bot: WEB_PORT=eighty is not a TCP port; use a number from 1 to 65535, e.g. 8080."
    assert out == ""
