"""What every HTML document of the bot shares: the stylesheet, bidi isolation, and Discord Markdown made safe.

Pure: never imports discord.

- **Bidi.** User text and names can be in any script. Code that builds a sentence around them wraps each
  piece in :func:`isolate` (Unicode FSI ... PDI); the HTML renderer turns each pair into ``<bdi>``
  (:func:`bidi_html`) and plain-text renderers drop the marks (:func:`plain`). Templates put names and
  messages straight into ``<bdi>``. So "(محمد, 13:40)" stays in that order after an Arabic sentence.
- **Discord Markdown.** Messages and the bot's own notices are written in Discord Markdown. In HTML they
  are rendered with a small safe subset (:func:`discord_markup`): bold, italics, strikethrough, inline
  code and line breaks; links stay as written with their address visible (a bare http(s) address is
  made clickable); raw HTML is shown as text, never obeyed.
- **Style.** :data:`STYLE` is ``document.css`` (screen, dark mode and print), inlined in each file;
  :func:`running_header` names the meeting at the top of every printed page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

FSI, PDI = "\u2068", "\u2069"
_ISOLATE_MARKS = str.maketrans("", "", "\u2066\u2067\u2068\u2069")  # LRI RLI FSI PDI

STYLE = Markup(Path(__file__).with_name("document.css").read_text(encoding="utf-8"))


def isolate(text: str) -> str:
    """``text`` marked as one isolated run of unknown direction (its own isolate marks removed first)."""
    return f"{FSI}{text.translate(_ISOLATE_MARKS)}{PDI}"


def plain(text: str) -> str:
    """``text`` without the isolate marks (for Markdown, plain text and Discord)."""
    return text.translate(_ISOLATE_MARKS)


def bidi_html(text: str) -> Markup:
    """Escaped ``text`` with each FSI ... PDI pair as ``<bdi>...</bdi>`` (stray marks dropped)."""
    out: list[str] = []
    depth = 0
    for part in _split_marks(text):
        if part == FSI:
            out.append("<bdi>")
            depth += 1
        elif part == PDI:
            if depth:
                out.append("</bdi>")
                depth -= 1
        elif part not in ("\u2066", "\u2067"):
            out.append(str(escape(part)))
    out.append("</bdi>" * depth)
    return Markup("".join(out))


def _split_marks(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in "\u2066\u2067\u2068\u2069":
            parts += [text[start:i], ch]
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p]


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"linkify": True, "breaks": True, "html": False})
    md.enable(["emphasis", "backticks", "strikethrough", "escape", "linkify", "newline"])
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})

    def link_open(renderer, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        tokens[idx].attrSet("rel", "noopener noreferrer nofollow")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def discord_markup(text: str) -> Markup:
    """Discord Markdown as safe inline HTML (see the module's doc); never raw HTML from the text."""
    return Markup(_markdown().renderInline(plain(text)).rstrip("\n"))


def css_string(text: str) -> Markup:
    """``text`` as a CSS string literal, safe inside ``<style>``."""
    out = []
    for ch in plain(text):
        if ch.isalnum() or ch in " .,:;-()/'·":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def running_header(text: str) -> Markup:
    """A ``<style>`` naming the document at the top left of every printed page."""
    rule = f"@page {{ @top-left {{ content: {css_string(text)}; font: 8pt sans-serif; color: #333; }} }}"
    return Markup(f"<style>{rule}</style>")


def environment(templates: Path) -> jinja2.Environment:
    """A Jinja2 environment for one feature's templates, with the shared style and filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["document_style"] = STYLE
    env.globals["running_header"] = running_header
    env.filters["md"] = discord_markup
    env.filters["bidi"] = bidi_html
    return env
