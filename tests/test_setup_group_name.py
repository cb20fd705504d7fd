"""/setup group-name through the real bot: the group's official name per language (issue 13).

Set, cleared and shown with /setup; refused politely when it is not a plain one-line name or the
member lacks Manage Server (and then nothing changes); kept across a restart.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from test_i18n_bot import client_locales  # noqa: F401 (a fixture)

from storage.guild_settings import GuildSettingsRepo
from tests.conftest import build_world

FR = "Groupe de travail du Conseil sur la protection en ligne des enfants"
RU = "Рабочая группа Совета по защите ребенка в онлайновой среде"


@pytest.fixture
async def fresh(simcord_env):
    """A server where nobody has run /setup yet."""
    return build_world(simcord_env)


async def names(world) -> dict[str, str]:
    return (await GuildSettingsRepo(world.bot.db).get(world.guild.id)).group_name_map


async def shown(world) -> str:
    """The /setup show field listing the names, as an admin reads it."""
    r = await world.admin.slash(world.general, "setup show")
    assert r.ephemeral
    fields = {f.name: f.value for f in r.response.embeds[0].fields}
    return fields["The group's name in each language"]


async def test_set_show_and_clear_a_name(fresh):
    w = fresh
    assert (await shown(w)).splitlines() == [
        "العربية (ar): not set (the code alone, CWG-COP)",
        "中文 (zh): not set (the code alone, CWG-COP)",
        "English (en): Council Working Group on Child Online Protection (the default)",
        "Français (fr): not set (the code alone, CWG-COP)",
        "Русский (ru): not set (the code alone, CWG-COP)",
        "Español (es): not set (the code alone, CWG-COP)",
    ]

    r = await w.admin.slash(w.general, "setup group-name", language="fr", name=f"  {FR}  ")
    assert r.ephemeral
    assert r.response.content.splitlines()[0] == "The group's name in Français (fr) is saved."
    assert f"Français (fr): {FR}" in r.response.content.splitlines()
    r = await w.admin.slash(w.general, "setup group-name", language="ru", name=RU)
    assert await names(w) == {"fr": FR, "ru": RU}
    lines = (await shown(w)).splitlines()
    assert lines[3] == f"Français (fr): {FR}" and lines[4] == f"Русский (ru): {RU}"
    assert lines[2] == "English (en): Council Working Group on Child Online Protection (the default)"

    # An English name replaces the default; clearing it brings the default back.
    await w.admin.slash(w.general, "setup group-name", language="en", name="Council Working Group on COP")
    assert (await shown(w)).splitlines()[2] == "English (en): Council Working Group on COP"
    r = await w.admin.slash(w.general, "setup group-name", language="en")
    assert r.response.content.splitlines()[0] == "The group's name in English (en) is cleared."
    assert (await shown(w)).splitlines()[2] == (
        "English (en): Council Working Group on Child Online Protection (the default)"
    )

    # Leaving name: out clears that language only.
    r = await w.admin.slash(w.general, "setup group-name", language="fr")
    assert r.response.content.splitlines()[0] == "The group's name in Français (fr) is cleared."
    assert await names(w) == {"ru": RU}
    r = await w.admin.slash(w.general, "setup group-name", language="fr")
    assert r.response.content.splitlines()[0] == "No name was set in Français (fr): nothing changed."


async def test_the_list_follows_the_group_code(fresh):
    w = fresh
    await w.admin.slash(w.general, "setup options", group_code="ITU-T-SG17")
    lines = (await shown(w)).splitlines()
    # No default name is known for another code: English shows the code alone too.
    assert lines[2] == "English (en): not set (the code alone, ITU-T-SG17)"


TOO_LONG = "Groupe " * 22  # 154 characters once the trailing space is stripped


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("A" * 151, "The name is 151 characters long; the limit is 150 characters. Shorten it."),
        (TOO_LONG, "The name is 153 characters long; the limit is 150 characters. Shorten it."),
        ("Groupe de travail\ndu Conseil", "Write the name on one line: it contains a line break."),
        (
            "Working Group @everyone",
            "The name cannot contain `@` (Discord formatting or mentions). Write it as plain text.",
        ),
        (
            "Group <@&123456789012345678>",
            "The name cannot contain `<` `@` `>` (Discord formatting or mentions). Write it as plain text.",
        ),
        ("**Bold** group", "The name cannot contain `*` (Discord formatting or mentions). Write it as plain text."),
        (
            "[ITU](https://itu.int)",
            "The name cannot contain `[` `]` (Discord formatting or mentions). Write it as plain text.",
        ),
        ("Group, see https://itu.int", "The name cannot contain a web address. Write it as plain text."),
        ("Groupe\u202e de travail", "The name contains invisible control characters. Type it again as plain text."),
        ("Council Working Group (CWG-COP)", "Leave out the code `CWG-COP`: the documents add it themselves."),
        ("   ", "The name is empty. Write the group's name, or leave `name` out to clear it."),
    ],
)
async def test_a_name_that_is_not_plain_text_on_one_line_is_refused_and_nothing_changes(fresh, name, message):
    w = fresh
    await w.admin.slash(w.general, "setup group-name", language="fr", name=FR)
    r = await w.admin.slash(w.general, "setup group-name", language="fr", name=name)
    assert r.ephemeral
    assert r.response.content == message
    assert await names(w) == {"fr": FR}


async def test_a_member_without_manage_server_is_refused_and_nothing_changes(fresh):
    w = fresh
    await w.admin.slash(w.general, "setup group-name", language="fr", name=FR)
    assert not [c for c in w.chair.available_commands(w.general) if c.startswith("setup")]
    commands = await w.bot.tree.fetch_commands()
    setup = next(c for c in commands if c.name == "setup")
    # An admin let the chair and the participants see /setup in Discord's Integrations settings.
    w.guild.set_command_permissions(setup, {w.chair_role: True, w.participant_role: True})
    for member in (w.chair, w.delegate):
        for kwargs in ({"name": "Autre nom"}, {}):  # setting and clearing
            r = await member.slash(w.general, "setup group-name", language="fr", **kwargs)
            assert r.ephemeral
            assert "You need the Manage Guild permission" in r.response.content
    assert await names(w) == {"fr": FR}


async def test_the_names_survive_a_restart(fresh, harness):
    w = fresh
    await w.admin.slash(w.general, "setup group-name", language="fr", name=FR)
    await w.admin.slash(w.general, "setup group-name", language="ru", name=RU)
    old_db = w.bot.db
    bot = await harness.restart()
    assert bot.db is not old_db
    fresh_repo = GuildSettingsRepo(bot.db)  # a new database object: its cache starts empty
    assert (await fresh_repo.get(w.guild.id)).group_name_map == {"fr": FR, "ru": RU}
    lines = (await shown(w)).splitlines()
    assert lines[3] == f"Français (fr): {FR}" and lines[4] == f"Русский (ru): {RU}"


async def test_two_languages_set_at_once_are_both_kept(db):
    repo = GuildSettingsRepo(db)
    await repo.update(1, group_code="CWG-COP")
    await asyncio.gather(repo.set_group_name(1, "fr", FR), repo.set_group_name(1, "ru", RU))
    assert (await repo.get(1)).group_name_map == {"fr": FR, "ru": RU}
    assert (await GuildSettingsRepo(db).get(1)).group_name_in("ru") == RU
    # Another option changed later keeps the names.
    await repo.update(1, timezone="Asia/Manila")
    assert (await repo.get(1)).group_name_map == {"fr": FR, "ru": RU}


async def test_the_command_and_its_answers_are_in_the_members_language(fresh, client_locales) -> None:  # noqa: F811
    w = fresh
    payload = {c["name"]: c for c in await w.bot.command_payload()}
    (command,) = [o for o in payload["setup"]["options"] if o["name"] == "group-name"]
    assert command["name_localizations"]["fr"] == "nom-du-groupe"
    assert command["name_localizations"]["zh-CN"] == "组名称"
    options = {o["name"]: o for o in command["options"]}
    assert options["name"]["name_localizations"]["fr"] == "nom"
    assert [c["value"] for c in options["language"]["choices"]] == ["ar", "zh", "en", "fr", "ru", "es"]

    client_locales[w.admin.id] = "fr"
    r = await w.admin.slash(w.general, "setup group-name", language="fr", name="Groupe @everyone")
    assert r.response.content == (
        "Le nom ne peut pas contenir `@` (mise en forme ou mentions Discord). Écrivez-le en texte brut."
    )
    r = await w.admin.slash(w.general, "setup group-name", language="fr", name=FR)
    assert r.response.content.splitlines()[:2] == [
        "Le nom du groupe pour Français (fr) est enregistré.",
        "العربية (ar): non défini (le code seul, CWG-COP)",
    ]
    client_locales[w.admin.id] = "ru"
    r = await w.admin.slash(w.general, "setup group-name", language="ru", name="x" * 151)
    assert r.response.content == ("Длина названия: 151 симв.; допускается не более 150 символов. Сократите его.")
    assert await names(w) == {"fr": FR}


async def test_an_arabic_answer_isolates_each_name(fresh, client_locales) -> None:  # noqa: F811
    w = fresh
    await w.admin.slash(w.general, "language set", language="ar")
    r = await w.admin.slash(w.general, "setup group-name", language="fr", name=FR)
    lines = r.response.content.splitlines()
    assert lines[0] == "حُفظ اسم الفريق بلغة Français (fr)."
    assert lines[3] == "English (en): \u2068Council Working Group on Child Online Protection\u2069 (الافتراضي)"
    assert lines[4] == f"Français (fr): \u2068{FR}\u2069"
    assert lines[5] == "Русский (ru): غير محدد (الرمز وحده، CWG-COP)"


async def test_the_column_holds_only_a_json_object(db):
    repo = GuildSettingsRepo(db)
    await repo.set_group_name(1, "fr", FR)
    for bad in ("not json", "[]", '"a name"'):
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("UPDATE guild_settings SET group_names = ? WHERE guild_id = 1", (bad,))
    assert await db.fetchval("SELECT group_names FROM guild_settings WHERE guild_id = 1") == f'{{"fr": "{FR}"}}'
