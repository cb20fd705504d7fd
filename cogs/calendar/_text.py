"""What the calendar feed's commands say, through the catalogs (``cogs/calendar/locales/<lang>.po``).

The command descriptions below are translated for Discord's picker by the commands catalog
(``cogs/core/locales/commands``), not here.
"""

from __future__ import annotations

from cogs.core import i18n
from cogs.core.i18n import N_, translator

T = translator("calendar")
_, _n = T.gettext, T.ngettext

FEED_DESCRIPTION = "Subscribe to all of this server's meetings in your calendar (stays up to date)"
CALENDAR_GROUP_DESCRIPTION = "The server's calendar subscription feed"
ROTATE_DESCRIPTION = "Give the calendar feed a new secret address; the old one stops working (organisers)"
ROTATE_WHAT = N_("Changing the calendar feed's address")

OFF = N_(
    "The calendar subscription feed is not switched on for this bot: its operator can turn it on "
    "(WEB_PORT, see the README). Meanwhile, `{command}` gives a calendar file for one meeting."
)


def off() -> str:
    return _(OFF, command=i18n.command("meeting ics"))


def feed(url: str, webcal: str, *, local_only: bool) -> str:
    lines = [
        _(
            "**Subscribe to the meetings of this server** (past year and all future ones). Your calendar "
            "checks the feed by itself, so moves and cancellations arrive without you doing anything."
        ),
        _("Link: <{url}>", url=url),
        _("Subscribe directly: <{url}>", url=webcal) + "\n",
        _("- **Outlook**: Add calendar > Subscribe from web, paste the link."),
        _("- **Google Calendar**: Other calendars > + > From URL, paste the link."),
        _("- **Apple Calendar**: File > New Calendar Subscription, paste the link (or open the webcal link).") + "\n",
        _(
            "Keep the link to yourself: anyone who has it can read the meeting times, titles, venues and links "
            "(never who takes part). Organisers can replace it with `{command}`.",
            command=i18n.command("setup calendar rotate"),
        ),
    ]
    text = "\n".join(lines)
    if local_only:
        text += "\n\n" + _(
            "Note: the bot's operator has not set PUBLIC_BASE_URL, so this link works only on the "
            "bot's own machine for now."
        )
    return text


def rotated(url: str, webcal: str, *, server_on: bool) -> str:
    text = _(
        "Done: the calendar feed has a new secret address and the old one stopped working now. "
        "Subscribers must subscribe again with the new link (`{command}` gives it to everyone).",
        command=i18n.command("meeting feed"),
    )
    if server_on:
        text += "\n" + _("New link: <{url}>", url=url) + "\n" + _("Subscribe directly: <{url}>", url=webcal)
    else:
        text += "\n" + _(
            "(The feed's web server is not switched on at the moment; the new address will be used when it is.)"
        )
    return text
