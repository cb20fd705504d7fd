"""Process settings: read once from the environment (and `.env`), validated into a frozen object.

This is the only module that reads ``os.environ``. Everything else receives a :class:`Settings`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_DATABASE_PATH = Path("data/cwgcop.sqlite3")
DEFAULT_WEB_HOST = "127.0.0.1"
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")

# A Discord bot token is three base64url parts separated by dots.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")


class ConfigError(Exception):
    """A setting is missing or malformed. The message names the variable and what is expected."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str = field(repr=False)
    database: Path = DEFAULT_DATABASE_PATH
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    api_base: str | None = None
    gateway_url: str | None = None
    # The optional calendar-feed web server (cogs/calendar): off while web_port is None.
    # 0 (tests, the benchmark) means any free port; WEB_PORT itself must be 1-65535.
    web_port: int | None = None
    web_host: str = DEFAULT_WEB_HOST
    public_base_url: str | None = None

    def __repr__(self) -> str:  # never show the token, even in a traceback or a debugger
        return (
            f"Settings(token='***', database={str(self.database)!r}, log_level={self.log_level!r}, "
            f"dev_guild_id={self.dev_guild_id!r}, api_base={self.api_base!r}, "
            f"gateway_url={self.gateway_url!r}, web_port={self.web_port!r}, web_host={self.web_host!r}, "
            f"public_base_url={self.public_base_url!r})"
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (default: ``os.environ``); raise :class:`ConfigError`."""
        env = os.environ if environ is None else environ

        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise ConfigError(
                "DISCORD_TOKEN is not set: put your bot token in .env (see .env.example) or in the environment."
            )
        if not _TOKEN_SHAPE.match(token):
            raise ConfigError(
                "DISCORD_TOKEN does not look like a Discord bot token (three dot-separated parts); "
                "copy it again from the Developer Portal, Bot page, 'Reset Token'."
            )

        web_port = _optional_port(env, "WEB_PORT")
        public_base_url = _optional_url(env, "PUBLIC_BASE_URL", ("http", "https"))
        if public_base_url and web_port is None:
            raise ConfigError(
                "PUBLIC_BASE_URL is set but WEB_PORT is not: set WEB_PORT to switch on the calendar feed's "
                "web server, or remove PUBLIC_BASE_URL."
            )
        return cls(
            token=token,
            database=_database_path(env.get("DATABASE_PATH", "").strip()),
            log_level=_log_level(env.get("LOG_LEVEL", "").strip()),
            dev_guild_id=_optional_snowflake(env, "DEV_GUILD_ID"),
            api_base=_optional_url(env, "DISCORD_API_BASE", ("http", "https")),
            gateway_url=_optional_url(env, "DISCORD_GATEWAY_URL", ("ws", "wss")),
            web_port=web_port,
            web_host=_web_host(env.get("WEB_HOST", "").strip()),
            public_base_url=public_base_url,
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def _database_path(raw: str) -> Path:
    path = Path(raw) if raw else DEFAULT_DATABASE_PATH
    if path.exists() and path.is_dir():
        raise ConfigError(f"DATABASE_PATH={raw} is a folder; give the path of a file, e.g. data/cwgcop.sqlite3.")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"DATABASE_PATH={path}: cannot create the folder {parent} ({exc.strerror}); choose a writable location."
        ) from None
    if not os.access(parent, os.W_OK):
        raise ConfigError(f"DATABASE_PATH={path}: the folder {parent} is not writable; choose another path.")
    return path


def _log_level(raw: str) -> str:
    if not raw:
        return "INFO"
    level = raw.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL={raw} is not a log level; use one of {', '.join(LOG_LEVELS)}.")
    return level


def _optional_snowflake(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 15 <= len(raw) <= 21:
        raise ConfigError(
            f"{name}={raw} is not a Discord server id; right-click the server with Developer Mode on "
            "and choose 'Copy Server ID' (a number of 17 to 20 digits)."
        )
    return int(raw)


def _optional_url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ConfigError(f"{name}={raw} is not a valid URL; expected {' or '.join(schemes)}://host[:port]/...")
    return raw.rstrip("/")


def _optional_port(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"{name}={raw} is not a TCP port; use a number from 1 to 65535, e.g. 8080.")
    return int(raw)


_HOST_SHAPE = re.compile(r"^[A-Za-z0-9.:_-]+$")


def _web_host(raw: str) -> str:
    if not raw:
        return DEFAULT_WEB_HOST
    if not _HOST_SHAPE.match(raw):
        raise ConfigError(
            f"WEB_HOST={raw} is not a host name or IP address; use e.g. 127.0.0.1 (behind a reverse proxy) or 0.0.0.0."
        )
    return raw


def database_path_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """Only DATABASE_PATH (for ``bot.py backup``, which needs no token)."""
    env = os.environ if environ is None else environ
    return _database_path(env.get("DATABASE_PATH", "").strip())
