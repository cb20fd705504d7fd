"""The minutes and the chat transcript as files, in the six languages (issue 13), through the real bot.

``/minutes export`` and ``/log export`` take ``language:`` (default: the server's first language). The
files' own words (headings, labels, dates, notes) are in that language; what members wrote, their
names, the group's code and document numbers are kept exactly as they were. A scan reads each file
as a person would and finds no word of the English documents' own wording in another language.
"""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po
from test_capture_exports import _recorded_meeting
from test_capture_support import answer, exported

from cogs.capture._text import PURGE_LABEL, T
from cogs.core import i18n

TRANSLATED = [language for language in i18n.LANGUAGES if language != "en"]
FORMATS = ("md", "html", "txt", "json")

# What the chair reads at the top of each file: the title, in the language's words, with the code as it is.
MINUTES_TITLE = {
    "fr": "Procès-verbal de la 19e réunion du CWG-COP",
    "es": "Acta de la 19.ª reunión del CWG-COP",
    "ru": "CWG-COP",
    "zh": "CWG-COP",
    "ar": "CWG-COP",
}
# The members' words and names, never translated (one from each kind of line).
KEPT = (
    "Ghana presented CWG-COP-19/3",  # a minutes item
    "circulate a revised text",  # an action
    "Consideration of contributions",  # an agenda item's title (as the organisers wrote it)
    "Delegate of Ghana",  # a name
)
WORD = re.compile(r"[A-Za-z]{3,}")
# Words the translations share with English, or the file's fixed parts (the code, zone abbreviations).
SHARED = {
    "fr": {"Participant", "Action", "Documents", "Document", "Info", "Transcription"},
    "es": {"Info"},
}
ALWAYS = {"CWG", "COP", "CET", "CEST", "UTC", "SHA", "Discord", "ITU", "https", "www", "itu", "int", "cop"}


def unsure_words(language: str) -> set[str]:
    """Words of the English shown in place of the entries marked fuzzy (not yet reviewed) in this language."""
    words: set[str] = set()
    for path in (i18n.COGS).glob(f"*/locales/{language}.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.fuzzy and message.id:
                    ids = message.id if isinstance(message.id, tuple) else (message.id,)
                    words.update(WORD.findall(" ".join(ids)))
    return words


def visible_text(document: str, fmt: str) -> str:
    """What a reader sees of a file: the HTML's text and accessible names, the JSON's human fields."""
    if fmt == "html":
        document = re.sub(r"<style>.*?</style>", " ", document, flags=re.S)
        labels = " ".join(re.findall(r'aria-label="([^"]*)"', document))
        return re.sub(r"<[^>]+>", " ", document) + " " + labels
    if fmt == "json":
        data = json.loads(document)
        return " ".join([data["note"], data["attachments_note"]])
    return document


async def members_words(db) -> set[str]:
    """Every word stored in the database: what members typed, names, titles, the bot's public notices."""
    words: set[str] = set()
    tables = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table['name']}"):
            for value in dict(row).values():
                if isinstance(value, str):
                    words.update(WORD.findall(value))
    return words


async def export(world, command: str, fmt: str, language: str | None) -> tuple[str, str, str]:
    options = {"meeting": 19, "format": fmt} | ({"language": language} if language else {})
    result = await world.chair.slash(world.general, command, **options)
    name, text = await exported(result)
    return name, text, answer(result)


async def english_wording(world, db) -> dict[tuple[str, str], set[str]]:
    """The words of the English files that are the files' own (not members', not stored)."""
    stored = await members_words(db)
    out = {}
    for command, formats in (("minutes export", ("md", "html")), ("log export", FORMATS)):
        for fmt in formats:
            _name, text, _reply = await export(world, command, fmt, "en")
            out[(command, fmt)] = set(WORD.findall(visible_text(text, fmt))) - stored - ALWAYS
    return out


@pytest.mark.parametrize("language", TRANSLATED)
async def test_minutes_and_transcripts_are_written_in_the_language_asked_for(world, db, simcord_env, language):
    await _recorded_meeting(world, db, simcord_env)
    wording = await english_wording(world, db)
    assert {"Summary", "Agreed", "outcomes", "Scheduled"} <= wording[("minutes export", "md")]
    assert {"Exported", "transcript"} <= wording[("log export", "txt")]

    for (command, fmt), english in wording.items():
        name, text, reply = await export(world, command, fmt, language)
        # The file's name is the house rule's, whatever the language; the reply is in the chair's (English).
        assert name == f"cwg-cop-19-{'minutes' if command.startswith('minutes') else 'chat'}.{fmt}"
        assert "19th meeting" in reply
        seen = visible_text(text, fmt)
        leaked = (english & set(WORD.findall(seen))) - SHARED.get(language, set()) - unsure_words(language)
        assert not leaked, (command, fmt, sorted(leaked))
        if fmt != "json":
            for kept in KEPT if command.startswith("minutes") else KEPT[:2] + KEPT[3:]:
                assert kept in seen.replace("\u2068", "").replace("\u2069", ""), (command, fmt, kept)
        if command.startswith("minutes"):
            assert MINUTES_TITLE[language] in seen, (fmt, seen[:300])
        if fmt == "html":
            direction = "rtl" if language == "ar" else "ltr"
            assert f'<html lang="{language}" dir="{direction}">' in text
        if fmt == "json":
            data = json.loads(text)
            assert data["language"] == language
            assert data["entries"][0]["type"] in ("message", "notice")  # the keys stay the same for tools


async def test_the_default_is_the_servers_first_language_and_english_stays_as_it_was(world, db, simcord_env):
    await _recorded_meeting(world, db, simcord_env)
    english = {fmt: (await export(world, "minutes export", fmt, None))[1] for fmt in ("md", "html")}
    assert english["md"].startswith("# Minutes of the 19th meeting of the CWG-COP\n")
    asked = {fmt: (await export(world, "minutes export", fmt, "en"))[1] for fmt in ("md", "html")}
    strip = re.compile(r"\d{1,2}\.\d{2} hours Geneva time \(CET\) from the meeting chat")  # generated when
    assert {k: strip.sub("", v) for k, v in english.items()} == {k: strip.sub("", v) for k, v in asked.items()}

    await world.admin.slash(world.general, "setup options", languages="es,en")
    _name, md, _reply = await export(world, "minutes export", "md", None)
    assert md.startswith(f"# {MINUTES_TITLE['es']}\n")
    _name, txt, _reply = await export(world, "log export", "txt", None)
    assert "Exported" not in txt and "Good morning, welcome to the 19th meeting" in txt
    _name, md, _reply = await export(world, "minutes export", "md", "en")  # asked for: English
    assert md.startswith("# Minutes of the 19th meeting of the CWG-COP\n")


async def test_arabic_files_isolate_names_and_members_words(world, db, simcord_env):
    """In an Arabic text or Markdown file a Latin name or line is wrapped in first-strong isolates, so it
    keeps its own direction inside the right-to-left sentence around it."""
    await _recorded_meeting(world, db, simcord_env)
    _name, txt, _reply = await export(world, "log export", "txt", "ar")
    assert "\u2068Delegate of Ghana\u2069" in txt
    _name, md, _reply = await export(world, "minutes export", "md", "ar")
    assert "\u2068Delegate of Ghana\u2069" in md
    _name, md, _reply = await export(world, "minutes export", "md", "fr")
    assert "\u2068" not in md  # only where the document runs right to left


async def test_a_purge_by_an_organiser_in_another_language_stores_the_words_in_english(world, db, simcord_env):
    """The minutes kept at a purge hold names as stored data (English); each export translates them."""
    from test_capture_support import make_meeting, start_recording

    meeting = await make_meeting(world)
    await start_recording(world)
    await world.delegate2.slash(world.general, "privacy youth on")
    await world.chair.send(world.meeting, f"#action <@{world.delegate2.id}> summarise the youth views")
    await world.chair.slash(world.meeting, "meeting end")
    await world.chair.slash(world.general, "language set", language="ru")
    asked = await world.chair.slash(world.general, "log purge", meeting=19)
    await world.chair.click(asked.response, label=T.gettext(PURGE_LABEL, in_language="ru"))
    assert await db.fetchval("SELECT COUNT(*) FROM messages WHERE meeting_id = ?", (meeting.id,)) == 0
    stored = await db.fetchval("SELECT assignees FROM minutes_items WHERE meeting_id = ?", (meeting.id,))
    assert [a["name"] for a in json.loads(stored)] == ["Participant 1"]

    await world.chair.slash(world.general, "language set", language="en")
    _name, md, _reply = await export(world, "minutes export", "md", "es")
    assert "### Participante 1\n- summarise the youth views" in md
    _name, md, _reply = await export(world, "minutes export", "md", "en")
    assert "### Participant 1\n- summarise the youth views" in md
