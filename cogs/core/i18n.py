"""Languages: gettext catalogs per feature, the current language, locale-aware formatting.

Pure: never imports discord (the Discord side is in :mod:`cogs.core.i18n_discord`).

Each feature keeps ``cogs/<feature>/locales/<lang>.po`` (msgid = the English text; English needs
no file). A feature's module creates one :class:`Translator` and uses its ``_`` and ``_n``::

    T = translator("attendance")
    _, _n = T.gettext, T.ngettext

    _("Your delegation is now **{name}** ({type}).", name=shown, type=label)
    _n("{n} participant", "{n} participants", count, n=count)

The language is the one of the interaction being answered (a context variable set for every
interaction before feature code runs) or the one given with ``with locale("fr"):``. The ``.po``
files are read at start-up with Babel and compiled in memory (``write_mo``): fuzzy entries are
left out (they fall back to English) and stay marked fuzzy in the file. Plural forms follow the
catalog's ``Plural-Forms`` header, which ``tools/i18n.py`` writes from Babel's CLDR data (Arabic
six forms, Russian three).
"""

from __future__ import annotations

import gettext as _gettext
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from babel import units as babel_units
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

SOURCE = "en"
LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")  # ITU's order
TRANSLATED: tuple[str, ...] = tuple(code for code in LANGUAGES if code != SOURCE)
# Each language named in its own script (the /language choices, /setup show).
NATIVE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RTL = frozenset({"ar"})
GENEVA = ZoneInfo("Europe/Zurich")

COGS = Path(__file__).resolve().parent.parent

_current: ContextVar[str] = ContextVar("cwgcop_language", default=SOURCE)


# ---------------------------------------------------------------------------------------------
# Which language


def current() -> str:
    """The language the bot is speaking now (the interaction's, or the one set by ``locale``)."""
    return _current.get()


def set_current(language: str) -> None:
    """Set the language for the rest of this task (the interaction dispatcher does this)."""
    _current.set(language if language in LANGUAGES else SOURCE)


@contextmanager
def locale(language: str) -> Iterator[str]:
    """Render in ``language`` inside the block (documents, public posts, DMs from scheduled jobs)."""
    token = _current.set(language if language in LANGUAGES else SOURCE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def from_discord_locale(code: str | None) -> str | None:
    """Our language for a Discord client locale: ``fr``, ``es-ES``/``es-419`` → es, ``zh-TW`` → zh ...

    None for a locale none of the six languages covers (Discord's client has no Arabic).
    """
    if not code:
        return None
    base = str(code).split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def parse_languages(text: str) -> tuple[str, ...]:
    """``"fr, en"`` → ``("fr", "en")``; raises ValueError naming what is not one of the six."""
    codes: list[str] = []
    for part in text.replace(";", ",").split(","):
        code = part.strip().lower()
        if not code:
            continue
        if code not in LANGUAGES:
            raise ValueError(part.strip())
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def stored_languages(text: str | None) -> tuple[str, ...]:
    """The server's languages as stored (``"fr,en"``), tolerant of anything odd: never empty."""
    codes = tuple(c for c in (text or "").split(",") if c in LANGUAGES)
    return codes or (SOURCE,)


def resolve(member_choice: str | None, client_locale: str | None, server_languages: Sequence[str]) -> str:
    """The language to answer a member in: their own choice, else their client's, else the server's first."""
    if member_choice in LANGUAGES:
        return member_choice  # type: ignore[return-value]
    from_client = from_discord_locale(client_locale)
    if from_client is not None:
        return from_client
    return next((code for code in server_languages if code in LANGUAGES), SOURCE)


# ---------------------------------------------------------------------------------------------
# Catalogs


def load_po(path: Path) -> _gettext.GNUTranslations:
    """Read a .po file with Babel and compile it in memory (no .mo committed). Fuzzy entries are left out."""
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


_ENGLISH = _gettext.NullTranslations()  # English: the msgids themselves, n == 1 singular


class Translator:
    """One feature's catalogs (``cogs/<feature>/locales/<lang>.po``), loaded once at import."""

    registry: dict[str, Translator] = {}

    def __init__(self, feature: str, directory: Path | None = None) -> None:
        self.feature = feature
        self.directory = directory or COGS / feature / "locales"
        self.catalogs: dict[str, _gettext.GNUTranslations] = {}
        self.reload()
        Translator.registry[feature] = self

    def reload(self) -> None:
        self.catalogs = {}
        for code in TRANSLATED:
            path = self.directory / f"{code}.po"
            if path.exists():
                self.catalogs[code] = load_po(path)

    def _catalog(self, language: str | None) -> _gettext.NullTranslations | None:
        return self.catalogs.get(language or current())

    def gettext(self, msgid: str, /, *, in_language: str | None = None, **kwargs: Any) -> str:
        """The translation of ``msgid`` in the current language (English if none), formatted with kwargs.

        ``in_language`` overrides the current language (a name no placeholder uses).
        """
        catalog = self._catalog(in_language)
        text = catalog.gettext(msgid) if catalog is not None else msgid
        return text.format(**kwargs) if kwargs else text

    def ngettext(self, singular: str, plural: str, n: int, /, *, in_language: str | None = None, **kwargs: Any) -> str:
        """The plural form for ``n`` (CLDR rules of the language), formatted with kwargs (``n`` included)."""
        catalog = self._catalog(in_language)
        if catalog is None:
            catalog = _ENGLISH
        text = catalog.ngettext(singular, plural, n)
        return text.format(**kwargs) if kwargs else text

    # The gettext names, so Babel's extractor finds the strings: ``_ = T.gettext``.
    __call__ = gettext


def translator(feature: str) -> Translator:
    """The feature's one Translator (its catalogs are read once, whichever module asks first)."""
    return Translator.registry.get(feature) or Translator(feature)


_core = translator("core")
_ = _core.gettext


# ---------------------------------------------------------------------------------------------
# Command names in messages: as the member's Discord client shows them

COMMANDS_DIR = COGS / "core" / "locales" / "commands"
_command_catalogs: dict[str, _gettext.GNUTranslations] = {}


def _commands_catalog(language: str) -> _gettext.GNUTranslations | None:
    if language not in _command_catalogs and (COMMANDS_DIR / f"{language}.po").exists():
        _command_catalogs[language] = load_po(COMMANDS_DIR / f"{language}.po")
    return _command_catalogs.get(language)


def _command_word(word: str, kinds: Sequence[str]) -> str:
    catalog = _commands_catalog(current())
    if catalog is None:
        return word
    for kind in kinds:
        found = catalog.pgettext(kind, word)
        if found != word:
            return found
    return word


def command(path: str, *options: str) -> str:
    """``/delegation set name: type:`` as the slash-command picker shows it in the current language.

    Messages name commands through this (``{command}`` placeholders), never as English literals.
    Arabic (which Discord's client lacks) keeps the English names, as the picker shows them.
    """
    words = path.split()
    shown = [_command_word(w, ("group_name", "command_name")) for w in words]
    shown += [_command_word(o, ("parameter_name",)) + ":" for o in options]
    return "/" + " ".join(shown)


def option(name: str) -> str:
    """One option's name as the picker shows it in the current language (``member``, ``membre``)."""
    return _command_word(name, ("parameter_name",))


def N_(msgid: str) -> str:
    """Mark a module-level constant for extraction; translate it where it is used: ``_(CONSTANT)``."""
    return msgid


class LazyStr:
    """A module-level string translated when it is rendered (``str(x)``, ``x.format(...)``).

    For constants handed to code that calls ``str()`` late (a button label built at import).
    """

    __slots__ = ("msgid", "translator")

    def __init__(self, translator: Translator, msgid: str) -> None:
        self.translator = translator
        self.msgid = msgid

    def __str__(self) -> str:
        return self.translator.gettext(self.msgid)

    def format(self, **kwargs: Any) -> str:
        return self.translator.gettext(self.msgid, **kwargs)

    def __repr__(self) -> str:
        return f"LazyStr({self.msgid!r})"


# ---------------------------------------------------------------------------------------------
# Formatting (Babel, CLDR)


# Babel's locale per language: ITU writes British English ("a, b and c", "1 December 2026").
BABEL_LOCALES = {"en": "en_GB", "zh": "zh_Hans"}


def babel_locale(language: str | None = None) -> Locale:
    code = language or current()
    return Locale.parse(BABEL_LOCALES.get(code, code))


def format_date(value: date | datetime, fmt: str = "long", *, zone: tzinfo = GENEVA) -> str:
    """``1 December 2026`` / ``1 décembre 2026`` / ``1 декабря 2026 г.`` (in ``zone`` for an instant)."""
    if isinstance(value, datetime):
        value = value.astimezone(zone).date()
    return babel_dates.format_date(value, format=fmt, locale=babel_locale())


def format_time(value: datetime, fmt: str = "short", *, zone: tzinfo = GENEVA) -> str:
    """``15:00`` / ``3:00 PM``: the language's convention, in ``zone`` (Geneva by default)."""
    return babel_dates.format_time(value, format=fmt, tzinfo=zone, locale=babel_locale())


def format_datetime(value: datetime, *, zone: tzinfo = GENEVA) -> str:
    """Date and time in the language's convention, stating the zone: ``... 15:00 (Geneva time)``."""
    loc = babel_locale()
    pattern = str(loc.datetime_formats["medium"])  # how the language joins a date and a time: "{1}, {0}"
    when = pattern.replace("{1}", format_date(value, "long", zone=zone)).replace("{0}", format_time(value, zone=zone))
    if getattr(zone, "key", None) == GENEVA.key:
        label = _("Geneva time")
        return f"{when} ({label})"
    return f"{when} ({getattr(zone, 'key', str(zone))})"


def format_decimal(value: float | int) -> str:
    return babel_numbers.format_decimal(value, locale=babel_locale())


def format_skeleton(skeleton: str, value: datetime, *, zone: tzinfo = GENEVA) -> str:
    """A date or time by CLDR skeleton in the current language: ``MMMMd`` → ``26 janvier``, ``1月26日``."""
    return babel_dates.format_skeleton(skeleton, value, tzinfo=zone, locale=babel_locale())


def format_unit(value: float | int, unit: str) -> str:
    """``1,5 ko`` / ``1,5 КБ``: a measure in the language's words (Babel, CLDR unit names)."""
    return babel_units.format_unit(value, unit, length="short", locale=babel_locale())


def format_list(items: Sequence[str], style: str = "standard") -> str:
    """``a, b and c`` / ``a, b et c`` / ``a、b和c``."""
    return babel_lists.format_list(list(items), style=style, locale=babel_locale())


def meeting_ordinal(n: int) -> str:
    """The ordinal of a meeting's number, agreeing with the word for "meeting" in each language.

    en ``19th``; fr ``19e`` (``1re``: réunion is feminine); es ``19.ª`` (reunión, feminine); ru ``19-е``
    (собрание, neuter); zh and ar: the plain number (the catalogs write ``第{ordinal}次会议``, ``الاجتماع {ordinal}``).
    """
    language = current()
    if language == "en":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if language == "fr":
        return "1re" if n == 1 else f"{n}e"
    if language == "es":
        return f"{n}.ª"
    if language == "ru":
        return f"{n}-е"
    return str(n)


def isolate(text: str) -> str:
    """Wrap a name or number in Unicode first-strong isolates, so Arabic text around it stays right."""
    return f"\u2068{text}\u2069" if current() in RTL else text


# ---------------------------------------------------------------------------------------------
# Public posts in the server's language(s)


def multilingual(
    languages: Sequence[str],
    render: Callable[[], str],
    *,
    limit: int = 2000,
    separator: str = "\n\n",
    what: str = "post",
) -> str:
    """One text carrying each language in turn (the first leads), within ``limit`` characters.

    ``render`` is called once per language inside ``with locale(...)``. When all of them do not fit,
    trailing languages are dropped (and the log says so); the first language is always kept.
    """
    codes = [c for c in dict.fromkeys(languages) if c in LANGUAGES] or [SOURCE]
    parts: list[str] = []
    for code in codes:
        with locale(code):
            parts.append(render())
    kept = list(parts)
    while len(kept) > 1 and len(separator.join(kept)) > limit:
        kept.pop()
    if len(kept) < len(parts):
        log.warning(
            "The %s is too long for %d languages within %d characters; posted in %s only",
            what,
            len(parts),
            limit,
            ", ".join(codes[: len(kept)]),
        )
    return separator.join(kept)[:limit]
