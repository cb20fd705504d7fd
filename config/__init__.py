"""Process configuration (environment and .env). Per-guild settings live in the database."""

from config.settings import ConfigError, Settings, database_path_from_env

__all__ = ["ConfigError", "Settings", "database_path_from_env"]
