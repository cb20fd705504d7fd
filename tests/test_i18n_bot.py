"""Six languages through the real bot (issue 13): members are answered in their language, chosen by
their Discord client's locale or by /language set (the only way to Arabic), else the server's.

simcord sends every interaction with ``locale: en-US``; the ``client_locales`` fixture sets a
member's client locale in the INTERACTION_CREATE payload, as Discord does.
"""

from __future__ import annotations

import logging

import pytest
import simcord.interactions
from test_capture_support import answer, make_meeting, start_recording

from cogs.attendance import _rules
from cogs.core import i18n
from storage.capture import CaptureStore
from storage.guild_settings import GuildSettingsRepo
from storage.languages import LanguagesRepo
from storage.timeutil import utcnow


@pytest.fixture
def client_locales(monkeypatch: pytest.MonkeyPatch) -> dict[int, str]:
    """user id → the Discord client locale their interactions carry."""
    locales: dict[int, str] = {}
    original = simcord.interactions.base_payload

    def base_payload(backend, **kwargs):
        record, payload = original(backend, **kwargs)
        if kwargs["user_id"] in locales:
            payload["locale"] = locales[kwargs["user_id"]]
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", base_payload)
    return locales


# What /delegation set answers, and how it refuses a Member State it does not know, per language.
SET_GHANA = {
    "en": "Your delegation is now **Ghana** (Member State).",
    "fr": "Votre délégation est désormais **Ghana** (État Membre).",
    "ru": "Ваша делегация теперь **Ghana** (Государство-Член).",
    "es": "Su delegación es ahora **Ghana** (Estado Miembro).",
    "zh": "您的代表团现为 **Ghana**（成员国）。",
    "ar": "وفدك الآن هو **Ghana** (دولة عضو).",
}
REFUSAL = {
    "en": "is not one of ITU's 194 Member States",
    "fr": "ne figure pas parmi les 194 États Membres de l'UIT",
    "ru": "не входит в известный мне список 194 Государств-Членов МСЭ",
    "es": "no figura entre los 194 Estados Miembros de la UIT",
    "zh": "不在我所知的国际电联 194 个成员国之列",
    "ar": "ليست من بين الدول الأعضاء الـ 194 في الاتحاد",
}
LANGUAGE_SET = {
    "en": "From now on I answer you in English",
    "fr": "Désormais, je vous réponds en Français",
    "ru": "Отныне на этом сервере я отвечаю вам на языке: Русский",
    "es": "A partir de ahora le respondo en Español",
    "zh": "从现在起，我在本服务器中用中文回复您",
    "ar": "من الآن فصاعدًا سأجيبك باللغة العربية",
}
CLIENT_LOCALES = [
    ("en-GB", "en"),
    ("fr", "fr"),
    ("ru", "ru"),
    ("es-ES", "es"),
    ("es-419", "es"),
    ("zh-CN", "zh"),
    ("zh-TW", "zh"),
]


@pytest.mark.parametrize(("client", "language"), CLIENT_LOCALES)
async def test_answers_follow_the_client_locale(world, client_locales, client, language):
    client_locales[world.delegate.id] = client
    done = await world.delegate.slash(world.general, "delegation set", name="ghana", type="member_state")
    assert done.ephemeral
    assert SET_GHANA[language] in answer(done)
    refused = await world.delegate.slash(world.general, "delegation set", name="Atlantis", type="member_state")
    assert refused.ephemeral
    assert REFUSAL[language] in answer(refused)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_language_set_chooses_the_language_whatever_the_client(world, client_locales, language):
    client_locales[world.delegate.id] = "en-US"
    chosen = await world.delegate.slash(world.general, "language set", language=language)
    assert chosen.ephemeral and LANGUAGE_SET[language] in answer(chosen)
    assert await LanguagesRepo(world.bot.db).member_choice(world.guild.id, world.delegate.id) == language
    done = await world.delegate.slash(world.general, "delegation set", name="ghana", type="member_state")
    assert SET_GHANA[language] in answer(done)
    refused = await world.delegate.slash(world.general, "delegation set", name="Atlantis", type="member_state")
    assert REFUSAL[language] in answer(refused)
    # Another member (same client locale) is not affected.
    other = await world.delegate2.slash(world.general, "delegation set", name="ghana", type="member_state")
    assert SET_GHANA["en"] in answer(other)


async def test_arabic_by_choice_then_cleared_back_to_the_client(world, client_locales):
    client_locales[world.delegate.id] = "fr"
    await world.delegate.slash(world.general, "language set", language="ar")
    shown = await world.delegate.slash(world.general, "language show")
    assert "أجيبك باللغة العربية: وهي اختيارك (`/language set`)" in answer(shown)
    cleared = await world.delegate.slash(world.general, "language clear")
    assert "Votre choix est effacé: je vous réponds de nouveau en Français" in answer(cleared)
    again = await world.delegate.slash(world.general, "language show")
    assert "la langue de votre application Discord" in answer(again)
    nothing = await world.delegate.slash(world.general, "language clear")
    assert "Vous n'aviez pas choisi de langue" in answer(nothing)


async def test_the_servers_first_language_when_the_client_has_none_of_the_six(world, client_locales):
    client_locales[world.admin.id] = "de"
    saved = await world.admin.slash(world.general, "setup options", languages="fr, en")
    # This answer is still in English (the server's language when the command came); the next ones in French.
    assert "Languages of public posts: Français (fr), English (en)" in answer(saved)
    shown = await world.admin.slash(world.general, "setup show")
    assert shown.response.embeds[0].title == "Configuration du bot CWG-COP"
    assert (await GuildSettingsRepo(world.bot.db).get(world.guild.id)).languages == "fr,en"
    client_locales[world.delegate.id] = "ja"
    shown = await world.delegate.slash(world.general, "language show")
    assert "Je vous réponds en Français: la langue de ce serveur." in answer(shown)
    assert "Les publications de ce serveur sont en: Français et English." in answer(shown)


async def test_setup_refuses_a_language_that_is_not_one_of_the_six(world, client_locales):
    client_locales[world.admin.id] = "es-ES"
    refused = await world.admin.slash(world.general, "setup options", languages="fr,de")
    assert refused.ephemeral and "`de` no es uno de los seis idiomas" in answer(refused)
    assert (await GuildSettingsRepo(world.bot.db).get(world.guild.id)).languages == "en"
    empty = await world.admin.slash(world.general, "setup options", languages=" , ")
    assert "Indique al menos un idioma" in answer(empty)


async def test_setup_show_in_russian_with_plurals(world, client_locales):
    client_locales[world.admin.id] = "ru"
    await world.admin.slash(world.general, "setup options", contribution_deadline_days=21, retention_days=2)
    shown = await world.admin.slash(world.general, "setup show")
    (embed,) = shown.response.embeds
    assert embed.title == "Конфигурация бота CWG-COP"
    options = next(f.value for f in embed.fields if f.name == "Параметры")
    assert "Срок представления вкладов: за 21 день до открытия" in options
    assert "Хранение журналов чата: 2 дня" in options
    assert "Срок размещения документов: за 7 дней до открытия" in options


async def test_a_button_press_is_answered_in_the_members_language(world, client_locales):
    await make_meeting(world)
    await start_recording(world)
    (recording,) = await CaptureStore(world.bot.db).open_recordings()
    notice = next(m for m in world.meeting.history() if m.id == recording.start_message_id)
    client_locales[world.delegate.id] = "fr"
    pressed = await world.delegate.click(notice, label="I am present")
    assert pressed.ephemeral
    assert "Merci: vous êtes compté(e) comme présent(e) à la 19e réunion." in answer(pressed)
    await world.delegate2.slash(world.general, "language set", language="ar")
    arabic = await world.delegate2.click(notice, label="I am present")
    assert "شكرًا لك: سُجّل حضورك في الاجتماع 19." in answer(arabic)


async def test_an_autocomplete_runs_in_the_members_language(world, client_locales, monkeypatch):
    import importlib

    setup_cog = importlib.import_module("cogs.setup._cog")
    monkeypatch.setattr(setup_cog, "zone_choices", lambda current: [f"{i18n.current()}:{current}"])
    client_locales[world.admin.id] = "zh-TW"
    offered = await world.admin.autocomplete(world.general, "setup options", "timezone", "Eur")
    assert [c["value"] for c in offered] == ["zh:Eur"]


async def test_slash_commands_are_localised_for_discords_locales(world):
    payload = {c["name"]: c for c in await world.bot.command_payload()}
    delegation = payload["delegation"]
    assert delegation["name_localizations"]["fr"] == "délégation"
    assert delegation["name_localizations"]["zh-CN"] == "代表团"
    assert delegation["name_localizations"]["es-ES"] == delegation["name_localizations"]["es-419"] == "delegación"
    assert "zh-TW" not in delegation["name_localizations"]  # our Chinese is Simplified: Discord shows English
    assert (
        delegation["description_localizations"]["ru"] == "Кого вы представляете: учитывается в присутствии на собраниях"
    )
    language = payload["language"]
    (set_,) = [o for o in language["options"] if o["name"] == "set"]
    choices = set_["options"][0]["choices"]
    assert [c["name"] for c in choices] == ["العربية", "中文", "English", "Français", "Русский", "Español"]


async def test_forget_removes_the_members_language(world):
    repo = LanguagesRepo(world.bot.db)
    await repo.set_choice(world.guild.id, world.delegate.id, "ar", now=utcnow())
    await repo.set_choice(world.guild.id, world.delegate2.id, "fr", now=utcnow())
    await CaptureStore(world.bot.db).forget(world.guild.id, world.delegate.id, by=world.chair.id, now=utcnow())
    assert await repo.member_choice(world.guild.id, world.delegate.id) is None
    assert await repo.member_choice(world.guild.id, world.delegate2.id) == "fr"


# ---------------------------------------------------------------------------------------------
# The pieces (pure)


def test_resolution_order():
    assert i18n.resolve("ar", "fr", ("en",)) == "ar"
    assert i18n.resolve(None, "es-419", ("en",)) == "es"
    assert i18n.resolve(None, "zh-TW", ("en",)) == "zh"
    assert i18n.resolve(None, "en-GB", ("fr",)) == "en"
    assert i18n.resolve(None, "de", ("ru", "en")) == "ru"
    assert i18n.resolve(None, None, ()) == "en"


def test_real_plurals_arabic_six_forms_russian_three():
    with i18n.locale("ar"):
        forms = {_rules.count_phrase("member_state", n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(forms) == 6
    with i18n.locale("ru"):
        assert [_rules.count_phrase("member_state", n) for n in (1, 3, 5, 21, 22, 25)] == [
            "1 Государство-Член",
            "3 Государства-Члена",
            "5 Государств-Членов",
            "21 Государство-Член",
            "22 Государства-Члена",
            "25 Государств-Членов",
        ]


def test_dates_follow_the_language_and_state_geneva_time():
    from datetime import UTC, datetime

    when = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    expected = {
        "en": "1 December 2026, 15:00 (Geneva time)",
        "fr": "1 décembre 2026, 15:00 (heure de Genève)",
        "ru": "1 декабря 2026\u202fг., 15:00 (женевское время)",
        "es": "1 de diciembre de 2026, 15:00 (hora de Ginebra)",
        "zh": "2026年12月1日 15:00 (日内瓦时间)",
    }
    for language, text in expected.items():
        with i18n.locale(language):
            assert i18n.format_datetime(when) == text
    with i18n.locale("ar"):
        assert "بتوقيت جنيف" in i18n.format_datetime(when)
        assert i18n.format_decimal(1234.5) == "1,234.5"  # Babel's CLDR data for ar: Latin digits
    with i18n.locale("fr"):
        assert i18n.format_decimal(1234.5) == "1\u202f234,5"


def test_a_bilingual_post_carries_each_language_within_the_limit(caplog):
    from cogs.attendance._text import _

    def render():
        return _("Your delegation is cleared.")

    both = i18n.multilingual(("fr", "en"), render)
    assert both == "Votre délégation est effacée.\n\nYour delegation is cleared."
    with caplog.at_level(logging.WARNING):
        first_only = i18n.multilingual(("fr", "en"), render, limit=40)
    assert first_only == "Votre délégation est effacée."
    assert "posted in fr only" in caplog.text


def test_a_bilingual_embed_falls_back_to_fewer_languages_when_too_large(caplog):
    import discord

    from cogs.core.i18n_discord import multilingual_embed

    def build():
        embed = discord.Embed(title=i18n.current(), description="x" * 1500)
        return embed

    with caplog.at_level(logging.WARNING):
        embed = multilingual_embed(("fr", "en", "ru"), build)
    assert embed.title == "fr / en"
    assert len(embed.description) == 1500 * 2 + 2
    assert "posted in fr, en only" in caplog.text
