"""Time rules shared by every feature: zones, offsets, local times, and how times are shown.

Pure: never imports discord. Instants are aware UTC datetimes; zones are IANA names.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import dates as babel_dates

from cogs.core import i18n
from cogs.core.errors import UserError

_, _n = i18n.translator("core").gettext, i18n.translator("core").ngettext

GENEVA = "Europe/Zurich"

# ---------------------------------------------------------------------------------------------
# Zones


@cache
def all_zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


@cache
def _known_zones() -> frozenset[str]:
    """available_timezones() reads the zone directory on every call: once per process is enough."""
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``, or a UserError saying how to write one."""
    cleaned = (name or "").strip()
    if cleaned.upper() == "UTC":
        return ZoneInfo("UTC")
    try:
        if cleaned in _known_zones():
            return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise UserError(
        _(
            "`{name}` is not a time zone I know. Use an IANA name such as `Europe/Zurich`, "
            "`America/New_York` or `Asia/Manila` (start typing and pick from the list).",
            name=name,
        )
    )


def zone_choices(current: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete: Geneva first when nothing is typed, else those containing the text."""
    text = current.strip().lower().replace(" ", "_")
    if not text:
        head = [GENEVA, "UTC", "Europe/London", "America/New_York", "Asia/Manila", "Africa/Nairobi"]
        return head[:limit]
    starts = [z for z in all_zones() if z.lower().startswith(text)]
    contains = [z for z in all_zones() if text in z.lower() and z not in starts]
    return (starts + contains)[:limit]


# ---------------------------------------------------------------------------------------------
# Offsets ("7d,1d,1h,10m")

_OFFSET_PART = re.compile(r"(\d+)\s*([wdhm])")
_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}
MAX_OFFSET = timedelta(weeks=8)
MIN_OFFSET = timedelta(minutes=1)


def parse_offset(text: str) -> timedelta:
    """``30m``, ``2h``, ``1d12h``, ``1w`` → timedelta; anything else is a UserError."""
    raw = text.strip().lower().replace(" ", "")
    if not raw or _OFFSET_PART.sub("", raw) != "":
        raise UserError(
            _(
                "`{offset}` is not a reminder offset. Write a number and a unit: "
                "`10m`, `2h`, `1d`, `1d12h` or `1w` (m = minutes, h = hours, d = days, w = weeks).",
                offset=text.strip() or " ",
            )
        )
    seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _OFFSET_PART.findall(raw))
    # Compared as a plain integer first: a timedelta of 10**20 weeks would overflow.
    if not MIN_OFFSET.total_seconds() <= seconds <= MAX_OFFSET.total_seconds():
        raise UserError(_("`{offset}` is out of range: offsets go from 1 minute to 8 weeks.", offset=text.strip()[:40]))
    return timedelta(seconds=seconds)


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """A comma-separated list, longest first, without repeats."""
    parts = [p for p in (text or "").split(",") if p.strip()]
    if not parts:
        raise UserError(_("Give at least one offset, e.g. `7d,1d,1h,10m`."))
    if len(parts) > 10:
        raise UserError(_("At most 10 offsets, please."))
    return tuple(sorted({parse_offset(p) for p in parts}, reverse=True))


def format_offset(delta: timedelta) -> str:
    """timedelta → the short form users type (``1d12h``)."""
    seconds = int(delta.total_seconds())
    out = []
    for unit in ("w", "d", "h", "m"):
        n, seconds = divmod(seconds, _UNIT_SECONDS[unit])
        if n:
            out.append(f"{n}{unit}")
    return "".join(out) or "0m"


def format_offsets(offsets: tuple[timedelta, ...]) -> str:
    return ",".join(format_offset(o) for o in offsets)


def describe_offset(delta: timedelta) -> str:
    """timedelta → words (``1 day 12 hours``)."""
    seconds = int(delta.total_seconds())
    words = []
    for unit in ("w", "d", "h", "m"):
        n, seconds = divmod(seconds, _UNIT_SECONDS[unit])
        if n:
            words.append(_unit_words(unit, n))
    return " ".join(words) or _unit_words("m", 0)


def _unit_words(unit: str, n: int) -> str:
    """``1 day``, ``12 hours`` (``2 дня``, ``5 дней``): one unit with its real plural."""
    if unit == "w":
        return _n("{n} week", "{n} weeks", n, n=n)
    if unit == "d":
        return _n("{n} day", "{n} days", n, n=n)
    if unit == "h":
        return _n("{n} hour", "{n} hours", n, n=n)
    return _n("{n} minute", "{n} minutes", n, n=n)


# ---------------------------------------------------------------------------------------------
# Local date and time input ("2026-01-12 10:00", ITU's "10.00")

_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_HOURS_WORD = re.compile(r"\s*(?:hours?|hrs?)\s*$", re.IGNORECASE)
_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*(?:hours?|hrs?)?\s*$", re.IGNORECASE)


# Years a meeting or a report can be about; beyond them, arithmetic on the date could overflow.
MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_date(text: str) -> date:
    match = _DATE.match(text or "")
    if match:
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
        else:
            if MIN_YEAR <= day.year <= MAX_YEAR:
                return day
            raise UserError(
                _("`{text}`: give a year between {low} and {high}.", text=text, low=MIN_YEAR, high=MAX_YEAR)
            )
    raise UserError(_("`{text}` is not a date. Write it as YYYY-MM-DD, e.g. `2027-01-26`.", text=text))


def parse_time(text: str) -> time:
    match = _TIME.match(text or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise UserError(_("`{text}` is not a time. Write it in 24-hour form: `14:30` or ITU's `14.30`.", text=text))


def parse_local(text: str, tz: ZoneInfo, *, base_date: date | None = None) -> datetime:
    """``YYYY-MM-DD HH:MM`` (or just ``HH:MM`` when ``base_date`` is given) in ``tz`` → UTC instant.

    A wall time that does not exist (spring-forward gap) or happens twice (autumn fold) is refused:
    guessing would put a meeting an hour off for everyone.
    """
    raw = _HOURS_WORD.sub("", (text or "").strip())  # ITU's "10.00 hours"
    parts = raw.split()
    if len(parts) == 2:
        day, clock = parse_date(parts[0]), parse_time(parts[1])
    elif len(parts) == 1 and base_date is not None and not _DATE.match(raw):
        day, clock = base_date, parse_time(parts[0])
    else:
        if base_date is not None:
            raise UserError(
                _(
                    "`{text}` is not a date and time. Write `YYYY-MM-DD HH:MM` or just `HH:MM`, e.g. "
                    "`2027-01-26 10:00`.",
                    text=raw,
                )
            )
        raise UserError(
            _("`{text}` is not a date and time. Write `YYYY-MM-DD HH:MM`, e.g. `2027-01-26 10:00`.", text=raw)
        )
    naive = datetime.combine(day, clock)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Both folds differ: either the time is skipped (gap) or happens twice (fold).
        if _roundtrips(first):
            raise UserError(
                _(
                    "{date} {time} happens twice in {zone} (clocks go back that night); "
                    "choose a time outside that hour, or give the time in UTC.",
                    date=day.isoformat(),
                    time=f"{clock:%H:%M}",
                    zone=tz.key,
                )
            )
        raise UserError(
            _(
                "{date} {time} does not exist in {zone} (clocks go forward that night); choose another time.",
                date=day.isoformat(),
                time=f"{clock:%H:%M}",
                zone=tz.key,
            )
        )
    return first.astimezone(UTC)


def _roundtrips(local: datetime) -> bool:
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None)


def calendar_days_before(instant: datetime, days: int, tz_name: str = GENEVA) -> datetime:
    """``days`` calendar days before ``instant`` at the same wall-clock time in ``tz_name``.

    ITU deadlines count calendar days (Council Decision 556): 12 days before a 10.00 opening is
    10.00 local time, also when a DST change falls in between (then it is 288 h ± 1 h).
    """
    tz = ZoneInfo(tz_name)
    local = instant.astimezone(tz).replace(tzinfo=None) - timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# Display

_STYLES = frozenset("tTdDfFR")


def discord_ts(instant: datetime, style: str = "F") -> str:
    """Discord's ``<t:UNIX:F>`` markup: every reader sees it in their own time zone."""
    if style not in _STYLES:
        raise ValueError(style)
    return f"<t:{int(instant.timestamp())}:{style}>"


def when_line(instant: datetime) -> str:
    """``<t:..:F> (<t:..:R>)``."""
    return f"{discord_ts(instant, 'F')} ({discord_ts(instant, 'R')})"


def place_words(tz_name: str) -> str:
    """``Geneva time`` / ``heure de Genève``; another zone by its city: ``New York time``.

    The city as the language writes it (CLDR's exemplar city, through Babel: ``Nueva York``,
    ``Нью-Йорк``, ``纽约``, ``نيويورك``), else as its IANA name spells it.
    """
    if tz_name == GENEVA:
        return _("Geneva time")
    city = tz_name.split("/")[-1].replace("_", " ")
    if i18n.current() != i18n.SOURCE:
        with contextlib.suppress(LookupError, ValueError):  # a zone CLDR does not know: its IANA name
            found = babel_dates.get_timezone_location(tz_name, locale=i18n.babel_locale(), return_city=True)
            if found and "/" not in found:  # Babel falls back to "Argentina/Buenos Aires" for 3-part names
                city = found
    return _("{zone} time", zone=city)


def _day(local: datetime) -> str:
    """``26 January 2027`` in English (ITU style), else the language's long date (Babel)."""
    if i18n.current() == i18n.SOURCE:
        return f"{local.day} {local:%B %Y}"
    return i18n.format_date(local.date(), "long")


def _clock(local: datetime) -> str:
    """``10.00`` in English (ITU style), else the language's short time (Babel): ``10:00``."""
    if i18n.current() == i18n.SOURCE:
        return f"{local:%H.%M}"
    return i18n.format_time(local, zone=local.tzinfo)  # type: ignore[arg-type]


# Zones that are UTC itself: named "UTC", never "UTC time" or a city.
_UTC_NAMES = frozenset({"UTC", "ETC/UTC", "GMT", "ETC/GMT", "UCT", "ETC/UCT", "UNIVERSAL", "ETC/UNIVERSAL", "ZULU"})
_OFFSET_NAME = re.compile(r"^[+-]\d{2}(\d{2})?$")


def is_utc(tz_name: str) -> bool:
    return tz_name.upper() in _UTC_NAMES


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f".{rest:02d}" if rest else "")


def zone_abbreviation(tz_name: str, instant: datetime) -> str:
    """``CET``, ``EST``; ``UTC+4`` for a zone without a common abbreviation (tzdata writes ``+04``)."""
    local = instant.astimezone(ZoneInfo(tz_name))
    abbreviation = local.tzname() or ""
    if not abbreviation or _OFFSET_NAME.match(abbreviation):
        abbreviation = _offset(local.utcoffset())
    return abbreviation


def itu_time(instant: datetime, tz_name: str = GENEVA) -> str:
    """ITU's way: ``26 January 2027, 10.00 hours Geneva time (CET)``; ``..., 09.00 hours UTC``.

    In another language the date and time follow its conventions (Babel) and the zone is still stated:
    ``26 janvier 2027 à 10:00 (heure de Genève, CET)``.
    """
    local = instant.astimezone(ZoneInfo(tz_name))
    if is_utc(tz_name):
        return _("{date}, {time} hours UTC", date=_day(local), time=_clock(local))
    return _(
        "{date}, {time} hours {place} ({abbreviation})",
        date=_day(local),
        time=_clock(local),
        place=place_words(tz_name),
        abbreviation=zone_abbreviation(tz_name, instant),
    )


def itu_span(start: datetime, end: datetime, tz_name: str = GENEVA) -> str:
    """``26 January 2027, 10.00-17.30 hours Geneva time (CET)`` (dates repeated if it spans days)."""
    tz = ZoneInfo(tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    if a.date() == b.date():
        times = {"date": _day(a), "start": _clock(a), "end": _clock(b)}
        if is_utc(tz_name):
            return _("{date}, {start}-{end} hours UTC", **times)
        return _(
            "{date}, {start}-{end} hours {place} ({abbreviation})",
            place=place_words(tz_name),
            abbreviation=zone_abbreviation(tz_name, start),
            **times,
        )
    times = {"start_date": _day(a), "start": _clock(a), "end_date": _day(b), "end": _clock(b)}
    if is_utc(tz_name):
        return _("{start_date}, {start} hours to {end_date}, {end} hours UTC", **times)
    return _(
        "{start_date}, {start} hours to {end_date}, {end} hours {place} ({abbreviation})",
        place=place_words(tz_name),
        abbreviation=zone_abbreviation(tz_name, start),
        **times,
    )


def _english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal(n: int) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th, 19 → 19th, 22 → 22nd (English).

    In another language, the ordinal that goes with its word for "meeting" (:func:`cogs.core.i18n.meeting_ordinal`):
    ``19e`` (réunion), ``19.ª`` (reunión), ``19-е`` (собрание); Chinese and Arabic the plain number, which
    their catalogs place (``第19次会议``, ``الاجتماع 19``).
    """
    if i18n.current() == i18n.SOURCE:
        return _english_ordinal(n)
    return i18n.meeting_ordinal(n)


_ONES = (
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
)
_TENS_CARD = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
_TENS_ORD = {k: v[:-1] + "ieth" for k, v in _TENS_CARD.items()}


def ordinal_words(n: int) -> str:
    """19 → nineteenth, 21 → twenty-first (as in the Chair's report); 100 and more → 100th."""
    if 0 <= n < 20:
        return _ONES[n]
    if 20 <= n < 100:
        tens, ones = divmod(n, 10)
        return _TENS_ORD[tens] if ones == 0 else f"{_TENS_CARD[tens]}-{_ONES[ones]}"
    return _english_ordinal(n)
