"""Catalog checks (issue 13): every message translated, placeholders intact, Discord's limits kept.

Features are converted one by one (docs/translating.md): a feature in NOT_YET_CONVERTED may have
msgids without translations (the test reports how many); the features already converted may not.
"""

from __future__ import annotations

import ast
import io
import re
import string
import warnings
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from cogs.core import i18n
from cogs.core.i18n_discord import LIMITS, NAME_KINDS
from tools.i18n import COMMAND_LANGUAGES, COMMANDS_DIR, TRANSLATED, extract_feature

ROOT = Path(__file__).resolve().parent.parent
COGS = ROOT / "cogs"
FEATURES = sorted(p.name for p in COGS.iterdir() if p.is_dir() and (p / "__init__.py").exists())

# Features whose strings are still being converted: untranslated msgids are allowed, and reported.
# A feature leaves this set when its conversion lands; it must never come back.
NOT_YET_CONVERTED: frozenset[str] = frozenset()
CONVERTED = frozenset(
    {
        "setup",
        "attendance",
        "language",
        "meetings",
        "calendar",
        "reports",
        "core",
        "agenda",
        "contributions",
        "reminders",
        "capture",
    }
)

MESSAGE_LIMIT = 2000
# "# i18n: button label (80)" before a msgid: the limit of where it goes.
LIMIT_COMMENT = re.compile(r"\((\d+)\)")


def test_converted_features_are_not_in_the_allowance():
    assert not CONVERTED & NOT_YET_CONVERTED
    assert set(FEATURES) >= CONVERTED


def po_files() -> list[Path]:
    return sorted(COGS.glob("*/locales/*.po")) + sorted(COMMANDS_DIR.glob("*.po"))


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


@pytest.mark.parametrize("path", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_po_parses_compiles_and_has_the_right_plural_forms(path: Path):
    catalog = read(path)
    language = path.stem
    assert language in (COMMAND_LANGUAGES if path.parent == COMMANDS_DIR else TRANSLATED)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # compiles
    assert buffer.getvalue()
    assert catalog.plural_forms == get_plural(Locale.parse(language)).plural_forms
    for message in list(catalog)[1:]:
        if isinstance(message.id, tuple) and any(message.string):
            assert len(message.string) == catalog.num_plurals, message.id


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("path", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_are_identical(path: Path):
    for message in list(read(path))[1:]:
        if not message.string or (isinstance(message.string, tuple) and not any(message.string)):
            continue
        if isinstance(message.id, tuple):
            expected = fields(message.id[0]) | fields(message.id[1])
            for form in message.string:
                got = fields(form)
                # A form may leave out the count itself ("one Member State" in words), nothing else.
                assert got <= expected and expected - got <= {"n"}, (message.id, form)
        else:
            assert fields(message.string) == fields(message.id), (message.id, message.string)


@pytest.mark.parametrize("feature", FEATURES)
def test_every_msgid_in_the_code_is_translated(feature: str):
    used = extract_feature(feature)
    if not used:
        return
    missing: list[str] = []
    unsure: list[str] = []
    for language in TRANSLATED:
        path = COGS / feature / "locales" / f"{language}.po"
        catalog = read(path) if path.exists() else None
        for msgid, context, _where, _notes in used:
            entry = catalog.get(msgid, context=context) if catalog is not None else None
            strings = (
                entry.string
                if entry is not None and isinstance(entry.string, tuple)
                else (entry.string if entry else "",)
            )
            if entry is None or not all(strings):
                missing.append(f"{language}: {msgid!r}")
            elif entry.fuzzy:
                # Unsure wording: marked fuzzy (so English is shown) with the doubt written down.
                if feature in NOT_YET_CONVERTED or not any(c.startswith("Review:") for c in entry.user_comments):
                    missing.append(f"{language} (fuzzy without a Review: comment): {msgid!r}")
                else:
                    unsure.append(f"{language}: {msgid!r}")
    if feature in NOT_YET_CONVERTED:
        if missing:
            warnings.warn(f"{feature}: {len(missing)} translations to do (not yet converted)", stacklevel=1)
        return
    assert not missing, f"{feature} has untranslated messages; run `python -m tools.i18n extract {feature}`"
    if unsure:
        warnings.warn(f"{feature}: {len(unsure)} translations marked fuzzy for review: {unsure}", stacklevel=1)


@pytest.mark.parametrize("feature", sorted(CONVERTED))
def test_fuzzy_entries_are_few_and_fall_back_to_english(feature: str):
    """A fuzzy entry stays marked in the file and is not used: the English is shown instead."""
    translator = i18n.translator(feature)
    for language in TRANSLATED:
        for message in list(read(COGS / feature / "locales" / f"{language}.po"))[1:]:
            if message.fuzzy and not isinstance(message.id, tuple):
                assert translator.gettext(message.id, in_language=language) == message.id


def test_a_fuzzy_entry_is_not_used(tmp_path: Path):
    (tmp_path / "fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "Hello"\nmsgstr "Bonjour"\n\nmsgid "Bye"\nmsgstr "Au revoir"\n',
        encoding="utf-8",
    )
    t = i18n.Translator("test-fuzzy", directory=tmp_path)
    assert t.gettext("Hello", in_language="fr") == "Hello"
    assert t.gettext("Bye", in_language="fr") == "Au revoir"


def test_limits_of_messages():
    """Messages fit a Discord message; button labels (``# i18n: button label (80)``) fit a button."""
    for feature in FEATURES:
        for path in sorted((COGS / feature / "locales").glob("*.po")):
            for message in list(read(path))[1:]:
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                limit = MESSAGE_LIMIT
                for comment in message.auto_comments:
                    found = LIMIT_COMMENT.search(comment)
                    if found:
                        limit = int(found.group(1))
                for form in forms:
                    assert len(form) <= limit, (path.name, message.id)


def test_button_label_comment_is_extracted():
    catalog = read(COGS / "attendance" / "locales" / "fr.po")
    entry = catalog.get("I am present")
    assert entry is not None and any("(80)" in c for c in entry.auto_comments)


NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.mark.parametrize("path", sorted(COMMANDS_DIR.glob("*.po")), ids=lambda p: p.name)
def test_command_strings_keep_discords_rules(path: Path):
    for message in list(read(path))[1:]:
        assert message.string, (path.name, message.context, message.id)
        assert not message.fuzzy or message.string
        kind = message.context
        assert kind in LIMITS, kind
        assert len(message.string) <= LIMITS[kind], (path.name, message.id, message.string)
        if kind in NAME_KINDS:
            assert NAME.match(message.string), (path.name, message.string)
            assert message.string == message.string.lower(), (path.name, message.string)


async def test_the_commands_catalog_covers_the_real_tree_and_names_stay_unique_among_siblings(simcord_bot):
    """Every command string of the real tree is in the catalog; translated names never collide."""
    from discord import app_commands

    from bot import EXTENSIONS
    from cogs.core.i18n_discord import CommandTranslator
    from tools.i18n import walk_commands

    bot = simcord_bot
    async with bot:
        for name in EXTENSIONS:
            await bot.load_extension(name)
        strings = set(walk_commands(bot.tree))
        translator = CommandTranslator()
        await translator.load()
        for language in COMMAND_LANGUAGES:
            catalog = read(COMMANDS_DIR / f"{language}.po")
            for text, kind in strings:
                entry = catalog.get(text, context=kind)
                assert entry is not None and entry.string, f"{language}: {kind} {text!r} missing: run extract-commands"

            def names(children, language=language) -> list[str]:
                out = []
                for child in children:
                    kind = "group_name" if isinstance(child, app_commands.Group) else "command_name"
                    out.append(translator.lookup(child.name, kind, language) or child.name)
                return out

            def check(children, language=language) -> None:
                shown = names(children, language)
                assert len(shown) == len(set(shown)), (language, shown)
                for child in children:
                    if isinstance(child, app_commands.Group):
                        check(child.commands, language)
                    elif isinstance(child, app_commands.Command):
                        params = [
                            translator.lookup(p.name, "parameter_name", language) or p.name for p in child.parameters
                        ]
                        assert len(params) == len(set(params)), (language, child.qualified_name, params)

            check(bot.tree.get_commands())


# ---------------------------------------------------------------------------------------------
# No English literal reaches a person from a converted feature

# Calls whose text arguments reach a person.
SINKS = {
    "reply",
    "send",
    "send_message",
    "edit_message",
    "edit_original_response",
    "UserError",
    "Embed",
    "add_field",
    "set_footer",
    "set_author",
    "Button",
    "TextInput",
    "SelectOption",
}
TEXT_KWARGS = {"content", "title", "description", "name", "value", "text", "label", "placeholder"}
LETTERS = re.compile(r"[A-Za-z]{2,}")


def _english(node: ast.AST) -> bool:
    """A literal with words in it (an f-string or a concatenation too), not through ``_()``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTERS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_english(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _english(node.left) or _english(node.right)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "_text":
        return node.attr.isupper()  # a _text constant handed over without _()
    return False


def _sink_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


@pytest.mark.parametrize("feature", sorted(CONVERTED))
def test_no_english_literal_reaches_a_person(feature: str):
    problems: list[str] = []
    for path in sorted((COGS / feature).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _sink_name(node) not in SINKS:
                continue
            args = list(node.args)
            if _sink_name(node) == "reply":
                args = args[1:]  # reply(interaction, text)
            args += [k.value for k in node.keywords if k.arg in TEXT_KWARGS]
            for arg in args:
                if _english(arg):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not problems, "English text reaches a person without _(): " + ", ".join(problems)


def test_the_scan_finds_an_english_literal():
    bad = ast.parse('reply(interaction, f"Saved {x}.")\nraise UserError("Nope")\nreply(i, _text.DONE)')
    calls = [n for n in ast.walk(bad) if isinstance(n, ast.Call)]
    flagged = [c for c in calls if _sink_name(c) in SINKS and any(_english(a) for a in c.args)]
    assert len(flagged) == 3
