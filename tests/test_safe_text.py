"""cogs/core/safe_text.py: no output carries live markup, and the reader sees what was typed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cogs.core.safe_text import ZWSP, block, inline

# Pieces that make markup, mixed with plain text, so that the examples hit the dangerous cases.
PIECES = [
    "[", "]", "](", ")", "(", "https://itu.int/x_y", "http://a.b/[c]", "<", ">", "<@", "<@&", "<@!", "<#", "<t:",
    "<:e:", "<a:e:", "1>", ":R>", "@everyone", "@here", "@EveryOne", "#", "# ", "## ", "### ", "-# ", "-", "- ",
    "> ", ">>> ", "```", "`", "**", "__", "~~", "||", "*", "_", "\\", "\n", " ", "  ", "\t", "1. ", "2) ", "+ ",
    "Official ITU copy", "a", "Z", "9", "é", "😀", "\r\n",
]  # fmt: skip
texts = st.one_of(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.text(max_size=200))

_PUNCT = r"!-/:-@\[-`{-~"


def live_view(text: str) -> str:
    """The text as Discord's parser sees it: an escaped character is inert (shown here as NUL)."""
    return re.sub(rf"\\[{_PUNCT}]", "\x00", text)


LIVE = {
    "masked link": re.compile(r"\[[^\]]*\]\s*\("),
    "heading": re.compile(r"^\s*#{1,3}\s", re.MULTILINE),
    "subtext": re.compile(r"^\s*-#\s", re.MULTILINE),
    "block quote": re.compile(r"^\s*>", re.MULTILINE),
    "list": re.compile(r"^\s*([-*+]|\d+[.)])\s", re.MULTILINE),
    "mention": re.compile(r"<(@[!&]?|#|t:|a?:\w*:)"),
    "everyone": re.compile(r"@(everyone|here)", re.IGNORECASE),
    "code": re.compile(r"`"),
    "bold/italics/spoiler/strike": re.compile(r"[*_~|]{1,2}"),
}


def shown(text: str) -> str:
    """What a reader sees: Discord drops the backslash before punctuation; ZWSP is invisible."""
    return re.sub(rf"\\([{_PUNCT}])", r"\1", text).replace(ZWSP, "")


def live_markup(text: str) -> list[str]:
    view = live_view(text)
    # inside a bare web address, _ * ~ are part of the address, not markup (and must stay for the link)
    view = re.sub(r"https?://[^\s<>\[\]\\\x00]+", lambda m: "U" * len(m.group(0)), view)
    return [name for name, pattern in LIVE.items() if pattern.search(view)]


@given(texts)
def test_block_output_has_no_live_markup_and_reads_as_typed(text) -> None:
    out = block(text)
    assert live_markup(out) == [], (text, out)
    assert shown(out) == text.replace("\r\n", "\n").replace("\r", "\n")


@given(texts)
def test_inline_output_is_one_line_without_live_markup(text) -> None:
    out = inline(text)
    assert "\n" not in out
    assert live_markup(out) == [], (text, out)
    assert shown(out) == re.sub(r"[ \t]*(?:\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029])\s*", " ", text)


def test_the_examples_of_the_issue() -> None:
    assert block("[Official ITU copy](https://evil.example/doc)") == r"\[Official ITU copy\](https://evil.example/doc)"
    assert block("# Decision\n-# small print\n> quoted") == "\\# Decision\n\\-\\# small print\n\\> quoted"
    assert inline("@everyone <@&42>") == f"@{ZWSP}everyone \\<@&42\\>"
    assert inline("see https://www.itu.int/md/S22_CL-C-0057/en") == "see https://www.itu.int/md/S22_CL-C-0057/en"


def test_the_checker_sees_live_markup_in_raw_text() -> None:
    raw = "[x](https://e.org)\n# H\n-# s\n> q\n<@&1> @here ``` **b**"
    assert set(live_markup(raw)) >= {"masked link", "heading", "subtext", "block quote", "mention", "everyone"}
