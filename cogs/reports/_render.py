"""A report as a document (headings, numbered paragraphs, lists, tables, the chart), and its renderers.

Pure: never imports discord. The wording is built once (``_text``) into a :class:`Document`; the
Markdown and HTML renderers only lay it out, so both files always say the same thing. All text is
treated as plain text: Markdown escapes what could become markup, and HTML goes through Jinja2 with
autoescaping (user text is never trusted as markup). The HTML file is self-contained: its style (the
shared ``cogs/core/document.css``) is inline and the chart is inline SVG, sharp on paper.

User text inside the wording (names, outcomes, topics, titles) is marked with Unicode isolates
(``html_documents.isolate``): HTML shows each as ``<bdi>``, Markdown drops the marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from cogs.core import house_style as hs
from cogs.core import html_documents
from cogs.core.html_documents import plain
from cogs.core.i18n import RTL

_TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2
    kind: str = "heading"


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    number: str | None = None  # "2.1"
    kind: str = "para"


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    total: tuple[str, ...] | None = None  # a last row, in bold
    kind: str = "table"


@dataclass(frozen=True, slots=True)
class Chart:
    alt: str
    file_name: str
    note: str = "(the figures are in the table above)"  # after the caption, in the document's language
    kind: str = "chart"


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    kind: str = "note"


Block = Heading | Para | Bullets | Table | Chart | Note


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str | None
    meta: tuple[tuple[str, str], ...]  # (label, value)
    blocks: tuple[Block, ...]
    language: str = "en"  # the document's language: <html lang>, and dir="rtl" for Arabic
    table_label: str = "Table {n}: {headers}"  # each table's accessible name, in that language

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL else "ltr"


# ---------------------------------------------------------------------------------------------
# Markdown


def md_escape(text: str) -> str:
    """Text shown literally in Markdown (house style): no HTML, emphasis, links, tables or headings;
    the bidi isolation marks of the HTML are dropped."""
    return hs.md_text(plain(text))


def _cell(text: str) -> str:
    return hs.md_cell(plain(text))


def to_markdown(doc: Document) -> str:
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.subtitle:
        out += [f"**{md_escape(doc.subtitle)}**", ""]
    out += [f"- **{label}:** {md_escape(value)}" for label, value in doc.meta]
    out.append("")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {md_escape(block.text)}", ""]
        elif isinstance(block, Para):
            number = f"{block.number}\u2003" if block.number else ""  # an em space, as in ITU documents
            out += [number + md_escape(block.text), ""]
        elif isinstance(block, Bullets):
            out += [f"- {md_escape(item)}" for item in block.items]
            out.append("")
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_cell(h) for h in block.headers) + " |")
            out.append("|" + "|".join("---:" if n else "---" for n in block.numeric) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            if block.total:
                out.append("| " + " | ".join(f"**{_cell(c)}**" if c else "" for c in block.total) + " |")
            out.append("")
        elif isinstance(block, Chart):
            out += [f"![{md_escape(block.alt)}]({block.file_name})", ""]
        elif isinstance(block, Note):
            out += [f"> {md_escape(block.text)}", ""]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------
# HTML


@cache
def _jinja() -> jinja2.Environment:
    return html_documents.environment(_TEMPLATES)


def to_html(doc: Document, svg: str | None = None) -> str:
    """One self-contained page: inline style, the chart (if any) as inline SVG (from ``_chart.draw_svg``,
    our own drawing, never user markup), no outside resource."""
    return _jinja().get_template("report.html.j2").render(doc=doc, chart=Markup(svg) if svg else None)
