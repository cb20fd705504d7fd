"""/meeting and /meeting feed in the six languages, through the real bot (issue 13).

Replies follow the member's language (the Discord client's locale, or /language set, the only way to
Arabic); public posts (the cancellation announcement, the scheduled event) follow the server's
languages; the .ics text follows its ``language:`` option, else the server's first language.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from test_calendar_feed import feed_link, get
from test_capture_support import answer
from test_i18n_bot import client_locales  # noqa: F401  (the fixture)
from test_meetings_bot import create, events, future_day

from config.settings import Settings
from storage.meetings import MeetingsRepo
from tests.conftest import FAKE_TOKEN

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
def settings(db_path) -> Settings:
    """The web server on (any free loopback port), so that /meeting feed gives a link."""
    return Settings(token=FAKE_TOKEN, database=db_path, web_port=0)


# What each language's member reads: the reply to /meeting create, its refusal of a past start, the card's
# headings and Geneva time, the list's title, the feed's first words.
CREATED = {
    "en": "The 19th meeting is scheduled.",
    "fr": "La 19e réunion est programmée.",
    "ru": "19-е собрание запланировано.",
    "es": "La 19.ª reunión está programada.",
    "zh": "第19次会议已排定。",
    "ar": "جُدول الاجتماع 19.",
}
PAST = {
    "en": "is in the past. Give a future date and time",
    "fr": "est dans le passé. Indiquez une date et une heure futures",
    "ru": "уже в прошлом. Укажите будущие дату и время",
    "es": "ya ha pasado. Indique una fecha y hora futuras",
    "zh": "已经过去。请按 `YYYY-MM-DD HH:MM` 格式给出将来的日期和时间。",
    "ar": "في الماضي. يُرجى تحديد تاريخ ووقت في المستقبل",
}
GENEVA_TIME = {
    "en": "hours Geneva time (CET)",
    "fr": "(heure de Genève, CET)",
    "ru": "(женевское время, CET)",
    "es": "(hora de Ginebra, CET)",
    "zh": "（日内瓦时间，CET）",
    "ar": "بتوقيت جنيف (CET)",
}
SPAN = {  # 10:00-17:30 in each language's convention
    "en": "10.00-17.30 hours",
    "fr": "de 10:00 à 17:30",
    "ru": "10:00–17:30",
    "es": "de 10:00 a 17:30",
    "zh": "10:00–17:30",
    "ar": "من الساعة 10:00 ص إلى الساعة 5:30 م",
}
WHEN = {
    "en": "**When**",
    "fr": "**Quand**",
    "ru": "**Когда**",
    "es": "**Cuándo**",
    "zh": "**时间**",
    "ar": "**الموعد**",
}
FOOTER = {
    "en": "19th meeting · times show in your own time zone",
    "fr": "19e réunion · les heures s'affichent dans votre propre fuseau horaire",
    "ru": "19-е собрание · время показано в вашем часовом поясе",
    "es": "19.ª reunión · las horas se muestran en su propia zona horaria",
    "zh": "第19次会议 · 时间按您所在的时区显示",
    "ar": "الاجتماع 19 · تُعرض الأوقات بحسب منطقتك الزمنية",
}
LIST_TITLE = {"en": "Meetings", "fr": "Réunions", "ru": "Собрания", "es": "Reuniones", "zh": "会议", "ar": "الاجتماعات"}
FEED = {
    "en": "**Subscribe to the meetings of this server**",
    "fr": "**Abonnez-vous aux réunions de ce serveur**",
    "ru": "**Подпишитесь на собрания этого сервера**",
    "es": "**Suscríbase a las reuniones de este servidor**",
    "zh": "**订阅本服务器的会议**",
    "ar": "**اشترك في اجتماعات هذا الخادم**",
}
NO_SUCH = {
    "en": "There is no 42nd meeting in this server.",
    "fr": "Il n'y a pas de 42e réunion sur ce serveur.",
    "ru": "42-е собрание на этом сервере не найдено.",
    "es": "No existe la 42.ª reunión en este servidor.",
    "zh": "本服务器没有第42次会议。",
    "ar": "الاجتماع 42 غير موجود في هذا الخادم.",
}
CLIENT_LOCALES = [("en-GB", "en"), ("fr", "fr"), ("ru", "ru"), ("es-419", "es"), ("zh-CN", "zh")]


def winter_day():
    """A day at least 40 days ahead in Central European (winter) time, so Geneva time says CET."""
    day = future_day(40)
    while day.month in (4, 5, 6, 7, 8, 9, 10) or (day.month == 3 and day.day > 20):
        day += timedelta(days=7)
    return day


async def journey(world, language: str) -> None:
    """The chair schedules, is refused a past date; a delegate reads show, list and the feed: all in ``language``."""
    past = await create(world, day=future_day(-3))
    assert past.ephemeral and PAST[language] in answer(past), answer(past)
    assert await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19) is None

    day = winter_day()
    made = await create(world, day=day)
    text = answer(made)
    assert CREATED[language] in text, text
    card = (made.followups[-1] if made.followups else made.response).embeds[0]
    # The title is public data, made in the server's language (English here), whoever reads it.
    assert card.title == "19th meeting of the CWG-COP"

    shown = await world.delegate.slash(world.general, "meeting show", meeting=19)
    card = shown.response.embeds[0]
    assert WHEN[language] in card.description
    assert SPAN[language] in card.description and GENEVA_TIME[language] in card.description
    assert card.footer.text == FOOTER[language]

    listing = await world.delegate.slash(world.general, "meeting list")
    embed = listing.response.embeds[0]
    assert embed.title == LIST_TITLE[language]
    assert GENEVA_TIME[language] in embed.description

    missing = await world.delegate.slash(world.general, "meeting show", meeting=42)
    assert missing.ephemeral and NO_SUCH[language] in answer(missing)

    feed = await world.delegate.slash(world.general, "meeting feed")
    assert feed.ephemeral and FEED[language] in answer(feed)
    assert re.search(r"<http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]{43}\.ics>", answer(feed))


@pytest.mark.parametrize(("client", "language"), CLIENT_LOCALES)
async def test_meetings_speak_the_client_locale(world, client_locales, client, language):  # noqa: F811
    client_locales[world.chair.id] = client
    client_locales[world.delegate.id] = client
    await journey(world, language)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_meetings_speak_the_language_chosen_with_language_set(world, client_locales, language):  # noqa: F811
    client_locales[world.chair.id] = "en-US"
    client_locales[world.delegate.id] = "de"
    for member in (world.chair, world.delegate):
        await member.slash(world.general, "language set", language=language)
    await journey(world, language)
    # Another member, whose client is in English, still reads English.
    other = await world.delegate2.slash(world.general, "meeting list")
    assert other.response.embeds[0].title == "Meetings"


async def test_a_bilingual_server_announces_a_cancellation_in_both_languages(world, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    client_locales[world.chair.id] = "es-ES"  # the organiser's own language does not change public posts
    made = await create(world, day=winter_day(), venue="ITU headquarters, Geneva")
    assert CREATED["es"] in answer(made)
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert meeting.title == "19e réunion du CWG-COP"  # the server's first language

    # The scheduled event (public): French first, then English, within Discord's 1,000 characters.
    (event,) = events(world).values()
    assert event.description.index("Lieu: ITU headquarters, Geneva") < event.description.index(
        "Venue: ITU headquarters, Geneva"
    )
    assert "(heure de Genève, CET)" in event.description and "hours Geneva time (CET)" in event.description
    assert len(event.description) <= 1000

    reason = "Le quorum ne sera pas atteint / No quorum expected. " + "x" * 400
    cancelled = await world.chair.slash(world.general, "meeting cancel", meeting=19, reason=reason)
    assert "La 19.ª reunión está cancelada." in answer(cancelled)  # the reply: the organiser's language
    for channel in (world.agenda, world.meeting):
        posted = [m for m in channel.history() if "**19e réunion du CWG-COP**" in m.content]
        (notice,) = posted
        text = notice.content
        assert len(text) <= 2000
        french = text.index("**19e réunion du CWG-COP**: la réunion est annulée.")
        english = text.index("**19e réunion du CWG-COP** has been cancelled.")
        assert french < english, "the first language leads"
        assert "Elle devait se tenir le" in text and "It was to be held" in text
        assert "(heure de Genève, CET)" in text and "hours Geneva time (CET)" in text
        assert text.count(reason) == 2  # the organiser's own words, never translated
        assert "Motif: " in text and "Reason: " in text


async def test_the_ics_file_speaks_its_language_option_else_the_servers(world, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="ru,en")
    await create(world, day=winter_day())
    await world.chair.slash(world.general, "meeting cancel", meeting=19, reason="No quorum expected")

    async def read(**options):
        r = await world.delegate.slash(world.general, "meeting ics", meeting=19, **options)
        (attachment,) = r.response.attachments
        (event,) = Calendar.from_ical(await attachment.read()).walk("VEVENT")
        return r, event

    # No option: the server's first language (Russian), whatever the member's (English) client says.
    r, event = await read()
    assert "The 19th meeting is cancelled, and this file is a cancellation notice" in answer(r)
    assert str(event["summary"]) == "19-е собрание CWG-COP (отменено)"
    assert "Это собрание отменено. Причина: No quorum expected" in str(event["description"])
    assert "(женевское время, CET)" in str(event["description"])
    # language:es gives the Spanish text.
    _r, event = await read(language="es")
    assert str(event["summary"]) == "19-е собрание CWG-COP (cancelada)"  # the title is data; the state is words
    assert "Esta reunión ha sido cancelada. Motivo: No quorum expected" in str(event["description"])
    assert "(hora de Ginebra, CET)" in str(event["description"])


async def test_the_subscription_feed_speaks_the_servers_first_language(world):
    await world.admin.slash(world.general, "setup options", languages="zh,en")
    await create(world, day=winter_day(), venue="ITU headquarters, Geneva")
    url = await feed_link(world)  # the delegate's client is English: the reply is English
    status, _headers, body = await get(url)
    assert status == 200
    cal = Calendar.from_ical(body)
    assert str(cal["x-wr-calname"]) == "CWG-COP 会议"
    assert str(cal["x-wr-caldesc"]) == "CWG-COP 会议，由会议机器人保持更新"
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == "CWG-COP 第19次会议"  # the default title, in the server's first language
    assert "（日内瓦时间，CET）" in str(event["description"])
    assert "Discord 上的会议聊天：#meeting" in str(event["description"])


AUTOCOMPLETE = {
    "en": "19th meeting · ",
    "fr": "19e réunion · ",
    "ru": "19-е собрание · ",
    "es": "19.ª reunión · ",
    "zh": "第19次会议 · ",
    "ar": "الاجتماع 19 · ",
}
CANCELLED_LABEL = {
    "en": "cancelled",
    "fr": "annulée",
    "ru": "отменено",
    "es": "cancelada",
    "zh": "已取消",
    "ar": "أُلغي",
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_meeting_choices_of_every_meeting_option_speak_the_members_language(
    world,
    client_locales,  # noqa: F811
    language,
):
    await create(world, day=winter_day())
    await create(world, number=20, day=winter_day() + timedelta(days=7))
    await world.chair.slash(world.general, "meeting cancel", meeting=20)
    await world.delegate.slash(world.general, "language set", language=language)
    choices = await world.delegate.autocomplete(world.general, "meeting show", "meeting", "")
    names = [c["name"] for c in choices]
    assert names[0].startswith(AUTOCOMPLETE[language]), names
    assert names[1].endswith(" · " + CANCELLED_LABEL[language]), names
    assert all(len(name) <= 100 for name in names)


async def test_a_shared_card_is_public_so_it_speaks_the_servers_languages(world, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    await create(world, day=winter_day())
    client_locales[world.delegate.id] = "es-ES"
    mine = await world.delegate.slash(world.general, "meeting show", meeting=19)
    assert mine.ephemeral and "**Cuándo**" in mine.response.embeds[0].description  # only the member reads it
    shared = await world.delegate.slash(world.general, "meeting show", meeting=19, share=True)
    assert not shared.ephemeral
    card = shared.response.embeds[0]
    assert card.title == "19e réunion du CWG-COP"
    assert card.description.index("**Quand**") < card.description.index("**When**")
    assert "**Cuándo**" not in card.description
    assert card.footer.text == "19e réunion · les heures s'affichent dans votre propre fuseau horaire"
    assert len(card.description) <= 4096


async def test_edit_and_cancel_answer_in_the_organisers_language(world, client_locales):  # noqa: F811
    client_locales[world.chair.id] = "fr"
    await create(world, day=winter_day())
    edited = await world.chair.slash(world.general, "meeting edit", meeting=19, venue="ITU headquarters, Geneva")
    text = answer(edited)
    assert "Enregistré. La 19e réunion est mise à jour partout où elle est affichée." in text
    assert "Lieu: (aucun) → ITU headquarters, Geneva" in text
    nothing = await world.chair.slash(world.general, "meeting edit", meeting=19, venue="ITU headquarters, Geneva")
    assert nothing.ephemeral and "Rien à modifier" in answer(nothing)
    cancelled = await world.chair.slash(world.general, "meeting cancel", meeting=19)
    assert "La 19e réunion est annulée. Annoncé dans" in answer(cancelled)
    # The announcement is public: the server's language (English), not the organiser's.
    assert "**19th meeting of the CWG-COP** has been cancelled." in world.agenda.last_message.content
    again = await world.chair.slash(world.general, "meeting edit", meeting=19, title="x")
    assert "La 19e réunion est annulée. Pour la tenir malgré tout" in answer(again)
    assert "`/réunion modifier réunion:19 " in answer(again)  # the command as the French picker shows it
