"""Validation of per-guild options. Pure: plain values in, plain values (or UserError) out."""

from __future__ import annotations

import re
import unicodedata

from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.core.i18n import translator
from cogs.core.timefmt import format_offsets, parse_offsets, zone

_ = translator("setup").gettext
_n = translator("setup").ngettext

_GROUP_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
_FILE_TYPE = re.compile(r"^[a-z0-9]{1,8}$")


def clean_group_code(text: str) -> str:
    code = text.strip().upper()
    if not 2 <= len(code) <= 20 or not _GROUP_CODE.match(code):
        raise UserError(
            _(
                "`{text}` is not a group code. Use 2 to 20 capital letters, digits and hyphens, "
                "starting with a letter, e.g. `CWG-COP`.",
                text=text,
            )
        )
    return code


def clean_timezone(text: str) -> str:
    return zone(text).key


def clean_offsets(text: str) -> str:
    return format_offsets(parse_offsets(text))


def clean_days(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise UserError(
            _(
                "`{name}` must be between {low} and {high} days (you gave {value}).",
                name=i18n.option(name),
                low=low,
                high=high,
                value=value,
            )
        )
    return value


def clean_file_types(text: str) -> str:
    types = [t.strip().lower().lstrip(".") for t in text.split(",") if t.strip()]
    if not types or not all(_FILE_TYPE.match(t) for t in types):
        raise UserError(
            _(
                "`{text}` is not a list of file types. Write extensions separated by commas, e.g. `pdf,docx,pptx`.",
                text=text,
            )
        )
    return ",".join(dict.fromkeys(types))


def clean_languages(text: str) -> str:
    """``"fr, en"`` → ``"fr,en"``: one or more of ITU's six languages, in order, each once."""
    try:
        codes = i18n.parse_languages(text)
    except ValueError as exc:
        raise UserError(
            _(
                "`{text}` is not one of the six languages. Write codes separated by commas, in order, "
                "e.g. `fr,en`: ar, zh, en, fr, ru, es.",
                text=str(exc),
            )
        ) from None
    if not codes:
        raise UserError(_("Give at least one language, e.g. `en` or `fr,en`: ar, zh, en, fr, ru, es."))
    return ",".join(codes)


GROUP_NAME_LIMIT = 150
# Discord formatting, mentions (@everyone, <@id>, <#id>, <t:...>), headings and escapes: none has a
# place in an official name, and each could render or ping where the name is shown.
_MARKUP = "`*_~|[]<>#@\\"
_LINE_BREAK = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# Direction overrides and isolates would turn the text around it (the documents isolate names themselves).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_group_name(text: str, code: str) -> str:
    """The group's official name in one language (``/setup group-name``): plain text on one line.

    Spaces are tidied (NFC, runs of spaces made one); markup, mentions, links, control characters
    and the group's code in brackets (the documents add it) are refused, each saying what to fix.
    """
    if _LINE_BREAK.search(text):
        raise UserError(_("Write the name on one line: it contains a line break."))
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise UserError(
            _(
                "The name is empty. Write the group's name, or leave `{option}` out to clear it.",
                option=i18n.option("name"),
            )
        )
    if len(name) > GROUP_NAME_LIMIT:
        raise UserError(
            _n(
                "The name is {length} characters long; the limit is {n} character. Shorten it.",
                "The name is {length} characters long; the limit is {n} characters. Shorten it.",
                GROUP_NAME_LIMIT,
                length=len(name),
                n=GROUP_NAME_LIMIT,
            )
        )
    found = [c for c in dict.fromkeys(name) if c in _MARKUP]
    if found:
        raise UserError(
            _(
                "The name cannot contain {characters} (Discord formatting or mentions). Write it as plain text.",
                characters=" ".join("`` ` ``" if c == "`" else f"`{c}`" for c in found),
            )
        )
    if "://" in name or "www." in name.casefold():
        raise UserError(_("The name cannot contain a web address. Write it as plain text."))
    if any(c in _BIDI_CONTROLS or unicodedata.category(c) == "Cc" for c in name):
        raise UserError(_("The name contains invisible control characters. Type it again as plain text."))
    if name.casefold().endswith(f"({code})".casefold()):
        raise UserError(
            _(
                "Leave out the code `{code}`: the documents add it themselves.",
                code=code,
            )
        )
    return name
