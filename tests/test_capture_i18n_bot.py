"""The chat capture in the six languages, through the real bot (issue 13).

Replies follow the member's language (the Discord client's locale, or /language set, the only way to
Arabic); the recording's start and end notices are public posts, in the server's languages (with two,
each notice carries both, the first leading, within Discord's 2,000 characters), and so is the notice's
"I am present" button. Members' words and the minutes markers are never translated.
"""

from __future__ import annotations

import pytest
from test_capture_support import NOTICE, answer, make_meeting
from test_i18n_bot import client_locales  # noqa: F401  (the fixture)

from cogs.core import i18n
from storage.capture import CaptureStore

# /privacy youth on: the pseudonym as the documents in the member's language show it ("Участник 1").
YOUTH_ON = {
    "en": "You are now shown as **Participant 1** in every chat export and in the minutes",
    "fr": "Vous apparaissez désormais comme **Participant 1** dans chaque export de discussion",
    "ru": "Теперь Вы отображаетесь как **Участник 1** во всех выгрузках чата и в протоколе",
    "es": "A partir de ahora aparece como **Participante 1** en cada exportación del chat y en el acta",
    "zh": "您现在在所有聊天导出文件和会议纪要中显示为**与会者 1**",
    "ar": "تظهر الآن باسم **المشارك 1** في كل تصدير للدردشة وفي المحضر",
}
# /privacy status: the heading, the count of lines (a real plural: two lines here), the youth line.
STATUS = {
    "en": ("**Your chat record in this server**", "2 of your lines are kept in meeting chat logs.", "shown as"),
    "fr": (
        "**Votre enregistrement de discussion sur ce serveur**",
        "2 de vos lignes sont conservées dans les journaux de discussion des réunions.",
        "affiché comme **Participant 1**",
    ),
    "ru": (
        "**Ваши записи в чатах на этом сервере**",
        "В журналах чатов собраний хранятся 2 Ваши строки.",
        "отображаетесь как **Участник 1**",
    ),
    "es": (
        "**Su registro de chat en este servidor**",
        "Se conservan 2 de sus líneas en los registros de chat de las reuniones.",
        "aparece como **Participante 1**",
    ),
    "zh": ("**您在本服务器的聊天记录**", "会议聊天日志中保存了您的2行发言。", "显示为**与会者 1**"),
    "ar": (
        "**سجل دردشتك في هذا الخادم**",
        "يُحتفظ بسطرين من أسطرك في سجلات دردشة الاجتماعات.",
        "باسم **المشارك 1**",
    ),
}
PROMISES = {  # the promises' heading, and the off-record syntax kept as typed
    "en": "**What the bot promises**",
    "fr": "**Les engagements du bot**",
    "ru": "**Обязательства бота**",
    "es": "**Lo que el bot se compromete a cumplir**",
    "zh": "**机器人的承诺**",
    "ar": "**تعهدات البرنامج الآلي**",
}
# A delegate asks for the transcript: the organisers' refusal (the core's words).
NOT_ORGANISER = {
    "en": "This command is for the meeting organisers",
    "fr": "Cette commande est réservée aux organisateurs de la réunion",
    "ru": "Эта команда доступна только организаторам собрания",
    "es": "Este comando está reservado a los organizadores de la reunión",
    "zh": "此命令仅限会议组织者使用",
    "ar": "هذا الأمر مخصص لمنظمي الاجتماع",
}
# The chair asks for the transcript of a meeting never recorded: the capture's own refusal.
NO_LOG = {
    "en": "There is no chat log for the 20th meeting: it was never recorded.",
    "fr": "Il n'existe pas de journal de discussion pour la 20e réunion : elle n'a jamais été enregistrée.",
    "ru": "Журнала чата нет (20-е собрание): запись не велась.",
    "es": "No hay registro de chat de la 20.ª reunión: nunca se grabó.",
    "zh": "第20次会议没有聊天日志：该会议从未被记录。",
    "ar": "لا يوجد سجل دردشة في الاجتماع 20: لم يُسجَّل قط.",
}
# /minutes show while recording: the embed's title (its text is checked in speaks()).
MINUTES_TITLE = {
    "en": "Minutes of the 19th meeting (so far: still recording)",
    "fr": "Procès-verbal de la 19e réunion (provisoire : enregistrement en cours)",
    "ru": "Протокол: 19-е собрание (предварительный: запись продолжается)",
    "es": "Acta de la 19.ª reunión (provisional: grabación en curso)",
    "zh": "第19次会议纪要（截至目前：仍在记录中）",
    "ar": "محضر الاجتماع 19 (حتى الآن: التسجيل جارٍ)",
}
CLIENT_LOCALES = [("en-GB", "en"), ("fr", "fr"), ("ru", "ru"), ("es-ES", "es"), ("es-419", "es"), ("zh-CN", "zh")]


async def speaks(world, language: str) -> None:
    """A recorded delegate turns youth on, reads their status; a refusal each for delegate and chair."""
    await make_meeting(world, 19)
    await make_meeting(world, 20)
    await world.chair.slash(world.meeting, "meeting start", meeting=19)
    await world.delegate.send(world.meeting, "Ghana supports the draft")
    await world.delegate.send(world.meeting, "#info Ghana will send a contribution")

    youth = await world.delegate.slash(world.general, "privacy youth on")
    assert youth.ephemeral and YOUTH_ON[language] in answer(youth)
    status = await world.delegate.slash(world.general, "privacy status")
    assert status.ephemeral
    text = answer(status)
    for part in STATUS[language]:
        assert part in text, (part, text)
    assert PROMISES[language] in text and "`[off]`" in text and f"<#{world.meeting.id}>" in text
    assert len(text) <= 2000
    if language != "en":
        assert "What the bot promises" not in text and "Kept: what is said" not in text

    refused = await world.delegate.slash(world.general, "log export", meeting=19)
    assert refused.ephemeral and NOT_ORGANISER[language] in answer(refused)
    refused = await world.chair.slash(world.general, "log export", meeting=20)
    assert refused.ephemeral and NO_LOG[language] in answer(refused)
    shown = await world.chair.slash(world.general, "minutes show", meeting=19)
    assert shown.response.embeds[0].title == MINUTES_TITLE[language]
    description = shown.response.embeds[0].description
    assert "Ghana will send a contribution" in description  # the member's words
    assert ("Recorded:" in description) == (language == "en")  # the minutes' own words: the member's language
    assert ("**Before the first topic**" in description) == (language == "en")


@pytest.mark.parametrize(("client", "language"), CLIENT_LOCALES)
async def test_privacy_and_refusals_follow_the_client_locale(world, db, client_locales, client, language):  # noqa: F811
    client_locales[world.delegate.id] = client
    client_locales[world.chair.id] = client
    await speaks(world, language)
    # The public start notice stayed in the server's language (English).
    (recording,) = await CaptureStore(db).open_recordings()
    notice = await db.fetchone("SELECT content FROM messages WHERE message_id = ?", (recording.start_message_id,))
    assert NOTICE in notice["content"]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_privacy_and_refusals_follow_language_set(world, db, client_locales, language):  # noqa: F811
    client_locales[world.delegate.id] = "en-US"
    client_locales[world.chair.id] = "en-US"
    for member in (world.delegate, world.chair):
        await member.slash(world.general, "language set", language=language)
    await speaks(world, language)
    other = await world.delegate2.slash(world.general, "privacy status")  # unaffected
    assert STATUS["en"][0] in answer(other)


async def test_a_bilingual_server_posts_bilingual_notices_within_discords_limits(world, db, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    await make_meeting(world)
    client_locales[world.chair.id] = "es-ES"  # the organiser's own language does not change the notices
    started = await world.chair.slash(world.meeting, "meeting start", meeting=19)
    assert "Se está grabando la 19.ª reunión en" in answer(started)
    notice = world.meeting.last_message
    assert len(notice.content) <= 2000
    french = notice.content.index("🔴 **Enregistrement commencé.**")
    english = notice.content.index("🔴 **Recording started.**")
    assert french == 0 < english  # the first language leads
    assert "rapport du président sur la 19e réunion" in notice.content
    assert NOTICE in notice.content and "the 19th meeting" in notice.content
    assert "`/privacy youth on`" in notice.content  # the command, as the picker shows it in English
    assert notice.content.count("DATA.md") == 2
    labels = [c.label for row in notice.components for c in row.children]
    assert labels == ["Je suis présent(e) / I am present"]
    assert all(len(label) <= 80 for label in labels)

    await world.delegate.send(world.meeting, "Bonjour à tous")  # the member's words, as typed
    ended = await world.chair.slash(world.meeting, "meeting end")
    assert "Ha finalizado la grabación de la 19.ª reunión" in answer(ended)
    end = world.meeting.last_message.content
    assert end.startswith("⏹️ **Enregistrement terminé** (par le président).")
    assert "⏹️ **Recording ended** (by the chair). The chat of the 19th meeting is no longer recorded." in end
    assert len(end) <= 2000
    assert await CaptureStore(db).open_recordings() == []
