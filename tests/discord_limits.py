"""Discord's rate limits and interaction deadline, modelled around simcord's HTTP layer.

simcord answers the bot's REST calls in-process by overriding discord.py's ``HTTPClient.request``,
which also skips discord.py's own rate-limit handling. :func:`install` puts that handling back: every
REST call runs through discord.py's real ``HTTPClient.request`` (its per-bucket locks, pre-emptive
waits on ``X-RateLimit-Remaining: 0``, retries after a 429, the global lock), whose aiohttp session is
replaced by :class:`LimitedSession`. The session answers as Discord does:

- **per-channel buckets** for message writes (create, edit, delete, pin, unpin): ``per_channel``
  writes per ``window`` seconds per channel (Discord: 5 per 5 s), with ``X-RateLimit-Limit``,
  ``-Remaining``, ``-Reset``, ``-Reset-After``, ``-Bucket`` on every answer; one more write in the
  window is answered **429** with ``{"message", "retry_after", "global": false}`` and the
  ``Retry-After`` and ``X-RateLimit-Scope: user`` headers;
- a **global limit** of ``global_per_second`` requests per second over every REST call (Discord: 50),
  answered 429 with ``"global": true`` and ``X-RateLimit-Global``;
- the **interaction deadline**: the first response to an interaction (reply, defer, modal) that comes
  more than ``deadline`` seconds after the interaction was created is refused with 404 **10062
  Unknown interaction**, as Discord does (the member saw "The application did not respond").

Behind the answers, simcord's backend does the work (the message exists once it was created, whatever
happens to the answer). :attr:`Limits.stall` makes the answer to a chosen write never arrive (the
request hangs in a sleep that simcord treats as parked), to stop a bot between Discord's post and its
own bookkeeping, as a crash would.

The model counts what it saw: :attr:`Limits.writes` (channel id → message writes done), 429s,
expired interactions, and for each interaction the instant of its first and last answer (the bench
reads acknowledgement and final-answer times from them). Clocks are the real monotonic clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.http import HTTPClient, Route
from multidict import CIMultiDict
from simcord.backend.errors import BackendError
from simcord.backend.ops.base import BackendBase
from simcord.http import client as simcord_client
from simcord.http import router

_WRITE = re.compile(r"^/channels/(\d+)/(?:messages(?:/\d+)?|pins/\d+|messages/pins/\d+)$")
_CALLBACK = re.compile(r"^/interactions/(\d+)/[^/]+/callback$")
_FOLLOWUP = re.compile(r"^/webhooks/\d+/([^/]+)(?:/messages/[^/]+)?$")

_call: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("discord_limits_call")


@dataclass
class _Bucket:
    limit: int
    window: float
    used: int = 0
    resets_at: float = 0.0

    def take(self, now: float) -> float:
        """0 if a request may go now (and count it), else the seconds until the window resets."""
        if now >= self.resets_at:
            self.used, self.resets_at = 0, now + self.window
        if self.used >= self.limit:
            return self.resets_at - now
        self.used += 1
        return 0.0


@dataclass
class Limits:
    per_channel: int = 5
    window: float = 5.0
    global_per_second: int = 50
    deadline: float = 3.0
    # Also record the channel writes' instants (channel id, clock()) for the bench.
    log: list[tuple[int, float]] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    # What was seen.
    writes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    rate_limited: int = 0  # 429 answers (bucket and global)
    created: dict[int, float] = field(default_factory=dict)  # interaction id → creation instant
    first_answer: dict[int, float] = field(default_factory=dict)
    last_answer: dict[int, float] = field(default_factory=dict)
    expired: list[int] = field(default_factory=list)  # interactions refused with 10062
    # A predicate on (channel id, write number in that channel): the answer to that write never comes.
    stall: Callable[[int, int], bool] | None = None
    stalled: list[int] = field(default_factory=list)  # channel ids of stalled writes
    _buckets: dict[int, _Bucket] = field(default_factory=dict)
    _global: _Bucket | None = None
    _tokens: dict[str, int] = field(default_factory=dict)  # interaction token → interaction id

    @classmethod
    def unlimited(cls) -> Limits:
        """No limit and no deadline: the same path and the same records, for a comparison."""
        return cls(per_channel=10**9, window=1.0, global_per_second=10**9, deadline=float("inf"))

    def reset_counts(self) -> None:
        self.log.clear()
        self.writes.clear()
        self.rate_limited = 0
        self.first_answer.clear()
        self.last_answer.clear()
        self.created.clear()
        self.expired.clear()

    def total_writes(self, *channel_ids: int) -> int:
        return sum(n for c, n in self.writes.items() if not channel_ids or c in channel_ids)

    # -- the REST side ---------------------------------------------------------------------------
    def admit(self, method: str, path: str) -> tuple[int, dict[str, Any], CIMultiDict[str]] | None:
        """None if Discord would take the request now; else the 429 it answers."""
        now = self.clock()
        if self._global is None:
            self._global = _Bucket(self.global_per_second, 1.0)
        wait = self._global.take(now)
        if wait:
            return self._too_many(wait, scope="global")
        match = _WRITE.match(path) if method in ("POST", "PATCH", "DELETE", "PUT") else None
        if match is None:
            return None
        channel_id = int(match.group(1))
        bucket = self._buckets.setdefault(channel_id, _Bucket(self.per_channel, self.window))
        wait = bucket.take(now)
        if wait:
            return self._too_many(wait, scope="user", bucket=bucket)
        return None

    def headers_for(self, method: str, path: str) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict({"Content-Type": "application/json", "Via": "1.1 google"})
        match = _WRITE.match(path) if method in ("POST", "PATCH", "DELETE", "PUT") else None
        if match is not None:
            bucket = self._buckets[int(match.group(1))]
            headers.update(self._bucket_headers(bucket))
        return headers

    def _bucket_headers(self, bucket: _Bucket) -> dict[str, str]:
        now = self.clock()
        after = max(bucket.resets_at - now, 0.0)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(bucket.limit - bucket.used, 0)),
            "X-RateLimit-Reset": f"{time.time() + after:.3f}",
            "X-RateLimit-Reset-After": f"{after:.3f}",
            "X-RateLimit-Bucket": "channel-messages-write",
        }

    def _too_many(
        self, wait: float, *, scope: str, bucket: _Bucket | None = None
    ) -> tuple[int, dict[str, Any], CIMultiDict[str]]:
        self.rate_limited += 1
        retry_after = max(math.ceil(wait * 1000) / 1000, 0.001)  # Discord answers in whole milliseconds
        headers: CIMultiDict[str] = CIMultiDict(
            {
                "Content-Type": "application/json",
                "Via": "1.1 google",
                "Retry-After": str(max(1, int(wait + 0.999))),
                "X-RateLimit-Scope": scope,
            }
        )
        if bucket is not None:
            headers.update(self._bucket_headers(bucket))
        if scope == "global":
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": scope == "global"}
        return 429, body, headers

    # -- the interaction side --------------------------------------------------------------------
    def interaction_created(self, interaction_id: int, token: str) -> None:
        self.created[interaction_id] = self.clock()
        self._tokens[token] = interaction_id

    def answering(self, path: str) -> None:
        """Called before an interaction response or followup is processed; raises 10062 when late."""
        now = self.clock()
        callback = _CALLBACK.match(path)
        if callback is not None:
            interaction_id = int(callback.group(1))
            created = self.created.get(interaction_id)
            if created is not None and interaction_id not in self.first_answer and now - created > self.deadline:
                self.expired.append(interaction_id)
                raise BackendError(404, 10062, "Unknown interaction")
            self.first_answer.setdefault(interaction_id, now)
            self.last_answer[interaction_id] = now
            return
        followup = _FOLLOWUP.match(path)
        if followup is not None and followup.group(1) in self._tokens:
            self.last_answer[self._tokens[followup.group(1)]] = now


class _Response:
    """Just enough of an aiohttp response for discord.py's request loop."""

    def __init__(self, status: int, body: Any, headers: CIMultiDict[str]) -> None:
        self.status = status
        self.reason = {200: "OK", 204: "No Content", 429: "Too Many Requests", 404: "Not Found"}.get(status, "")
        self.headers = headers
        self._text = "" if body is None else json.dumps(body)

    async def text(self, encoding: str = "utf-8") -> str:
        return self._text

    async def __aenter__(self) -> _Response:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class LimitedSession:
    """The aiohttp session discord.py's HTTPClient talks to: simcord's backend behind Discord's limits."""

    def __init__(self, limits: Limits, http: Any) -> None:
        self.limits = limits
        self.http = http

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        return self._answer(method, url)

    @contextlib.asynccontextmanager
    async def _answer(self, method: str, url: str) -> Any:
        call = _call.get()
        path = simcord_client._path_of(url)
        refused = self.limits.admit(method, path)
        if refused is not None:
            yield _Response(*refused)
            return
        match = _WRITE.match(path) if method in ("POST", "PATCH", "DELETE", "PUT") else None
        try:
            data = router.dispatch(
                self.http.backend,
                method,
                path,
                json=call["json"],
                params=call["params"],
                files=call["files"],
                reason=call["reason"],
                message_content_access=self.http.message_content_access,
            )
            status = 200 if data is not None else 204
        except BackendError as error:
            data, status = error.to_json(), error.status
        if match is not None and status < 300:
            channel_id = int(match.group(1))
            self.limits.writes[channel_id] += 1
            self.limits.log.append((channel_id, self.limits.clock()))
            if self.limits.stall is not None and self.limits.stall(channel_id, self.limits.writes[channel_id]):
                # Done at Discord, but the answer never reaches the bot (a crash right now).
                self.limits.stalled.append(channel_id)
                await asyncio.sleep(3600)
        headers = self.limits.headers_for(method, path)
        if data is None:
            del headers["Content-Type"]  # 204 No Content: no body, no type, as Discord answers
        yield _Response(status, data, headers)


async def _limited_request(self: Any, route: Route, *, files: Any = None, form: Any = None, **kwargs: Any) -> Any:
    limits: Limits = self._discord_limits
    payload = kwargs.get("json")
    file_list = list(files or [])
    if form is not None:
        parsed, file_list = router.parse_form(list(form), file_list)
        if parsed is not None:
            payload = parsed
    if not isinstance(getattr(self, "_HTTPClient__session", None), LimitedSession):
        self._HTTPClient__session = LimitedSession(limits, self)
        self._global_over = asyncio.Event()  # what discord.py's static_login (skipped by simcord) sets up
        self._global_over.set()
    token = _call.set(
        {"json": payload, "params": kwargs.get("params"), "files": file_list, "reason": kwargs.get("reason")}
    )
    try:
        # discord.py's own request loop: buckets, pre-emptive waits, 429 retries, the global lock.
        return await HTTPClient.request(self, route, files=files, form=form, **kwargs)
    finally:
        _call.reset(token)


@contextlib.contextmanager
def install(limits: Limits) -> Iterator[Limits]:
    """Apply ``limits`` to every simcord environment (and bot generation) while the block runs."""
    original_request = simcord_client.FakeHTTPClient.request
    original_adapter = simcord_client.FakeWebhookAdapter.request
    original_emit = BackendBase.emit

    async def request(self: Any, route: Route, **kwargs: Any) -> Any:
        self._discord_limits = limits
        return await _limited_request(self, route, **kwargs)

    async def adapter_request(self: Any, route: Any, session: Any, **kwargs: Any) -> Any:
        try:
            limits.answering(simcord_client._path_of(route.url))
        except BackendError as error:
            simcord_client._raise_for(error)
        return await original_adapter(self, route, session, **kwargs)

    def emit(self: Any, event: str, payload: Any) -> None:
        if event == "INTERACTION_CREATE":
            limits.interaction_created(int(payload["id"]), str(payload["token"]))
        original_emit(self, event, payload)

    simcord_client.FakeHTTPClient.request = request  # type: ignore[method-assign]
    simcord_client.FakeWebhookAdapter.request = adapter_request  # type: ignore[method-assign]
    BackendBase.emit = emit  # type: ignore[method-assign]
    try:
        yield limits
    finally:
        simcord_client.FakeHTTPClient.request = original_request  # type: ignore[method-assign]
        simcord_client.FakeWebhookAdapter.request = original_adapter  # type: ignore[method-assign]
        BackendBase.emit = original_emit  # type: ignore[method-assign]


def is_unknown_interaction(error: BaseException) -> bool:
    return isinstance(error, discord.NotFound) and error.code == 10062
