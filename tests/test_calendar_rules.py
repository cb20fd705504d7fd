"""The calendar feed's pure rules and settings: secrets, redaction, conditional requests, WEB_* variables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cogs.calendar import _rules
from config.settings import ConfigError, Settings

TOKEN = "Xtest00000000000000000000.abcdef.fake-token-for-tests-only-xxxxxxxxxxxx"
T0 = datetime(2026, 12, 1, 15, 0, 0, tzinfo=UTC)


def test_secrets_are_long_random_and_matched_by_hash_then_in_constant_time():
    a, b = _rules.new_secret(), _rules.new_secret()
    assert a != b and len(a) == 43
    assert _rules.secret_from_name(f"{a}.ics") == a
    for name in (a, f"{a}.ics.bak", f"{a[:-1]}.ics", f"{a}x.ics", f"../{a}.ics", ".ics"):
        assert _rules.secret_from_name(name) is None, name
    assert _rules.secret_hash(a) != _rules.secret_hash(b) and len(_rules.secret_hash(a)) == 64
    assert _rules.secret_matches(a, a) and not _rules.secret_matches(a, b)


def test_redact_hides_anything_that_could_be_a_secret():
    s = _rules.new_secret()
    for path in (f"/calendar/{s}.ics", f"/calendar/{s}.ics.bak", f"/x/{s}/y", f"/calendar/{s[:20]}"):
        assert s[:16] not in _rules.redact(path), path
    assert _rules.redact(f"/calendar/{s}.ics") == "/calendar/[secret].ics"
    assert _rules.redact("/healthz") == "/healthz"
    assert len(_rules.redact("/" + "a/" * 500)) == 200


def test_links():
    url = _rules.feed_url("https://cal.example.org/", "S" * 43)
    assert url == "https://cal.example.org/calendar/" + "S" * 43 + ".ics"
    assert _rules.webcal_url(url) == "webcal://cal.example.org/calendar/" + "S" * 43 + ".ics"


def test_last_modified_always_moves_forward_by_whole_seconds():
    assert _rules.next_changed_at(None, T0 + timedelta(microseconds=900)) == T0
    assert _rules.next_changed_at(T0, T0 + timedelta(seconds=5)) == T0 + timedelta(seconds=5)
    # Two changes in the same second: the second one still gets a later Last-Modified.
    assert _rules.next_changed_at(T0, T0 + timedelta(microseconds=10)) == T0 + timedelta(seconds=1)
    assert _rules.next_changed_at(T0 + timedelta(seconds=3), T0) == T0 + timedelta(seconds=4)


@pytest.mark.parametrize(
    ("inm", "ims", "expected"),
    [
        (None, None, False),
        ('"abc"', None, True),
        ('W/"abc"', None, True),
        ('"x", "abc"', None, True),
        ("*", None, True),
        ('"x"', None, False),
        ('"x"', "Tue, 01 Dec 2026 15:00:00 GMT", False),  # If-None-Match wins
        (None, "Tue, 01 Dec 2026 15:00:00 GMT", True),
        (None, "Tue, 01 Dec 2026 16:00:00 GMT", True),
        (None, "Tue, 01 Dec 2026 14:59:59 GMT", False),
        (None, "yesterday", False),
    ],
)
def test_conditional_requests(inm, ims, expected):
    assert _rules.not_modified('"abc"', T0, inm, ims) is expected


def test_the_feed_is_deterministic():
    assert _rules.build_feed("CWG-COP meetings", []) == _rules.build_feed("CWG-COP meetings", [])
    assert _rules.etag_of(b"a") != _rules.etag_of(b"b")
    assert _rules.http_date(T0) == "Tue, 01 Dec 2026 15:00:00 GMT"


def test_web_variables_are_read(tmp_path):
    s = Settings.from_env(
        {
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
            "WEB_PORT": "8080",
            "WEB_HOST": "0.0.0.0",
            "PUBLIC_BASE_URL": "https://cal.example.org/",
        }
    )
    assert (s.web_port, s.web_host, s.public_base_url) == (8080, "0.0.0.0", "https://cal.example.org")
    off = Settings.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "db.sqlite3")})
    assert (off.web_port, off.web_host, off.public_base_url) == (None, "127.0.0.1", None)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"WEB_PORT": "http"}, "WEB_PORT=http is not a TCP port"),
        ({"WEB_PORT": "0"}, "WEB_PORT=0 is not a TCP port"),
        ({"WEB_PORT": "70000"}, "WEB_PORT=70000 is not a TCP port"),
        ({"WEB_PORT": "8080", "WEB_HOST": "my host"}, "WEB_HOST=my host is not a host name"),
        ({"WEB_PORT": "8080", "PUBLIC_BASE_URL": "cal.example.org"}, "PUBLIC_BASE_URL=cal.example.org is not a valid"),
        ({"PUBLIC_BASE_URL": "https://cal.example.org"}, "PUBLIC_BASE_URL is set but WEB_PORT is not"),
    ],
)
def test_bad_web_values_name_the_variable(env, names, tmp_path):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "db.sqlite3"), **env})
    assert names in str(info.value)
    assert "\n" not in str(info.value)
