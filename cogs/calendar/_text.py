"""What the calendar feed's commands say."""

from __future__ import annotations

FEED_DESCRIPTION = "Subscribe to all of this server's meetings in your calendar (stays up to date)"
CALENDAR_GROUP_DESCRIPTION = "The server's calendar subscription feed"
ROTATE_DESCRIPTION = "Give the calendar feed a new secret address; the old one stops working (organisers)"
ROTATE_WHAT = "Changing the calendar feed's address"

OFF = (
    "The calendar subscription feed is not switched on for this bot: its operator can turn it on "
    "(WEB_PORT, see the README). Meanwhile, `/meeting ics` gives a calendar file for one meeting."
)


def feed(url: str, webcal: str, *, local_only: bool) -> str:
    text = (
        "**Subscribe to the meetings of this server** (past year and all future ones). Your calendar "
        "checks the feed by itself, so moves and cancellations arrive without you doing anything.\n"
        f"Link: <{url}>\n"
        f"Subscribe directly: <{webcal}>\n\n"
        "- **Outlook**: Add calendar > Subscribe from web, paste the link.\n"
        "- **Google Calendar**: Other calendars > + > From URL, paste the link.\n"
        "- **Apple Calendar**: File > New Calendar Subscription, paste the link (or open the webcal link).\n\n"
        "Keep the link to yourself: anyone who has it can read the meeting times, titles, venues and links "
        "(never who takes part). Organisers can replace it with `/setup calendar rotate`."
    )
    if local_only:
        text += (
            "\n\nNote: the bot's operator has not set PUBLIC_BASE_URL, so this link works only on the "
            "bot's own machine for now."
        )
    return text


def rotated(url: str, webcal: str, *, server_on: bool) -> str:
    text = (
        "Done: the calendar feed has a new secret address and the old one stopped working now. "
        "Subscribers must subscribe again with the new link (`/meeting feed` gives it to everyone)."
    )
    if server_on:
        text += f"\nNew link: <{url}>\nSubscribe directly: <{webcal}>"
    else:
        text += "\n(The feed's web server is not switched on at the moment; the new address will be used when it is.)"
    return text
