"""The shared refusals and errors of cogs/core in the six languages (issue 13).

Through the real bot (simcord): the organiser refusal, an unexpected error, a bad time zone or date,
and a missing permission's fix line, each read in the member's language (Discord client locale, or
/language set: the only way to Arabic). Then the pure pieces: user_message(), the time-parsing
refusals and is_default_title() in every language.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
from discord import app_commands
from test_capture_support import answer
from test_i18n_bot import client_locales  # noqa: F401 (fixture)
from test_meetings_bot import create, set_bot_permission

from bot import EXTENSIONS, MeetingBot
from cogs.core import house_style as hs
from cogs.core import i18n, timefmt
from cogs.core.errors import NotOrganiser, UserError
from cogs.core.interactions import UNEXPECTED, user_message
from cogs.meetings import _rules as meetings_rules
from storage.meetings import MeetingsRepo


@pytest.fixture
def simcord_bot(settings, db):
    """The real bot plus the test-only extension whose /boom fails unexpectedly."""
    return MeetingBot(settings, db, extensions=(*EXTENSIONS, "tests.boom_extension"))


ORGANISERS_ONLY = {
    "en": "This command is for the meeting organisers (the chair and secretariat roles, or Manage Server).",
    "fr": "Cette commande est réservée aux organisateurs de la réunion (rôles de président et de secrétariat, "
    "ou permission « Gérer le serveur »).",
    "es": "Este comando está reservado a los organizadores de la reunión (funciones de presidente y de secretaría, "
    "o permiso «Gestionar servidor»).",
    "ru": "Эта команда доступна только организаторам собрания (роли председателя и секретариата или право "
    "«Управлять сервером»).",
    "zh": "此命令仅限会议组织者使用（主席和秘书处身份组，或“管理服务器”权限）。",
    "ar": "هذا الأمر مخصص لمنظمي الاجتماع (دورا الرئيس والأمانة، أو إذن Manage Server).",
}
CLIENT = {"en": "en-GB", "fr": "fr", "es": "es-419", "ru": "ru", "zh": "zh-CN"}


@pytest.mark.parametrize("language", sorted(CLIENT))
async def test_a_non_organiser_is_refused_in_the_client_language(world, client_locales, language):  # noqa: F811
    client_locales[world.delegate.id] = CLIENT[language]
    refused = await create(world, number=19, member=world.delegate)
    assert refused.ephemeral
    assert answer(refused) == ORGANISERS_ONLY[language]
    assert await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19) is None


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_a_non_organiser_is_refused_in_the_language_they_set(world, client_locales, language):  # noqa: F811
    client_locales[world.delegate.id] = "en-US"
    await world.delegate.slash(world.general, "language set", language=language)
    refused = await world.delegate.slash(world.general, "meeting cancel", meeting=1)
    assert refused.ephemeral
    assert answer(refused) == ORGANISERS_ONLY[language]
    # Another member with the same client is still answered in English.
    other = await create(world, number=19, member=world.delegate2)
    assert answer(other) == ORGANISERS_ONLY["en"]


UNEXPECTED_IN = {
    "fr": "Une erreur s'est produite de mon côté et rien n'a été modifié.",
    "ar": "حدث خطأ من جانبي ولم يُغيَّر أي شيء.",
    "zh": "我这边出现了错误，未做任何更改。",
}


async def test_an_unexpected_error_is_answered_in_the_members_language(world, client_locales):  # noqa: F811
    client_locales[world.delegate.id] = "fr"
    r = await world.delegate.slash(world.general, "boom")
    assert r.ephemeral and answer(r).startswith(UNEXPECTED_IN["fr"])
    assert "Traceback" not in answer(r) and "RuntimeError" not in answer(r)
    await world.delegate2.slash(world.general, "language set", language="ar")
    r = await world.delegate2.slash(world.general, "boom")
    assert answer(r).startswith(UNEXPECTED_IN["ar"])
    client_locales[world.chair.id] = "zh-CN"
    r = await world.chair.slash(world.general, "boom")
    assert answer(r).startswith(UNEXPECTED_IN["zh"])
    r = await world.secretary.slash(world.general, "boom")
    assert answer(r) == UNEXPECTED  # English, as before
    world.env.errors  # noqa: B018 (the RuntimeErrors simcord captured were expected here)


BAD_ZONE = {
    "fr": "`Europe/Genevaa` n'est pas un fuseau horaire connu. Veuillez utiliser un nom IANA tel que `Europe/Zurich`",
    "es": "`Europe/Genevaa` no es una zona horaria conocida. Utilice un nombre IANA como `Europe/Zurich`",
    "ru": "`Europe/Genevaa` — неизвестный часовой пояс. Укажите название по базе IANA, например `Europe/Zurich`",
    "zh": "`Europe/Genevaa` 不是可识别的时区。请使用 IANA 名称，例如 `Europe/Zurich`",
    "ar": "`Europe/Genevaa` ليست منطقة زمنية معروفة لدي. يُرجى استخدام اسم من قاعدة IANA مثل `Europe/Zurich`",
    "en": "`Europe/Genevaa` is not a time zone I know. Use an IANA name such as `Europe/Zurich`",
}
BAD_DATE = {
    "fr": "`26.01.2027` n'est pas une date. Veuillez l'écrire sous la forme AAAA-MM-JJ, par exemple `2027-01-26`.",
    "es": "`26.01.2027` no es una fecha. Escríbala con el formato AAAA-MM-DD, por ejemplo `2027-01-26`.",
    "ru": "`26.01.2027` — не дата. Укажите её в формате ГГГГ-ММ-ДД, например `2027-01-26`.",
    "zh": "`26.01.2027` 不是日期。请按 YYYY-MM-DD 格式填写，例如 `2027-01-26`。",
    "ar": "`26.01.2027` ليس تاريخًا. يُرجى كتابته بالصيغة YYYY-MM-DD، مثل `2027-01-26`.",
    "en": "`26.01.2027` is not a date. Write it as YYYY-MM-DD, e.g. `2027-01-26`.",
}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_a_bad_time_zone_or_date_is_refused_in_the_members_language(world, language):
    await world.chair.slash(world.general, "language set", language=language)
    zone = await create(world, number=19, timezone="Europe/Genevaa")
    assert zone.ephemeral and BAD_ZONE[language] in answer(zone)
    day = await create(world, number=19, start="26.01.2027 10:00")
    assert day.ephemeral and answer(day) == BAD_DATE[language]
    assert await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19) is None


async def test_a_time_in_the_spring_gap_is_refused_in_russian(world, client_locales):  # noqa: F811
    client_locales[world.chair.id] = "ru"
    r = await create(world, number=19, start="2027-03-28 02:30", end="04:00")
    assert answer(r) == (
        "2027-03-28 02:30 в поясе Europe/Zurich не существует (в эту ночь часы переводят вперёд); "
        "выберите другое время."
    )


async def test_a_missing_permission_fix_line_in_french(world, client_locales):  # noqa: F811
    await set_bot_permission(world, "create_events", False)
    await set_bot_permission(world, "pin_messages", False)
    client_locales[world.chair.id] = "fr"
    first = await create(world, number=19)
    assert "Correction: Paramètres du serveur → Rôles → **TestBot** → autoriser **Créer des événements**." in answer(
        first
    ), answer(first)
    client_locales[world.admin.id] = "fr"
    shown = await world.admin.slash(world.general, "setup show")
    text = "\n".join(f.value for f in shown.response.embeds[0].fields)
    assert (
        "Sur ce serveur, il me manque: **Créer des événements** "
        "(pour reproduire les réunions sous forme d'événements Discord)." in text
    ), text
    assert (
        f"{world.agenda.mention} (salon de l'ordre du jour): il me manque **Épingler des messages** "
        "(pour épingler l'ordre du jour)." in text
    ), text
    assert (
        f"Correction: {world.agenda.mention} → Modifier le salon → Permissions → **TestBot** → "
        "autoriser **Épingler des messages**." in text
    ), text


# ---------------------------------------------------------------------------------------------
# The pieces (pure)


def test_user_message_texts_in_other_languages():
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60), retry_after=5.2)
    with i18n.locale("ru"):
        assert user_message(cooldown) == "Пожалуйста, не так быстро: повторите попытку через 5 секунд."
        two = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60), retry_after=2)
        assert user_message(two) == "Пожалуйста, не так быстро: повторите попытку через 2 секунды."
        assert user_message(app_commands.NoPrivateMessage()) == (
            "Эта команда работает на сервере CWG-COP, а не в личных сообщениях."
        )
    with i18n.locale("ar"):
        assert user_message(cooldown) == "يُرجى التمهل قليلًا: أعد المحاولة بعد 5 ثوانٍ."
    missing = app_commands.MissingPermissions(["manage_guild", "manage_roles"])
    with i18n.locale("fr"):
        assert user_message(missing) == "Cette commande nécessite les permissions Manage Guild et Manage Roles."
        forbidden = discord.Forbidden(_Response(), "Missing Access")
        assert "`/configuration afficher` indique ce qui me manque" in user_message(forbidden)
        assert user_message(NotOrganiser()) == ORGANISERS_ONLY["fr"]
    with i18n.locale("es"):
        assert user_message(NotOrganiser("This button")).startswith("Este botón está reservado a los organizadores")
        what = "Cambiar la dirección del calendario"
        assert user_message(NotOrganiser(what)) == (
            f"{what}: reservado a los organizadores de la reunión (funciones de presidente y de secretaría, "
            "o permiso «Gestionar servidor»)."
        )
    # English unchanged.
    assert user_message(missing) == "You need the Manage Guild, Manage Roles permission for this command."
    assert user_message(cooldown) == "Slow down a little: try again in 5 seconds."
    assert user_message(NotOrganiser()) == ORGANISERS_ONLY["en"]


class _Response:
    status = 403
    reason = "Forbidden"


def test_reminder_offsets_are_described_with_real_plurals():
    delta = timedelta(weeks=1, days=2, hours=21, minutes=1)
    assert timefmt.describe_offset(delta) == "1 week 2 days 21 hours 1 minute"
    with i18n.locale("ru"):
        assert timefmt.describe_offset(delta) == "1 неделя 2 дня 21 час 1 минута"
        assert timefmt.describe_offset(timedelta(days=5)) == "5 дней"
    with i18n.locale("ar"):
        assert timefmt.describe_offset(timedelta(days=2)) == "يومان"
        assert timefmt.describe_offset(timedelta(days=3)) == "3 أيام"
        assert timefmt.describe_offset(timedelta(minutes=11)) == "11 دقيقة"
    with i18n.locale("fr"):
        assert timefmt.describe_offset(timedelta(hours=2)) == "2 heures"


def test_time_parsing_refusals_in_other_languages():
    with i18n.locale("es"), pytest.raises(UserError) as refused:
        timefmt.parse_offset("soon")
    assert str(refused.value).startswith("`soon` no es una antelación de recordatorio.")
    with i18n.locale("zh"), pytest.raises(UserError) as refused:
        timefmt.parse_local("2027-10-31 02:30", ZoneInfo("Europe/Zurich"))
    assert str(refused.value).startswith("2027-10-31 02:30 在 Europe/Zurich 会出现两次")
    with i18n.locale("fr"), pytest.raises(UserError) as refused:
        timefmt.parse_local("tomorrow at ten", ZoneInfo("Europe/Zurich"), base_date=date(2027, 1, 26))
    assert str(refused.value) == (
        "`tomorrow at ten` n'est pas une date et une heure. Veuillez écrire `YYYY-MM-DD HH:MM` ou simplement `HH:MM`, "
        "par exemple `2027-01-26 10:00`."
    )


DEFAULT_TITLES = {
    "en": "19th meeting of the CWG-COP",
    "fr": "19e réunion du CWG-COP",
    "es": "19.ª reunión del CWG-COP",
    "ru": "19-е собрание CWG-COP",
    "zh": "CWG-COP 第19次会议",
    "ar": "الاجتماع 19 لفريق CWG-COP",
}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_default_title_is_recognised_in_every_language(language):
    with i18n.locale(language):
        stored = meetings_rules.default_title(19, "CWG-COP")
    assert stored == DEFAULT_TITLES[language]
    for reader in i18n.LANGUAGES:  # whatever language the document is rendered in
        with i18n.locale(reader):
            assert hs.is_default_title(stored, 19, "CWG-COP")
            assert hs.is_default_title(f"  {stored.upper()} ", 19, "CWG-COP")
            assert not hs.is_default_title(stored, 20, "CWG-COP")
            assert not hs.is_default_title(stored, 19, "CWG-X")
            assert not hs.is_default_title(f"{stored}: budget", 19, "CWG-COP")
    assert hs.is_default_title("the nineteenth meeting of the CWG-COP", 19, "CWG-COP")
    assert hs.is_default_title("CWG-COP-19", 19, "CWG-COP")


async def test_a_french_servers_default_title_is_not_repeated_as_a_title(world):
    await world.admin.slash(world.general, "setup options", languages="fr, en")
    await create(world, number=19)
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert meeting.title == "19e réunion du CWG-COP"
    assert hs.is_default_title(meeting.title, meeting.number, "CWG-COP")
