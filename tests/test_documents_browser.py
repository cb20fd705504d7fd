"""The HTML documents (minutes, transcript, period report) read as a reader would, in headless Chromium.

The documents are built once, through the real bot (simcord), from a meeting whose speakers write in
Spanish, Russian, Chinese, Arabic and Hebrew, use Discord Markdown and try raw HTML. Each document is
then opened at a desktop and a phone width, printed in dark mode, checked by axe-core and by the Nu
HTML Checker. Screenshots (screen and print) are written for people to look at: into
``$DOCUMENT_SCREENSHOTS`` when set, else the test's tmp folder.

Run only these with ``python -m pytest -m browser``.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import subprocess
from pathlib import Path

import pytest
import simcord.env
from browser import (
    axe_violations,
    boxes,
    chromium,
    overflow,
    print_colours,
    require_browser,
    shots_dir,
    vnu_errors,
    word_lefts,
)
from conftest import FAKE_TOKEN, build_world, configure_world
from test_reports_support import attachments, final, local_day, make_meeting, make_thread, record, register, stop

from bot import MeetingBot
from config.settings import Settings
from storage.agenda import AgendaRepo
from storage.database import Database

pytestmark = pytest.mark.browser

ANA, DMITRY, WANG, MOHAMED, NOA = "Ana María Núñez", "Дмитрий", "王芳", "محمد", "נועה כהן"
ARABIC_INFO = "مصر تدعم هذه المساهمة بالكامل"
ARABIC_LINE = "صباح الخير من القاهرة"
LONG_URL = "https://www.itu.int/en/council/cwg/Pages/" + "a-very-long-address-without-any-break-" * 4 + "end"
DOCUMENTS = ("minutes", "transcript", "report", "report-ar", "minutes-ar", "transcript-ar")
WIDTHS = (1280, 390)


async def _build(out: Path) -> dict[str, Path]:
    """Record a multilingual meeting through the real bot and export its three HTML documents."""
    settings = Settings(token=FAKE_TOKEN, database=out / "cwgcop.sqlite3")
    db = await Database.open(settings.database)
    env = simcord.env.Env(MeetingBot(settings, db))
    await env.start()
    try:
        world = build_world(env)
        await configure_world(world)
        people = {}
        for user, nick in (("ana", ANA), ("dmitry", DMITRY), ("wang", WANG), ("mohamed", MOHAMED), ("noa", NOA)):
            people[user] = world.guild.add_member(env.create_user(user), roles=[world.participant_role], nick=nick)
        ana, dmitry, wang, mohamed, noa = people.values()
        m18 = await make_meeting(world, 18, local_day(20))
        m19 = await make_meeting(world, 19, local_day(40))
        agenda = AgendaRepo(db)
        for title in ("Opening", "Adoption of the agenda", "Approval of the report", "Updates"):
            await agenda.add(m19.id, title=title)
        await agenda.add(m19.id, title="Consideration of contributions")
        await register(db, m18, "Rapport de la France", "France")
        await register(db, m19, "تجربة مصر في حماية الأطفال على الإنترنت", "Egypt")
        await register(db, m19, "Опыт Российской Федерации", "Russian Federation")
        await register(db, m19, "儿童在线保护", "China")

        chat = world.meeting
        await record(world, 19)
        await world.chair.send(chat, "Good morning, welcome to the 19th meeting")
        await world.chair.send(chat, "#topic 5")
        await ana.send(chat, "#info España apoya el documento **sin reservas**, señora Presidenta")
        await dmitry.send(
            chat, "Доброе утро! Россия поддерживает `CWG-COP-19/3` <b>not bold</b> [see](https://itu.int)"
        )
        said = await mohamed.send(chat, "#info " + ARABIC_INFO)
        await mohamed.send(chat, ARABIC_LINE)
        await noa.send(chat, "תודה רבה, אני מסכימה", reply_to=said)
        await wang.send(chat, "#agreed 会议欢迎文件 CWG-COP-19/4")
        await world.chair.send(chat, f"#action <@{mohamed.id}> يعمم النص المنقح")
        await world.chair.send(chat, f"{ANA}, {DMITRY}, {WANG}, {MOHAMED} and {NOA} all agree: thank you")
        await ana.send(chat, "The guidelines are at " + LONG_URL)
        oops = await dmitry.send(chat, "a remark to delete")
        await dmitry.delete(oops)
        typo = await wang.send(chat, "谢谢主席女士")
        await wang.edit(typo, "谢谢主席")
        starter = await world.chair.send(chat, "Comments in the thread, please")
        thread = make_thread(env, world, starter, "تعليقات على المبادئ التوجيهية")
        await env.settle()
        await mohamed.send(thread, "شكرا جزيلا")
        await ana.send(thread, "*De acuerdo* con _todo_")
        env.backend.advance_clock(60)
        await world.chair.send(chat, "#topic مداخلات الشباب")
        await noa.send(chat, "#action Secretariat: לפרסם את המסמכים")
        await stop(world)

        files: dict[str, Path] = {}
        for key, command, options in (
            ("minutes", "minutes export", {"meeting": 19, "format": "html"}),
            ("transcript", "log export", {"meeting": 19, "format": "html"}),
            ("minutes-ar", "minutes export", {"meeting": 19, "format": "html", "language": "ar"}),
            ("transcript-ar", "log export", {"meeting": 19, "format": "html", "language": "ar"}),
            ("report", "report period", {"from": local_day(19).isoformat(), "to": local_day(41).isoformat()}),
            (
                "report-ar",
                "report period",
                {"from": local_day(19).isoformat(), "to": local_day(41).isoformat(), "language": "ar"},
            ),
        ):
            result = await world.chair.slash(world.general, command, **options)
            found = {k: v for k, v in (await attachments(result)).items() if k.endswith(".html")}
            assert len(found) == 1, (key, final(result).content)
            ((name, data),) = found.items()
            files[key] = out / f"{key}-{name}"
            files[key].write_bytes(data)
        return files
    finally:
        await env.shutdown()
        await db.close()


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    require_browser()
    return asyncio.run(_build(tmp_path_factory.mktemp("documents")))


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return shots_dir(tmp_path_factory.mktemp("shots"))


def _open(browser, path: Path, width: int = 1280, scheme: str = "light"):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_no_sideways_scrolling_on_a_desktop_or_a_phone(documents, browser, shots, kind) -> None:
    for width in WIDTHS:
        page = _open(browser, documents[kind], width)
        page.screenshot(path=shots / f"{kind}-{width}.png", full_page=True)
        assert overflow(page) == [], (kind, width)
        page.close()


def _left_to_right(found: list[dict[str, float]], what: str) -> None:
    assert len(found) >= 2, what
    for before, after in itertools.pairwise(found):
        assert before["right"] <= after["left"] + 0.5, (what, found)


def _right_to_left(found: list[dict[str, float]], what: str) -> None:
    _left_to_right(found[::-1], what)


def info_line(page) -> list[dict[str, float]]:
    """The boxes of the minutes' Arabic #info line, in reading order: label, text, name, time."""
    item = f"li:has(.text:text-is('{ARABIC_INFO}'))"
    return [box for part in ("span.kind", "> .text", ".by .name", ".by time") for box in boxes(page, f"{item} {part}")]


def arabic_line(page) -> list[dict[str, float]]:
    """The boxes of the transcript's Arabic line, in reading order: time, name, text."""
    line = f".msg:has(.text:text-is('{ARABIC_LINE}'))"
    return [box for part in ("> time", ".who", ".text") for box in boxes(page, f"{line} {part}")]


def five_scripts_in_typed_order(page) -> None:
    """The line naming five people in five scripts shows them in the order they were typed."""
    mixed = f".msg:has(.text:has-text('{NOA} all agree')) .text"
    lefts = word_lefts(page, mixed, [ANA, DMITRY, WANG, MOHAMED, "and", NOA, "all agree"])
    assert None not in lefts and lefts == sorted(lefts), lefts


def test_arabic_and_hebrew_lines_keep_names_and_times_in_order(documents, browser) -> None:
    # Minutes: "Info: <Arabic text> (<Arabic name>, <time>)", left to right as in any English line.
    page = _open(browser, documents["minutes"])
    _left_to_right(info_line(page), "minutes: kind, Arabic text, Arabic name, time")
    action = f"ol li:has(.name:text-is('{MOHAMED}'))"  # "محمد: يعمم النص المنقح (Madam Chair, 01:00 · 5. ...)"
    _left_to_right(
        boxes(page, f"{action} > strong .name") + boxes(page, f"{action} > .text") + boxes(page, f"{action} .by"),
        "minutes: assignee, action, by",
    )
    page.close()

    # Transcript: time, then the Arabic name, then the Arabic message; a Hebrew reply names the Arabic author.
    page = _open(browser, documents["transcript"])
    _left_to_right(arabic_line(page), "transcript: time, Arabic name, Arabic text")
    reply = ".msg:has(.reply)"
    _left_to_right(
        boxes(page, f"{reply} .reply a > :is(bdi, span:not(.time))") + boxes(page, f"{reply} .reply .time"),
        "replied-to name, time",
    )
    _left_to_right(boxes(page, f"{reply} .who") + boxes(page, f"{reply} .text"), "Hebrew name, Hebrew text")
    five_scripts_in_typed_order(page)
    page.close()

    # Period report: "Action item for <Arabic name>: <Arabic text>".
    page = _open(browser, documents["report"])
    item = f"li:has(:is(bdi, span):text-is('{MOHAMED}'))"
    _left_to_right(boxes(page, f"{item} > :is(bdi, span)"), "report: Arabic assignee, then the Arabic action")
    page.close()


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_printed_in_dark_mode_it_is_dark_text_on_white_with_the_meeting_on_every_page(
    documents, browser, shots, kind, tmp_path
) -> None:
    page = _open(browser, documents[kind], scheme="dark")
    page.emulate_media(media="print", color_scheme="dark")
    assert print_colours(page) == []
    pdf = tmp_path / f"{kind}.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    page.close()
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    sheets = [p for p in pages.stdout.split("\f") if p.strip()]
    title = {
        "minutes": "Minutes of the 19th meeting",
        "transcript": "chat transcript",
        "report": "Report of",
        "report-ar": "CWG-COP",
        "minutes-ar": "CWG-COP",
        "transcript-ar": "CWG-COP",
    }[kind]
    assert len(sheets) >= 2, kind  # long enough to show the running header on a second page
    for n, sheet in enumerate(sheets, 1):
        sheet = re.sub("[\u202a-\u202e]", "", sheet)  # pdftotext's bidi embedding marks (Arabic)
        top = sheet.strip().splitlines()[0]
        # "n / N" at the foot; an Arabic (right-to-left) page shows it mirrored, "N / n", read from the right.
        count = rf"\b{len(sheets)}\s*/\s*{n}\b" if kind.endswith("-ar") else rf"\b{n}\s*/\s*{len(sheets)}\s*$"
        assert title in top and re.search(count, sheet), (kind, n, top)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(shots / f"{kind}-print")], check=True
    )


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_axe_finds_no_accessibility_violations_in_light_or_dark_mode(documents, browser, shots, kind) -> None:
    for scheme, width in (("light", 1280), ("dark", 1280), ("light", 390)):
        page = _open(browser, documents[kind], width, scheme=scheme)
        if scheme == "dark":
            page.screenshot(path=shots / f"{kind}-{width}-dark.png", full_page=True)
        assert axe_violations(page) == [], (kind, scheme, width)
        page.close()


def test_the_nu_html_checker_finds_no_errors(documents) -> None:
    assert vnu_errors(list(documents.values())) == []


def test_the_arabic_period_report_reads_right_to_left(documents, browser, shots) -> None:
    """issue 13: the Arabic report is right to left; names and numbers keep their own order inside it."""
    page = _open(browser, documents["report-ar"], 1280)
    page.screenshot(path=shots / "report-ar-top.png")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    # "الرئيس: Ms Chair." — the label on the right, the (isolated) Latin name to its left, read left to right.
    para = "p.para:has(bdi):text-matches('^الرئيس')"
    label, name, chair = word_lefts(page, para, ["الرئيس", "Ms", "Chair"])
    assert name < chair < label, (label, name, chair)
    # A numbered paragraph: its number (1.1) at the right, where an Arabic reader starts.
    number = boxes(page, "p.para .num")[0]
    first_word = word_lefts(page, "p.para:has(.num)", ["يتناول"])[0]
    assert number["left"] > first_word, (number, first_word)
    page.close()


def test_the_arabic_minutes_and_transcript_read_right_to_left(documents, browser, shots) -> None:
    """issue 13: the minutes and the transcript exported with ``language: ar`` are right to left; members'
    words and names keep their own direction inside them."""
    for kind in ("minutes-ar", "transcript-ar"):
        page = _open(browser, documents[kind], 1280)
        page.screenshot(path=shots / f"{kind}-top.png")
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl", kind
        assert page.evaluate("document.documentElement.lang") == "ar", kind
        heading = page.inner_text("h1")
        assert "CWG-COP" in heading and "meeting" not in heading, heading  # Arabic words, the code as it is
        page.close()

    # Minutes: "<label>: <Arabic text> (<Arabic name>, <time>)", read from the right.
    page = _open(browser, documents["minutes-ar"])
    _right_to_left(info_line(page), "Arabic minutes: label, Arabic text, Arabic name, time")
    # A Spanish item keeps its own words left to right inside the right-to-left line.
    spanish = "li:has(.text:has-text('España apoya')) > .text"
    lefts = word_lefts(page, spanish, ["España", "apoya", "documento"])
    assert None not in lefts and lefts == sorted(lefts), lefts
    page.close()

    # Transcript: the time at the right, then the name, then the message to its left.
    page = _open(browser, documents["transcript-ar"])
    _right_to_left(arabic_line(page), "Arabic transcript: time, Arabic name, Arabic text")
    five_scripts_in_typed_order(page)  # a left-to-right English line, isolated inside the Arabic page
    page.close()
