"""The small web server that serves the calendar feeds (aiohttp, on the bot's own event loop).

Routes: ``GET|HEAD /calendar/<secret>.ics`` (the feed) and ``GET|HEAD /healthz`` (for the
operator: "ok" and nothing else). Everything else is a plain 404: no listing, no traceback, no
version banner. At most ``max_active`` feeds are built at once and ``max_waiting`` more wait
their turn; beyond that the answer is 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from cogs.calendar import _rules

log = logging.getLogger(__name__)
# aiohttp's own connection-level messages (a malformed request, a dropped connection) go here
# rather than to "aiohttp.server", through the filter below.
protocol_log = logging.getLogger(__name__ + ".http")

SERVER_NAME = "cwgcop"  # replaces aiohttp's "Python/3.x aiohttp/3.x" banner
MAX_ACTIVE = 8
MAX_WAITING = 100
RETRY_AFTER_S = 5


@dataclass(frozen=True, slots=True)
class ServedFeed:
    body: bytes
    etag: str
    last_modified: datetime


# secret → the feed, or None when no server has that secret (then 404).
FeedProvider = Callable[[str], Awaitable[ServedFeed | None]]
HealthCheck = Callable[[], Awaitable[bool]]


class MalformedRequestsQuietly(logging.Filter):
    """A malformed request (garbage, a request line longer than 8 KB...) is the internet's noise, not
    our bug: one INFO line without aiohttp's traceback, whose message quotes the start of the
    request line, secret included."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            record.msg, record.args = "Refused a malformed HTTP request (%s %s)", (exc.code, type(exc).__name__)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


protocol_log.addFilter(MalformedRequestsQuietly())


class BindError(Exception):
    """The server could not listen where it was told to; the message says where and why."""


class FeedServer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        feeds: FeedProvider,
        healthy: HealthCheck,
        max_active: int = MAX_ACTIVE,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self._feeds = feeds
        self._healthy = healthy
        self._slots = asyncio.Semaphore(max_active)
        self._admitted = 0
        self._bound = max_active + max_waiting
        self.app = web.Application(middlewares=[self._middleware])
        self.app.router.add_route("*", "/calendar/{name}", self._feed)
        self.app.router.add_route("*", "/healthz", self._health)
        self.app.on_response_prepare.append(self._headers)
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        # aiohttp's access log would write the secret; requests are logged by the middleware, redacted.
        self._runner = web.AppRunner(
            self.app, access_log=None, logger=protocol_log, handle_signals=False, shutdown_timeout=5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port, backlog=512)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            why = "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
            raise BindError(
                f"WEB_PORT={self.requested_port}, WEB_HOST={self.host}: cannot listen there ({why}); "
                "choose another WEB_PORT or WEB_HOST, or stop the program that uses it."
            ) from None
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("Calendar feed server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            log.info("Calendar feed server stopped")

    @property
    def local_base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- every request ---------------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # the router's 404/405 and the like: one plain 404
            response = _plain(503 if exc.status == 503 else 404)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Calendar feed request %s %s failed", request.method, _rules.redact(request.path))
            response = _plain(500)
        log.info("%s %s %s", request.method, _rules.redact(request.path), response.status)
        return response

    @staticmethod
    async def _headers(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Server"] = SERVER_NAME
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"

    # -- routes ----------------------------------------------------------------------------------
    async def _health(self, request: web.Request) -> web.Response:
        if request.method not in ("GET", "HEAD"):
            return _plain(404)
        ok = await self._healthy()
        response = web.Response(text="ok\n" if ok else "unavailable\n", status=200 if ok else 503)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _feed(self, request: web.Request) -> web.Response:
        secret = _rules.secret_from_name(request.match_info["name"])
        if request.method not in ("GET", "HEAD") or secret is None:
            return _plain(404)
        if self._admitted >= self._bound:
            response = _plain(503)
            response.headers["Retry-After"] = str(RETRY_AFTER_S)
            return response
        self._admitted += 1
        try:
            async with self._slots:
                feed = await self._feeds(secret)
        finally:
            self._admitted -= 1
        if feed is None:
            return _plain(404)
        headers = {
            "ETag": feed.etag,
            "Last-Modified": _rules.http_date(feed.last_modified),
            "Cache-Control": _rules.CACHE_CONTROL,
        }
        if _rules.not_modified(
            feed.etag,
            feed.last_modified,
            request.headers.get("If-None-Match"),
            request.headers.get("If-Modified-Since"),
        ):
            return web.Response(status=304, headers=headers)
        headers["Content-Type"] = _rules.CONTENT_TYPE
        # For HEAD, aiohttp sends these headers (Content-Length included) and no body.
        return web.Response(body=feed.body, headers=headers)


def _plain(status: int) -> web.Response:
    texts = {404: "Not found\n", 500: "Internal error\n", 503: "Busy, try again shortly\n"}
    response = web.Response(text=texts.get(status, ""), status=status)
    response.headers["Cache-Control"] = "no-store"
    return response
