"""What every benchmark shares: the result row, the table, and small measuring helpers."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One line of the table: a measured value beside a baseline measured in the same run."""

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    target: str
    met: bool | None  # None: a line that explains another one, with no target of its own
    # How to read the ratio: value/baseline (e.g. "x limit") — or a note.
    ratio_note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")


def fmt(value: float, unit: str) -> str:
    if unit in ("msg/s", "rows/s", "req/s"):
        return f"{value:,.0f} {unit}"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    if unit == "MB":
        return f"{value:,.1f} MB"
    return f"{value:,.3g} {unit}"


def table(figures: list[Figure]) -> str:
    header = ("figure", "value", "baseline", "ratio", "target", "met")
    rows = [
        (
            f.name,
            fmt(f.value, f.unit),
            f"{f.baseline_name}: {fmt(f.baseline, f.unit)}",
            f"{f.ratio:,.2f}x{(' ' + f.ratio_note) if f.ratio_note else ''}",
            f.target,
            "-" if f.met is None else "yes" if f.met else "NO",
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join([line, sep, *body])


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}, {platform.system()} {platform.release()}"
    )


def best_of(n: int, func: Callable[[], float]) -> float:
    """The best of n runs of a function that returns a duration (noise only ever adds time)."""
    return min(func() for _ in range(n))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self.start
