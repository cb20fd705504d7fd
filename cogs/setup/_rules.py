"""Validation of per-guild options. Pure: plain values in, plain values (or UserError) out."""

from __future__ import annotations

import re

from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.core.i18n import translator
from cogs.core.timefmt import format_offsets, parse_offsets, zone

_ = translator("setup").gettext

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
