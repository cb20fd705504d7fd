"""Discord Markdown in the exports: the same reading in every format, never live HTML or hidden links.

Participants' lines are written in Discord Markdown. HTML renders a small safe subset (bold,
italics, code); Markdown keeps that subset live but leaves link syntax and HTML as text; plain text
and JSON keep what was typed. The bot's own notices are plain sentences in every format (house
style), with one 🔴. Driven through the real bot (simcord).
"""

from __future__ import annotations

import json
import re

from test_capture_support import exported, make_meeting, start_recording

STYLED = "**Agreed** with *the* `CWG-COP-19/3` text, see [the page](https://evil.example/x) <b>not bold</b>"


async def _export(world, command: str, fmt: str) -> str:
    result = await world.chair.slash(world.meeting, command, meeting=19, format=fmt)
    return (await exported(result))[1]


async def test_notices_and_user_markdown_read_the_same_in_every_format(world, db, simcord_env) -> None:
    await make_meeting(world)
    await start_recording(world)
    await world.delegate.send(world.meeting, STYLED)
    await world.delegate2.send(world.meeting, "#info **bold** outcome")
    await world.chair.slash(world.meeting, "meeting end")

    html = await _export(world, "log export", "html")
    assert "🔴 Recording started. " in html and html.count("🔴") == 1
    assert "**Recording started.**" not in html and "`[off]`" not in html
    assert (
        "<strong>Agreed</strong> with <em>the</em> <code>CWG-COP-19/3</code> text, see [the page]("
        '<a href="https://evil.example/x" rel="noopener noreferrer nofollow">https://evil.example/x</a>)'
        " &lt;b&gt;not bold&lt;/b&gt;"
    ) in html  # the address stays visible, the HTML stays text
    assert "<b>not bold" not in html

    md = await _export(world, "log export", "md")
    (start,) = [line for line in md.splitlines() if "Recording started." in line]
    assert re.fullmatch(r"- \d\d\.\d\d 🔴 Recording started\. .*", start), start  # one 🔴, a plain sentence
    assert md.count("🔴") == 1
    (end,) = [line for line in md.splitlines() if "Recording ended" in line]
    assert re.fullmatch(r"- \d\d\.\d\d ⏹️ Recording ended .*", end), end
    assert "**Agreed** with *the* `CWG-COP-19/3` text, see \\[the page](https://evil.example/x) &lt;b>not bold" in md

    txt = await _export(world, "log export", "txt")
    assert STYLED in txt
    data = json.loads(await _export(world, "log export", "json"))
    assert STYLED in [e["text"] for e in data["entries"]]

    minutes = await _export(world, "minutes export", "html")
    assert "<strong>bold</strong> outcome" in minutes


def test_isolates_become_balanced_bdi_whatever_the_user_typed() -> None:
    from cogs.core.html_documents import FSI, PDI, bidi_html, css_string, isolate, plain

    sneaky = f"محمد{PDI}{PDI}</bdi><b>x"  # a user's own isolate marks cannot close ours
    text = f"Action item for {isolate(sneaky)}: {isolate('يعمم')}"
    assert str(bidi_html(text)) == "Action item for <bdi>محمد&lt;/bdi&gt;&lt;b&gt;x</bdi>: <bdi>يعمم</bdi>"
    assert plain(text) == "Action item for محمد</bdi><b>x: يعمم"
    assert str(bidi_html(f"a{PDI}b{FSI}c")) == "ab<bdi>c</bdi>"  # stray marks: dropped or closed
    assert str(css_string('19th "meeting" </style>\\')) == '"19th \\22 meeting\\22  \\3c /style\\3e \\5c "'
