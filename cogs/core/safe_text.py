"""User text inside the bot's own markdown: shown as typed, never as markup. Pure; no discord import.

Every public post that carries text a member typed (announcements, the agenda post, reminders,
recording and cancellation notices, event descriptions) passes it through :func:`inline` (one line)
or :func:`block` (several lines), so that a member cannot post under the bot's name:

- a masked link ``[Official ITU copy](https://...)``: ``[``, ``]`` and ``<``, ``>`` are escaped;
- a heading ``# ...``, subtext ``-# ...``, block quote ``> ...`` or list at the start of a line;
- a mention: ``@everyone``/``@here`` get a zero-width space after ``@``; ``<@id>``, ``<@&id>``,
  ``<#id>``, custom emoji ``<:name:id>`` and timestamps ``<t:...>`` lose their ``<``;
- bold, italics, underline, strike-through, spoilers, inline code and code fences
  (``* _ ~ | `` ` ``) and the backslash itself.

Bare web addresses are kept as they are (only ``[ ] < >`` escaped inside them), so they still work.
Discord drops a backslash before any ASCII punctuation, so the reader sees exactly what was typed.
Mentions are also kept silent by ``allowed_mentions`` (``SAFE_MENTIONS``) on every send.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
_URL = re.compile(r"https?://[^\s<>\[\]\\]+")
_SPECIAL = re.compile(r"([\\*_~|`\[\]<>#])")
_LINE_START = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))", re.MULTILINE)
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029])\s*")
_EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)


def _escape_plain(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _escape(text: str) -> str:
    out: list[str] = []
    at = 0
    for url in _URL.finditer(text):
        out.append(_escape_plain(text[at : url.start()]))
        out.append(url.group(0))
        at = url.end()
    out.append(_escape_plain(text[at:]))
    return _EVERYONE.sub("@" + ZWSP + r"\1", "".join(out))


def block(text: str | None) -> str:
    """Several lines of user text (an abstract), each neutralised; line breaks kept."""
    if not text:
        return ""
    escaped = _escape(text.replace("\r\n", "\n").replace("\r", "\n"))
    # A list, numbered list or "-#" subtext needs its marker at the start of a line.
    return _LINE_START.sub(_line_start, escaped)


def _line_start(match: re.Match[str]) -> str:
    indent, dash, digits, dot = match.groups()
    return f"{indent}\\{dash}" if dash else f"{indent}{digits}\\{dot}"


def inline(text: str | None) -> str:
    """One line of user text (a title, a source, a venue, a reason): line breaks become spaces."""
    if not text:
        return ""
    return block(_LINE_BREAKS.sub(" ", text))
