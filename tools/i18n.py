"""Catalog upkeep (issue 13). Run from the repository root.

python -m tools.i18n extract FEATURE [FEATURE ...]
    Extract the msgids of ``cogs/<feature>/*.py`` (keywords ``_``, ``_n``, ``N_``) with Babel and
    merge them into ``cogs/<feature>/locales/{ar,zh,fr,ru,es}.po``: new msgids are added with an
    empty translation, translations kept, msgids no longer in the code dropped. Plural-Forms
    headers come from Babel's CLDR data.
python -m tools.i18n extract-commands
    Walk the real command tree (every extension loaded, nothing synced) and merge every command,
    group, option and choice name and description into ``cogs/core/locales/commands/*.po``, the
    kind of string (``command_name`` ...) as msgctxt.
python -m tools.i18n status [FEATURE ...]
    Per feature and language: how many msgids lack a (non-fuzzy) translation.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
COGS = ROOT / "cogs"
TRANSLATED = ("ar", "zh", "fr", "ru", "es")
KEYWORDS = {"_": None, "_n": (1, 2), "N_": None}
COMMANDS_DIR = COGS / "core" / "locales" / "commands"

# id, context, locations, extracted comments ("# i18n: button label (80)" before the msgid)
Message = tuple[str | tuple[str, str], str | None, list[tuple[str, int]], list[str]]
COMMENT_TAGS = ("i18n:",)
# Discord's client has no Arabic: the commands catalog has no ar.po.
COMMAND_LANGUAGES = ("zh", "fr", "ru", "es")


def plural_forms(language: str) -> str:
    plural = get_plural(Locale.parse(language))
    return plural.plural_forms


def extract_feature(feature: str) -> list[Message]:
    """Every msgid the feature's code uses (in source order, each once), with where it is."""
    found: dict[tuple[str | tuple[str, str], str | None], list[tuple[str, int]]] = {}
    notes: dict[tuple[str | tuple[str, str], str | None], list[str]] = {}
    for path in sorted((COGS / feature).glob("*.py")):
        extracted = extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
        )
        for line, message, comments, context in extracted:
            key = (message, context)
            found.setdefault(key, []).append((str(path.relative_to(ROOT)), line))
            kept = notes.setdefault(key, [])
            kept.extend(c for c in comments if c not in kept)
    return [(m, c, locs, notes[(m, c)]) for (m, c), locs in found.items()]


def read_catalog(path: Path, language: str) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=language)
    return Catalog(locale=language)


def merge(path: Path, language: str, messages: Iterable[Message], project: str) -> None:
    """Write ``path`` with exactly ``messages``, keeping existing translations and fuzzy flags."""
    old = read_catalog(path, language)
    new = Catalog(
        locale=language,
        project=project,
        version="1",
        copyright_holder="CWG-COP bot",
        msgid_bugs_address="",
        creation_date=old.creation_date if path.exists() else datetime.now(UTC),
        revision_date=datetime.now(UTC),
        language_team=f"{Locale.parse(language).english_name} <cwg-cop>",
        fuzzy=False,
    )
    for msgid, context, locations, notes in messages:
        previous = old.get(msgid, context=context)
        string: str | tuple[str, ...] = ""
        flags: set[str] = set()
        comments: list[str] = []
        if previous is not None:
            string = previous.string
            flags = set(previous.flags) & {"fuzzy"}
            comments = list(previous.user_comments)
        if isinstance(msgid, tuple) and not string:
            string = tuple("" for _ in range(get_plural(Locale.parse(language)).num_plurals))
        new.add(
            msgid,
            string,
            locations=locations,
            flags=flags,
            auto_comments=notes,
            user_comments=comments,
            context=context,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, sort_output=False, include_lineno=False)


def extract(features: list[str]) -> None:
    for feature in features:
        messages = extract_feature(feature)
        for language in TRANSLATED:
            merge(COGS / feature / "locales" / f"{language}.po", language, messages, f"cwgcop-{feature}")
        print(f"{feature}: {len(messages)} msgids")


# ---------------------------------------------------------------------------------------------
# Commands


def walk_commands(tree) -> Iterator[tuple[str, str]]:
    """(text, kind) for every localisable string of the tree: names, descriptions, options, choices."""
    from discord import app_commands

    def visit(command) -> Iterator[tuple[str, str]]:
        group = isinstance(command, app_commands.Group)
        yield command.name, "group_name" if group else "command_name"
        if command.description:
            yield command.description, "group_description" if group else "command_description"
        if group:
            for child in command.commands:
                yield from visit(child)
            return
        if isinstance(command, app_commands.ContextMenu):
            return
        for parameter in command.parameters:
            yield parameter.display_name, "parameter_name"  # the name Discord shows (after any rename)
            if parameter.description and parameter.description != "…":
                yield parameter.description, "parameter_description"
            for choice in parameter.choices:
                yield choice.name, "choice_name"

    for command in tree.get_commands():
        yield from visit(command)


async def _command_strings() -> list[tuple[str, str]]:
    from bot import EXTENSIONS, MeetingBot
    from config.settings import Settings
    from storage.database import Database

    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "extract.sqlite3")
        try:
            bot = MeetingBot(Settings(token="x" * 60, database=Path(folder) / "extract.sqlite3"), db)
            async with bot:  # initialised, never logged in: the cogs' start-up tasks wait for a gateway
                for name in EXTENSIONS:
                    await bot.load_extension(name)
                strings = list(dict.fromkeys(walk_commands(bot.tree)))
        finally:
            await db.close()
    return strings


def command_strings() -> list[tuple[str, str]]:
    return asyncio.run(_command_strings())


def extract_commands() -> None:
    strings = command_strings()
    messages: list[Message] = [(text, kind, [], []) for text, kind in strings]
    for language in COMMAND_LANGUAGES:
        merge(COMMANDS_DIR / f"{language}.po", language, messages, "cwgcop-commands")
    print(f"commands: {len(messages)} msgids")


def status(features: list[str]) -> int:
    missing_total = 0
    for feature in features:
        for language in TRANSLATED:
            path = COGS / feature / "locales" / f"{language}.po"
            catalog = read_catalog(path, language)
            missing = [
                m
                for m in list(catalog)[1:]
                if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,))
            ]
            missing_total += len(missing)
            print(f"{feature} {language}: {len(missing)} to translate")
    return 1 if missing_total else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.i18n")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract")
    ex.add_argument("features", nargs="+")
    sub.add_parser("extract-commands")
    st = sub.add_parser("status")
    st.add_argument("features", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract(args.features)
    elif args.command == "extract-commands":
        extract_commands()
    else:
        return status(args.features)
    return 0


if __name__ == "__main__":
    sys.exit(main())
