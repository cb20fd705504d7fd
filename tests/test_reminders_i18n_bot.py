"""/remind and the reminders themselves in the six languages, through the real bot (issue 13).

Replies follow the member's language (the Discord client's locale, or /language set, the only way to
Arabic). Direct-message reminders, sent by a scheduled job outside any interaction, follow the
member's own /language choice, else the server's first language. Channel posts (reminders, deadline
notices, "starting now") follow the server's languages, the first leading, within 2,000 characters.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_capture_support import answer
from test_i18n_bot import client_locales  # noqa: F401  (the fixture)
from test_reminders_helpers import (  # noqa: F401 (no_job_errors is an autouse fixture)
    announce,
    contents,
    create_meeting,
    new_meeting,
    no_job_errors,
)

from cogs.core import i18n
from storage.guild_settings import GuildSettingsRepo
from storage.languages import LanguagesRepo
from storage.reminders import RemindersRepo

SOON = timedelta(seconds=61.5)  # with a 1-minute offset: due in about a second and a half
TITLE = "19th meeting of the CWG-COP"  # the members' words: never translated

SUBSCRIBED = {
    "en": f"I will send you a direct message before the **{TITLE}**",
    "fr": f"Je vous enverrai un message direct avant **{TITLE}**",
    "ru": f"Я отправлю Вам личное сообщение перед **{TITLE}**",
    "es": f"Le enviaré un mensaje directo antes de **{TITLE}**",
    "zh": f"我将在 **{TITLE}**",
    "ar": f"سأرسل إليكم رسالة مباشرة قبل **{TITLE}**",
}
ONE_DAY_BEFORE = {  # the offset line, with the core catalog's real plural
    "en": "• 1 day before: <t:",
    "fr": "• 1 jour avant: <t:",
    "ru": "• 1 день до начала: <t:",
    "es": "• 1 día antes: <t:",
    "zh": "• 提前 1 天：<t:",
    "ar": "• يوم واحد قبل الافتتاح: <t:",
}
TWO_DAYS_PASSED = {
    "en": "~~2 days before~~ (that time has passed)",
    "fr": "~~2 jours avant~~ (ce moment est déjà passé)",
    "ru": "~~2 дня до начала~~ (это время уже прошло)",
    "es": "~~2 días antes~~ (ese momento ya ha pasado)",
    "zh": "~~提前 2 天~~（该时间已过）",
    "ar": "~~يومان قبل الافتتاح~~ (انقضى هذا الوقت)",
}
NOT_A_MEETING = {
    "en": "`soon` is not a meeting. Pick one from the list, or `all` for every meeting.",
    "fr": "`soon` n'est pas une réunion. Choisissez-en une dans la liste, ou `all` pour toutes les réunions.",
    "ru": "`soon` не является собранием. Выберите собрание из списка или `all` для всех собраний.",
    "es": "`soon` no es una reunión. Elija una de la lista, o `all` para todas las reuniones.",
    "zh": "`soon` 不是会议。请从列表中选择，或选择 `all` 表示所有会议。",
    "ar": "`soon` ليس اجتماعًا. يُرجى اختيار اجتماع من القائمة، أو `all` لجميع الاجتماعات.",
}
NOTHING_TO_STOP = {
    "en": "You have no direct-message reminders in this server; there is nothing to stop.",
    "fr": "Vous n'avez aucun rappel par message direct sur ce serveur; il n'y a rien à arrêter.",
    "ru": "У Вас нет напоминаний личными сообщениями на этом сервере; отключать нечего.",
    "es": "No tiene recordatorios por mensaje directo en este servidor; no hay nada que detener.",
    "zh": "您在本服务器没有私信提醒；无需停止。",
    "ar": "ليست لديكم تذكيرات برسائل مباشرة في هذا الخادم؛ لا يوجد ما يُوقَف.",
}
CLIENT_LOCALES = [("en-GB", "en"), ("fr", "fr"), ("ru", "ru"), ("es-ES", "es"), ("es-419", "es"), ("zh-CN", "zh")]


def dms(member) -> list[str]:
    return contents(member.user.dm_channel)


async def subscribes_and_is_refused_in(world, language: str) -> None:
    """The delegate's /remind me (one time still ahead, one passed), and two refusals: all in ``language``."""
    meeting = await create_meeting(world, starts_in=timedelta(days=1, hours=12), title=TITLE)
    r = await world.delegate.slash(world.general, "remind me", meeting="19", offsets="2d,1d")
    assert r.ephemeral
    text = answer(r)
    assert text.startswith("🔔 " + SUBSCRIBED[language]), text
    assert ONE_DAY_BEFORE[language] in text and TWO_DAYS_PASSED[language] in text
    subs = await RemindersRepo(world.bot.db).user_subscriptions(world.guild.id, world.delegate.id)
    assert [(s.meeting_id, s.offsets) for s in subs] == [(meeting.id, "2d,1d")]

    refused = await world.delegate.slash(world.general, "remind me", meeting="soon")
    assert refused.ephemeral and answer(refused) == NOT_A_MEETING[language]
    refused = await world.delegate2.slash(world.general, "remind stop", meeting="all")
    assert refused.ephemeral and answer(refused) == NOTHING_TO_STOP[language]


@pytest.mark.parametrize(("client", "language"), CLIENT_LOCALES)
async def test_remind_me_and_refusals_follow_the_client_locale(world, client_locales, client, language):  # noqa: F811
    client_locales[world.delegate.id] = client
    client_locales[world.delegate2.id] = client
    await subscribes_and_is_refused_in(world, language)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_remind_me_and_refusals_follow_language_set(world, client_locales, language):  # noqa: F811
    client_locales[world.delegate.id] = "en-US"
    client_locales[world.delegate2.id] = "en-US"
    for member in (world.delegate, world.delegate2):
        await member.slash(world.general, "language set", language=language)
    await subscribes_and_is_refused_in(world, language)
