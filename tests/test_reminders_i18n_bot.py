"""/remind and the reminders themselves in the six languages, through the real bot (issue 13).

Replies follow the member's language (the Discord client's locale, or /language set, the only way to
Arabic). Direct-message reminders, sent by a scheduled job outside any interaction, follow the
member's own /language choice, else the server's first language. Channel posts (reminders, deadline
notices, "starting now") follow the server's languages, the first leading, within 2,000 characters.
"""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest
from test_capture_support import answer
from test_i18n_bot import client_locales  # noqa: F401  (the fixture)
from test_reminders_helpers import (  # noqa: F401 (no_job_errors is an autouse fixture)
    announce,
    contents,
    create_meeting,
    new_meeting,
    no_job_errors,
    sweep,
    travel,
)

from cogs.core import i18n
from cogs.core.timefmt import calendar_days_before
from cogs.reminders._cog import RemindMeButton
from storage.guild_settings import GuildSettingsRepo
from storage.languages import LanguagesRepo
from storage.reminders import RemindersRepo
from storage.timeutil import utcnow

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


# ---------------------------------------------------------------------------------------------
# Direct messages, sent by the scheduler: the member's own choice, else the server's first language


async def test_a_direct_message_reminder_is_in_each_members_own_language(world, simcord_env, db, monkeypatch):
    await world.delegate.slash(world.general, "language set", language="fr")
    repo = RemindersRepo(db)
    await repo.set_subscription(world.guild.id, world.delegate.id, None, "1m")
    await repo.set_subscription(world.guild.id, world.delegate2.id, None, "1m")  # no choice: English server

    async def one_by_one(*_args, **_kwargs):
        raise AssertionError("a burst of reminders reads the members' choices in one query")

    monkeypatch.setattr(LanguagesRepo, "member_choice", one_by_one)
    await create_meeting(world, starts_in=SOON, title=TITLE)

    (french,) = dms(world.delegate)
    assert french.startswith(f"⏰ Votre rappel: **{TITLE}** commence <t:"), french
    assert "heure de Genève" in french
    assert "_Vous avez demandé ce rappel sur **CWG-COP**. La commande `/" in french
    assert "Your reminder" not in french and "Geneva time" not in french
    (english,) = dms(world.delegate2)
    assert english.startswith(f"⏰ Your reminder: **{TITLE}** opens <t:")
    assert "You asked for this reminder in **CWG-COP**. `/remind stop` there turns it off." in english


async def test_a_member_without_a_choice_on_a_russian_server_reads_russian(world, simcord_env, db):
    await world.admin.slash(world.general, "setup options", languages="ru")
    await RemindersRepo(db).set_subscription(world.guild.id, world.delegate.id, None, "1m")
    await create_meeting(world, starts_in=SOON, title=TITLE)
    (dm,) = dms(world.delegate)
    assert dm.startswith(f"⏰ Ваше напоминание: **{TITLE}** начинается <t:"), dm
    assert "женевское время" in dm
    assert "_Вы запросили это напоминание на сервере **CWG-COP**. Команда `/" in dm


# ---------------------------------------------------------------------------------------------
# Public posts in the server's languages


def within_discords_limits(messages) -> None:
    for message in messages:
        assert 0 < len(message.content) <= 2000


async def test_a_bilingual_server_posts_bilingual_reminders_mentioning_the_role_once(world, simcord_env, db):
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    meeting = await new_meeting(world, starts_in=SOON, title=TITLE, venue="ITU HQ, Geneva, Popov room")
    await announce(world, meeting)

    (message,) = world.reminders.history()
    within_discords_limits([message])
    assert [r.id for r in message.role_mentions] == [world.participant_role.id]
    text = message.content
    role = f"<@&{world.participant_role.id}>"
    assert text.startswith(f"⏰ {role} **{TITLE}** commence <t:"), text
    assert text.count(role) == 1  # mentioned once, in the leading language
    assert f"\n\n⏰ **{TITLE}** opens <t:" in text
    assert text.index("heure de Genève") < text.index("hours Geneva time")
    assert text.count("ITU HQ, Geneva, Popov room") == 2  # the members' words, as typed, in each part


async def test_a_bilingual_reminder_too_long_for_both_keeps_the_first_language(world, simcord_env, db):
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    meeting = await new_meeting(world, starts_in=SOON, title=TITLE, venue="Salle " + "A" * 1200)
    await announce(world, meeting)
    (message,) = world.reminders.history()
    within_discords_limits([message])
    assert [r.id for r in message.role_mentions] == [world.participant_role.id]
    assert message.content.startswith(f"⏰ <@&{world.participant_role.id}> **{TITLE}** commence")
    assert " opens " not in message.content


async def test_starting_now_is_posted_in_the_servers_languages(world, simcord_env, db):
    await world.admin.slash(world.general, "setup options", languages="es,en")
    await create_meeting(world, starts_in=timedelta(seconds=1), title=TITLE)
    (message,) = [m for m in world.meeting.history() if "comienza ahora" in m.content]
    within_discords_limits([message])
    assert message.content.startswith(f"🟢 **{TITLE}** comienza ahora (<t:")
    assert f"\n\n🟢 **{TITLE}** is starting now (<t:" in message.content
    assert message.role_mentions == []


async def test_deadline_notices_on_a_russian_server(world, simcord_env, db, monkeypatch):
    await world.admin.slash(world.general, "setup options", languages="ru")
    meeting = await create_meeting(world, starts_in=timedelta(days=30), title=TITLE)
    deadline = calendar_days_before(meeting.starts_at, 12, meeting.timezone)
    travel(monkeypatch, (deadline - timedelta(days=3) - utcnow()) + timedelta(seconds=5))
    await sweep(simcord_env)
    (notice,) = world.reminders.history()
    within_discords_limits([notice])
    assert [r.id for r in notice.role_mentions] == [world.participant_role.id]
    role = f"<@&{world.participant_role.id}>"
    assert notice.content.startswith(f"📝 {role} Срок представления вкладов для **{TITLE}** истекает <t:")
    assert "\nКрайний срок: <t:" in notice.content and "женевское время" in notice.content
    assert "решение принимает председатель" in notice.content


# ---------------------------------------------------------------------------------------------
# The "Remind me" button answers in the member's language


async def test_the_remind_me_button_answers_in_the_members_language(world, simcord_env, db, client_locales):  # noqa: F811
    meeting = await create_meeting(world, starts_in=timedelta(days=30), title=TITLE)
    view = discord.ui.View(timeout=None)
    view.add_item(RemindMeButton(meeting.id))
    await world.bot.get_channel(world.agenda.id).send("Agenda", view=view)
    post = world.agenda.last_message
    client_locales[world.delegate.id] = "es-ES"
    on = await world.delegate.click(post, label="Remind me")
    assert on.ephemeral and answer(on).startswith(f"🔔 Le enviaré un mensaje directo antes de **{TITLE}**")
    assert "• 1 día antes: <t:" in answer(on) and "• 1 hora antes: <t:" in answer(on)
    await world.delegate.slash(world.general, "language set", language="ar")
    off = await world.delegate.click(post, label="Remind me")
    assert off.ephemeral and answer(off).startswith(f"🔕 لن تصلكم رسائل مباشرة أخرى بشأن **{TITLE}**")


async def test_the_ledger_speaks_the_organisers_language(world, simcord_env, db, client_locales):  # noqa: F811
    await create_meeting(world, starts_in=timedelta(days=30), title=TITLE)
    client_locales[world.chair.id] = "ru"
    r = await world.chair.slash(world.general, "remind status", meeting=19)
    assert r.ephemeral
    text = answer(r)
    assert text.startswith(f"**Напоминания для {TITLE}** (<t:"), text
    assert "Канал, 1 неделя до начала" in text and "Уведомление о крайнем сроке, 3 дня до крайнего срока" in text
    assert "Уведомление о крайнем сроке, в день крайнего срока" in text and "Публикация «Начинается сейчас»" in text
    assert "Итого — ожидает: 7" in text
