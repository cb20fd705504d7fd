"""/contribution in the six languages, through the real bot (issue 13).

Replies (the receipt, refusals, the list) follow the member's language: the Discord client's locale, or
/language set (the only way to Arabic). The announcement in the contributions channel follows the
server's languages (with two, both, the first leading). /contribution export follows its ``language:``
option, else the server's first language. Titles, sources and numbers are members' words: never translated.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from test_contributions_support import PDF, answer, ephemeral_answer, make_meeting
from test_i18n_bot import client_locales  # noqa: F401  (the fixture)

from cogs.core import i18n
from storage.contributions import ContributionsRepo

CLIENT_LOCALES = [("en-GB", "en"), ("fr", "fr"), ("ru", "ru"), ("es-ES", "es"), ("es-419", "es"), ("zh-CN", "zh")]

# The receipt's first two lines: the number and title (members' words), then the kind, meeting and source.
REGISTERED = {
    "en": "Registered **CWG-COP-19/2**: “Age assurance: Ghana's experience”",
    "fr": "Enregistré : **CWG-COP-19/2** « Age assurance: Ghana's experience »",
    "ru": "Зарегистрирован **CWG-COP-19/2**: «Age assurance: Ghana's experience»",
    "es": "Registrado **CWG-COP-19/2**: «Age assurance: Ghana's experience»",
    "zh": "已登记 **CWG-COP-19/2**：“Age assurance: Ghana's experience”",
    "ar": "سُجّلت **CWG-COP-19/2**: ”Age assurance: Ghana's experience“",
}
KIND_LINE = {
    "en": "Contribution for the 19th meeting, from Ghana (Member State).",
    "fr": "Contribution pour la 19e réunion, soumise par Ghana (État Membre).",
    "ru": "Вклад на 19-е собрание, источник: Ghana (Государство-Член).",
    "es": "Contribución para la 19.ª reunión, presentada por Ghana (Estado Miembro).",
    "zh": "提交第19次会议的文稿，来源：Ghana（成员国）。",
    "ar": "مساهمة مقدَّمة إلى الاجتماع 19 من Ghana (دولة عضو).",
}
ON_TIME = {
    "en": "✅ Received on time. Deadline: <t:",
    "fr": "✅ Reçu dans les délais. Date limite : <t:",
    "ru": "✅ Получен в установленный срок. Срок: <t:",
    "es": "✅ Recibido a tiempo. Plazo: <t:",
    "zh": "✅ 按时收到。 截止日期：<t:",
    "ar": "✅ وردت في الموعد المحدد. الموعد النهائي: <t:",
}
GENEVA = {
    "en": "hours Geneva time",
    "fr": "heure de Genève",
    "ru": "женевское время",
    "es": "hora de Ginebra",
    "zh": "日内瓦时间",
    "ar": "بتوقيت جنيف",
}
# Refusals: an empty title; a file of a type the server does not accept.
EMPTY_TITLE = {
    "en": "The title is empty. Give a title of 1 to 200 characters.",
    "fr": "Le titre est vide. Veuillez indiquer un titre de 1 à 200 caractères.",
    "ru": "Название не указано. Укажите название длиной от 1 до 200 символов.",
    "es": "El título está vacío. Indique un título de 1 a 200 caracteres.",
    "zh": "标题为空。请提供 1 至 200 个字符的标题。",
    "ar": "العنوان فارغ. يُرجى تقديم عنوان يتراوح طوله بين 1 و200 حرفاً.",
}
BAD_TYPE = {
    "en": "`setup.exe` is a .exe file; this server accepts",
    "fr": "`setup.exe` est un fichier .exe ; ce serveur accepte",
    "ru": "`setup.exe` является файлом .exe; этот сервер принимает",
    "es": "`setup.exe` es un archivo .exe; este servidor acepta",
    "zh": "`setup.exe` 是 .exe 文件；本服务器接受",
    "ar": "`setup.exe` ملف من نوع .exe؛ ويقبل هذا الخادم",
}
LIST_TITLE = {
    "en": "Documents of the 19th meeting",
    "fr": "Documents de la 19e réunion",
    "ru": "Документы на 19-е собрание",
    "es": "Documentos de la 19.ª reunión",
    "zh": "第19次会议文件",
    "ar": "وثائق الاجتماع 19",
}
LIST_STATUS = {  # the list's line of the document: source (never translated) · status
    "en": "*Ghana · Submitted*",
    "fr": "*Ghana · Soumis*",
    "ru": "*Ghana · Представлен*",
    "es": "*Ghana · Presentado*",
    "zh": "*Ghana · 已提交*",
    "ar": "*Ghana · مقدَّمة*",
}
LIST_FOOTER = {
    "en": "1 document · CWG-COP-19/1 is the agenda (/agenda show)",
    "fr": "1 document · CWG-COP-19/1 est l'ordre du jour (/ordre_du_jour afficher)",
    "ru": "1 документ · CWG-COP-19/1 — повестка дня (/повестка показать)",
    "es": "1 documento · CWG-COP-19/1 es el orden del día (/orden_del_día mostrar)",
    "zh": "1 份文件 · CWG-COP-19/1 为议程（/议程 查看）",
    "ar": "وثيقة واحدة · CWG-COP-19/1 هي جدول الأعمال (/agenda show)",
}


async def registers_and_lists_in(world, language: str) -> None:
    """The delegate's receipt, two refusals and the list: all in ``language``; the members' words as typed."""
    r = await world.delegate.slash(
        world.general,
        "contribution register",
        title="Age assurance: Ghana's experience",
        source="Ghana",
        source_type="member_state",
        file=("ghana.pdf", PDF),
    )
    text = ephemeral_answer(r)
    lines = text.splitlines()
    assert lines[0] == REGISTERED[language]
    assert lines[1] == KIND_LINE[language]
    assert lines[2].startswith(ON_TIME[language])
    assert GENEVA[language] in lines[2]

    r = await world.delegate.slash(world.general, "contribution register", title="   ", source="Ghana")
    assert ephemeral_answer(r) == EMPTY_TITLE[language]
    r = await world.delegate.slash(
        world.general, "contribution register", title="Tools", source="Ghana", file=("setup.exe", b"MZ")
    )
    assert ephemeral_answer(r).startswith(BAD_TYPE[language])

    r = await world.outsider.slash(world.general, "contribution list")
    (embed,) = r.response.embeds
    assert embed.title == LIST_TITLE[language]
    assert embed.description.startswith("**CWG-COP-19/2** Age assurance: Ghana's experience\n")
    assert LIST_STATUS[language] in embed.description
    assert embed.footer.text == LIST_FOOTER[language]


@pytest.mark.parametrize(("client", "language"), CLIENT_LOCALES)
async def test_register_refusals_and_list_follow_the_client_locale(world, db, client_locales, client, language):  # noqa: F811
    await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30))
    for member in (world.delegate, world.outsider):
        client_locales[member.id] = client
    await registers_and_lists_in(world, language)
    # The announcement is public: in the server's language (English), whoever registered.
    embed = world.contributions.last_message.embeds[0]
    assert embed.author.name == "New document"
    assert [f.name for f in embed.fields][:3] == ["Source", "Meeting", "Agenda item"]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_register_refusals_and_list_follow_language_set(world, db, client_locales, language):  # noqa: F811
    await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30))
    for member in (world.delegate, world.outsider):
        client_locales[member.id] = "en-US"
        await member.slash(world.general, "language set", language=language)
    await registers_and_lists_in(world, language)
    other = await world.delegate2.slash(world.general, "contribution list")  # unaffected
    assert other.response.embeds[0].title == LIST_TITLE["en"]


async def test_a_bilingual_server_announces_bilingually(world, db, client_locales):  # noqa: F811
    r = await world.admin.slash(world.general, "setup options", languages="fr,en")
    await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30))
    client_locales[world.delegate.id] = "es-ES"  # the member's own language does not change the post
    r = await world.delegate.slash(
        world.general,
        "contribution register",
        title="Age assurance: Ghana's experience",
        source="Ghana",
        source_type="member_state",
        abstract="What Ghana learnt.",
    )
    assert ephemeral_answer(r).startswith("Registrado **CWG-COP-19/2**")
    (embed,) = world.contributions.last_message.embeds
    assert embed.author.name == "Nouveau document / New document"
    assert embed.title == "CWG-COP-19/2 · Age assurance: Ghana's experience"  # once, never translated
    assert embed.description == "What Ghana learnt."
    names = [f.name for f in embed.fields]
    assert names.index("Source") < names.index("Statut") < names.index("Status")  # French first
    assert names.count("Source") == 2  # each language's field (the word is the same in both)
    values = {f.name: f.value for f in embed.fields}
    assert values["Statut"] == "Soumis" and values["Status"] == "Submitted"
    assert "Ghana (État Membre)" in [f.value for f in embed.fields]
    assert "Ghana (Member State)" in [f.value for f in embed.fields]
    assert embed.footer.text.startswith("Contribution · CWG-COP")  # the same word in both: once
    assert len(embed) <= 6000 and len(embed.fields) <= 25


async def test_export_speaks_its_language_option_else_the_servers(world, db, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="ru,en")
    await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30))
    await world.delegate.slash(world.general, "contribution register", title="Age assurance", source="Ghana")

    r = await world.delegate.slash(world.general, "contribution export", format="md", language="fr")
    # The reply: the member's language (English); the file: French.
    assert answer(r) == "The document list of the 19th meeting (1 document, in number order)."
    text = (await r.response.attachments[0].read()).decode()
    assert text.startswith("# Documents de la 19e réunion du CWG-COP\n")
    assert "Le document CWG-COP-19/1 est l'ordre du jour de la réunion." in text
    assert "| Numéro | Titre | Source | Point de l'ordre du jour | Date de réception | Statut |" in text
    assert "| CWG-COP-19/2 | Age assurance | Ghana |  |" in text and "| Soumis |" in text

    r = await world.delegate.slash(world.general, "contribution export", format="csv")  # the server's first
    rows = list(csv.reader(io.StringIO((await r.response.attachments[0].read()).decode("utf-8-sig"))))
    assert rows[0] == ["Номер", "Название", "Источник", "Пункт повестки дня", "Дата получения", "Статус"]
    assert rows[1][:3] == ["CWG-COP-19/2", "Age assurance", "Ghana"] and rows[1][5] == "Представлен"

    r = await world.delegate.slash(world.general, "contribution export", format="csv", language="en")
    rows = list(csv.reader(io.StringIO((await r.response.attachments[0].read()).decode("utf-8-sig"))))
    assert rows[0] == ["Number", "Title", "Source", "Agenda item", "Date received", "Status"]


async def test_the_submitters_notice_is_in_their_own_language_else_the_servers(world, db, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="es,en")
    await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30))
    await world.delegate.slash(world.general, "language set", language="ar")
    await world.delegate.slash(world.general, "contribution register", title="Age assurance", source="Ghana")
    await world.delegate2.slash(world.general, "contribution register", title="Safety by design", source="Brazil")
    client_locales[world.chair.id] = "fr"  # the organiser's reply: French; the notices: each submitter's

    r = await world.chair.slash(world.general, "contribution accept", number="19/2", reason="Well argued.")
    assert ephemeral_answer(r) == (
        "**CWG-COP-19/2** est accepté.\nL'auteur de la soumission en a été informé par message direct."
    )
    dm = world.delegate.user.dm_channel.last_message.content
    assert dm.startswith(f"**قَبِل** {world.chair.user.mention} وثيقتكم **CWG-COP-19/2** ”Age assurance“")
    assert "\nالسبب: Well argued.\n" in dm  # the chair's words: never translated
    assert "/contribution show number:CWG-COP-19/2" in dm  # Discord has no Arabic command names

    # No /language choice: the server's first language (Spanish), not the organiser's.
    await world.chair.slash(world.general, "contribution reject", number="19/3")
    dm = world.delegate2.user.dm_channel.last_message.content
    assert dm.startswith(
        "Su documento **CWG-COP-19/3** «Safety by design» para la 19.ª reunión **no ha sido aceptado**"
    )
    assert dm.endswith("Detalles: `/contribución mostrar numero:CWG-COP-19/3`")


async def test_a_bilingual_batch_announcement_lists_each_document_once(world, db, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    meeting = await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30))
    await world.delegate.slash(world.general, "contribution register", title="Age assurance", source="Ghana")
    await world.delegate2.slash(world.general, "contribution register", title="Safety by design", source="Brazil")
    docs = await ContributionsRepo(db).for_meeting(meeting.id)
    cog = world.bot.get_cog("Contributions")
    (embed,) = await cog.publisher.render([SimpleNamespace(contribution=c) for c in docs], 7)
    assert embed.title == "2 nouveaux documents / 2 new documents"
    assert embed.description.count("Age assurance") == 1 and embed.description.count("Safety by design") == 1
    assert embed.footer.text == "CWG-COP · ref 7"


async def test_the_history_shows_the_bots_own_notes_in_the_readers_language(world, db, client_locales):  # noqa: F811
    """The history's notes the bot wrote ("received after the deadline", "item 4") are stored in English
    and shown in the reader's language; a reason a member gave is shown as written."""
    from storage.agenda import AgendaRepo

    meeting = await make_meeting(db, world.guild.id, starts_in=timedelta(days=5))  # past the 12-day deadline
    for title in ("Opening", "Adoption of the agenda", "Report", "Contributions"):
        await AgendaRepo(db).add(meeting.id, title=title)
    await world.delegate.slash(world.general, "contribution register", title="Late one", source="Ghana")
    assigned = await world.chair.slash(world.general, "contribution assign", number="19/2", agenda_item="4")
    assert "is now under the agenda item" in ephemeral_answer(assigned)
    await world.chair.slash(world.general, "contribution reject", number="19/2", reason="Hors sujet, late")
    stored = [r["detail"] for r in await db.fetchall("SELECT detail FROM contribution_events ORDER BY id")]
    assert stored == ["received after the deadline", "item 4: Contributions", "Hors sujet, late"]

    def history(result) -> str:
        return "\n".join(f.value for f in result.response.embeds[0].fields)

    client_locales[world.chair.id] = "fr"
    shown = history(await world.chair.slash(world.general, "contribution show", number="CWG-COP-19/2"))
    assert ": reçu après la date limite" in shown and ": point 4: Contributions" in shown
    assert "received after" not in shown and "item 4" not in shown
    assert ": Hors sujet, late" in shown  # the chair's own words
    client_locales[world.outsider.id] = "es-ES"
    shown = history(await world.outsider.slash(world.general, "contribution show", number="CWG-COP-19/2"))
    assert ": recibido después del plazo" in shown and ": punto 4" in shown
    assert "Contributions" not in shown  # a member who is not an organiser reads the item's number only
    await world.delegate.slash(world.general, "language set", language="ar")
    shown = history(await world.delegate.slash(world.general, "contribution show", number="CWG-COP-19/2"))
    assert "وردت بعد الموعد النهائي" in shown and "البند 4" in shown
