"""Validation of per-guild options. Pure: plain values in, plain values (or UserError) out."""

from __future__ import annotations

import re

from cogs.core.errors import UserError
from cogs.core.timefmt import format_offsets, parse_offsets, zone

_GROUP_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
_FILE_TYPE = re.compile(r"^[a-z0-9]{1,8}$")


def clean_group_code(text: str) -> str:
    code = text.strip().upper()
    if not 2 <= len(code) <= 20 or not _GROUP_CODE.match(code):
        raise UserError(
            f"`{text}` is not a group code. Use 2 to 20 capital letters, digits and hyphens, "
            "starting with a letter, e.g. `CWG-COP`."
        )
    return code


def clean_timezone(text: str) -> str:
    return zone(text).key


def clean_offsets(text: str) -> str:
    return format_offsets(parse_offsets(text))


def clean_days(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise UserError(f"`{name}` must be between {low} and {high} days (you gave {value}).")
    return value


def clean_file_types(text: str) -> str:
    types = [t.strip().lower().lstrip(".") for t in text.split(",") if t.strip()]
    if not types or not all(_FILE_TYPE.match(t) for t in types):
        raise UserError(
            f"`{text}` is not a list of file types. Write extensions separated by commas, e.g. `pdf,docx,pptx`."
        )
    return ",".join(dict.fromkeys(types))
