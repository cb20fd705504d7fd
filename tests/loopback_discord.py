"""A tiny Discord-compatible server on 127.0.0.1: just enough REST and gateway for a real
`python bot.py` process to log in, sync its commands, become ready and shut down.

Used by the process-level tests and the start-up benchmark. It accepts one token and rejects
others with 401, as Discord does.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

APP_ID = "100000000000000001"
BOT_USER = {
    "id": APP_ID,
    "username": "CWG-COP",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "flags": 0,
}


def _json(data: object, status: int = 200) -> web.Response:
    # discord.py only parses bodies whose Content-Type is exactly application/json, as Discord sends.
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


@dataclass
class LoopbackDiscord:
    token: str
    requests: list[tuple[str, str]] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    authorizations: list[str] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> LoopbackDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- REST ----------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        self.requests.append((request.method, path))
        auth = request.headers.get("Authorization", "")
        self.authorizations.append(auth)
        if auth != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        if path == "/users/@me":
            return _json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return _json(
                {
                    "id": APP_ID,
                    "name": "CWG-COP",
                    "icon": None,
                    "description": "",
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "verify_key": "0" * 64,
                    "flags": 0,
                    "owner": BOT_USER,
                    "team": None,
                    "summary": "",
                    "rpc_origins": [],
                }
            )
        if path.startswith(f"/applications/{APP_ID}/") and path.endswith("/commands") and request.method == "PUT":
            body = await request.json()
            return _json(
                [
                    {**c, "id": str(200000000000000000 + i), "application_id": APP_ID, "version": "1"}
                    for i, c in enumerate(body)
                ]
            )
        if path == "/gateway/bot" or path == "/gateway":
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
                }
            )
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    # -- gateway -------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        seq = 0
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:  # heartbeat
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif payload["op"] == 2:  # identify
                self.identified.set()
                seq += 1
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [],
                    "session_id": "loopback-session",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": APP_ID, "flags": 0},
                    "private_channels": [],
                    "relationships": [],
                    "user_settings": {},
                    "presences": [],
                    "shard": [0, 1],
                }
                await ws.send_str(json.dumps({"op": 0, "d": ready, "s": seq, "t": "READY"}))
        return ws
