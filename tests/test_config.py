"""Process settings: every variable validated once, with one clear message naming it."""

from pathlib import Path

import pytest

from config.settings import DEFAULT_DATABASE_PATH, ConfigError, Settings

TOKEN = "Xtest00000000000000000000.abcdef.fake-token-for-tests-only-xxxxxxxxxxxx"


def test_minimal_environment_gets_the_documented_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = Settings.from_env({"DISCORD_TOKEN": TOKEN})
    assert s.token == TOKEN
    assert s.database == DEFAULT_DATABASE_PATH
    assert (tmp_path / "data").is_dir(), "the database folder is created"
    assert s.log_level == "INFO"
    assert s.dev_guild_id is None and s.api_base is None and s.gateway_url is None


def test_every_variable_is_read(tmp_path):
    s = Settings.from_env(
        {
            "DISCORD_TOKEN": f"  {TOKEN} ",
            "DATABASE_PATH": str(tmp_path / "deep" / "x.sqlite3"),
            "LOG_LEVEL": "debug",
            "DEV_GUILD_ID": "123456789012345678",
            "DISCORD_API_BASE": "http://127.0.0.1:8080/api/v10/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:8080/",
        }
    )
    assert s.token == TOKEN
    assert s.database == tmp_path / "deep" / "x.sqlite3"
    assert (tmp_path / "deep").is_dir()
    assert s.log_level == "DEBUG"
    assert s.dev_guild_id == 123456789012345678
    assert s.api_base == "http://127.0.0.1:8080/api/v10"
    assert s.gateway_url == "ws://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DISCORD_TOKEN": ""}, "DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "   "}, "DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "hunter2"}, "DISCORD_TOKEN does not look like"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL=LOUD is not a log level"),
        ({"DEV_GUILD_ID": "my-server"}, "DEV_GUILD_ID=my-server is not a Discord server id"),
        ({"DEV_GUILD_ID": "12"}, "DEV_GUILD_ID=12 is not a Discord server id"),
        ({"DISCORD_API_BASE": "discord.com"}, "DISCORD_API_BASE=discord.com is not a valid URL"),
        ({"DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL=http://x is not a valid URL"),
    ],
)
def test_bad_values_name_the_variable(env, names, tmp_path):
    full = {"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "db.sqlite3"), **env}
    with pytest.raises(ConfigError) as info:
        Settings.from_env(full)
    assert names in str(info.value)
    assert "\n" not in str(info.value)


def test_database_path_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        Settings.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path)})


def test_database_folder_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="cannot create the folder"):
        Settings.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(blocker / "sub" / "db.sqlite3")})


def test_the_token_never_shows_in_repr_or_str():
    s = Settings(token=TOKEN, database=Path("x.sqlite3"))
    assert TOKEN not in repr(s)
    assert TOKEN not in str(s)
    assert "***" in repr(s)
