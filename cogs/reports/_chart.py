"""The period chart: contributions and chat participants per meeting, as a PNG (for Discord and the files)
and as SVG (inlined in the HTML report, so it prints sharp at any size). Never imports discord.

Drawn with matplotlib's object-oriented API on the Agg canvas (no display, no pyplot global state),
so it is safe to run in a worker thread: the cog calls :func:`draw` through ``asyncio.to_thread``.
matplotlib is imported on first use, not when the bot starts.
"""

from __future__ import annotations

import io
import logging
import re
from functools import cache
from pathlib import Path

from cogs.reports._rules import ChartData

log = logging.getLogger(__name__)

DPI = 100
HEIGHT_IN = 4.8
MIN_WIDTH_IN = 7.2
MAX_WIDTH_IN = 19.2
PER_MEETING_IN = 0.9
CONTRIBUTIONS_COLOUR = "#0b5cad"  # ITU blue
PARTICIPANTS_COLOUR = "#e8912d"
DELEGATIONS_COLOUR = "#2e7d4f"


def size_inches(meetings: int) -> tuple[float, float]:
    width = min(MAX_WIDTH_IN, max(MIN_WIDTH_IN, 2.4 + PER_MEETING_IN * meetings))
    return width, HEIGHT_IN


@cache
def _cjk_family() -> str | None:
    """A CJK font for a chart in Chinese (fonts-wqy-microhei, or Noto Sans CJK), made known to matplotlib.

    matplotlib's font list is cached on first use and does not see fonts installed later, so the file is
    added by path. None when the machine has no CJK font (the Chinese labels would then be boxes).
    """
    from matplotlib import font_manager

    for path in sorted(font_manager.findSystemFonts()):
        name = Path(path).name.lower()
        if name.startswith(("wqy-microhei", "wqy-zenhei", "notosanscjk")):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    log.warning("No CJK font found: the Chinese chart labels cannot be drawn (install fonts-wqy-microhei)")
    return None


def _fonts(data: ChartData) -> dict[str, object]:
    """matplotlib's own DejaVu Sans (Latin, Cyrillic, Arabic); a CJK font after it for a chart in Chinese."""
    family = _cjk_family() if data.language == "zh" else None
    return {"font.family": ["DejaVu Sans", family]} if family else {}


def draw(data: ChartData) -> bytes:
    """The chart as a PNG."""
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context(_fonts(data)):
        _figure(data).savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def draw_svg(data: ChartData) -> str:
    """The chart as an ``<svg>`` element to inline in HTML: text drawn as paths (no font needed), no XML
    prologue or metadata, scalable (a viewBox, no fixed size), stable ids."""
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "cwgcop", "svg.id": None, **_fonts(data)}):
        _figure(data).savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    for empty in re.findall(r'<path id="([^"]*)"(?: transform="[^"]*")?/>', svg):  # a glyph with no outline: a space
        svg = re.sub(rf'\s*<(?:path id|use xlink:href)="#?{re.escape(empty)}"[^>]*/>', "", svg)
    head_end = svg.index(">")
    head = re.sub(r'\s(?:width|height|version)="[^"]*"', "", svg[:head_end]) + ' class="chart"'
    return head + svg[head_end:].replace('<style type="text/css">*{', "<style>.chart *{", 1)


def _figure(data: ChartData):  # type: ignore[no-untyped-def]
    """Grouped bars, one pair per meeting; a meeting whose chat was not recorded has no participants bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    n = len(data.labels)
    if n == 0:
        raise ValueError("no meetings to chart")
    figure = Figure(figsize=size_inches(n), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    three = bool(data.delegations)  # attendance noted: a third bar, delegations present
    width = 0.27 if three else 0.38
    left, middle = (-width, 0.0) if three else (-width / 2, width / 2)
    xs = list(range(n))
    bars = axes.bar(
        [x + left for x in xs],
        data.contributions,
        width,
        label=data.contributions_label,
        color=CONTRIBUTIONS_COLOUR,
    )
    axes.bar_label(bars, padding=2, fontsize=8)
    recorded = [(x, p) for x, p in zip(xs, data.participants, strict=True) if p is not None]
    if recorded:
        bars = axes.bar(
            [x + middle for x, _ in recorded],
            [p for _, p in recorded],
            width,
            label=data.participants_label,
            color=PARTICIPANTS_COLOUR,
        )
        axes.bar_label(bars, padding=2, fontsize=8)
    for x, p in zip(xs, data.participants, strict=True):
        if p is None:
            axes.annotate(
                data.not_recorded_label,
                (x + middle, 0),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
                color="#667",
            )
    noted = [(x, d) for x, d in zip(xs, data.delegations, strict=True) if d is not None] if three else []
    if noted:
        bars = axes.bar(
            [x + width for x, _ in noted],
            [d for _, d in noted],
            width,
            label=data.delegations_label,
            color=DELEGATIONS_COLOUR,
        )
        axes.bar_label(bars, padding=2, fontsize=8)
    crowded = n > 12
    axes.set_xticks(xs, data.labels, fontsize=7 if crowded else 8, rotation=60 if crowded else 0)
    if crowded:
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max(
        [*data.contributions, *(p for p in data.participants if p is not None), *(d for d in data.delegations if d), 1]
    )
    axes.set_ylim(0, top * 1.18 + 1)
    axes.set_ylabel(data.axis_label)
    axes.set_title(data.title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return figure
