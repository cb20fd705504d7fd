"""What the capture feature says to people, in one place, through the catalogs.

The English text is the msgid; ``cogs/capture/locales/<lang>.po`` holds the translations. Constants
are marked with ``N_`` and translated where they are used: ``_(CANCELLED, meeting=...)``. Members'
words (chat lines, names, topic titles) are never translated; the minutes markers (``#topic`` ...)
are syntax and stay as typed.
"""

from __future__ import annotations

from cogs.core.i18n import N_, command, meeting_ordinal, translator

T = translator("capture")
_, _n = T.gettext, T.ngettext

# The promises of DATA.md, in the words shown on Discord (one message per line).
PROMISE_KEPT = N_(
    "• Kept: what is said in this channel and its threads while recording, with the display name at the "
    "time, edits (with the original) and attachment names and links. Never direct messages, never other bots."
)
PROMISE_OFF = N_("• Lines starting with `[off]` are not recorded. A message you delete is removed from the record.")
PROMISE_YOUTH = N_("• Youth participants: `{command}` shows you as “Participant N” in every export and in the minutes.")
PROMISE_DETAILS = N_("• Details: DATA.md in the bot's repository, or `{command}`.")


def promises(retention_days: int) -> str:
    """The promises, in the current language."""
    return "\n".join(
        (
            _(PROMISE_KEPT),
            _(PROMISE_OFF),
            _(PROMISE_YOUTH, command=command("privacy youth on")),
            _n(
                "• Only the chair and secretariat can read or export the record. Raw logs are deleted after "
                "{n} day (the minutes are kept); ask them to remove your lines at any time (`{command}`).",
                "• Only the chair and secretariat can read or export the record. Raw logs are deleted after "
                "{n} days (the minutes are kept); ask them to remove your lines at any time (`{command}`).",
                retention_days,
                n=retention_days,
                command=command("log forget"),
            ),
            _(PROMISE_DETAILS, command=command("privacy status")),
        )
    )


def meeting_name(number: int) -> str:
    """``19th meeting`` in the current language (``19e réunion``, ``第19次会议``)."""
    return _("{ordinal} meeting", ordinal=meeting_ordinal(number))


START_NOTICE = N_(
    "🔴 **Recording started.** This meeting's chat is recorded for the chair's report of the "
    "{meeting} (an aide-memoire, not an official ITU record); lines starting with `[off]` are not recorded."
)


def start_notice(meeting_number: int, retention_days: int) -> str:
    """The public start notice in the current language (the cog renders it in each server language)."""
    return _(START_NOTICE, meeting=meeting_name(meeting_number)) + "\n" + promises(retention_days)


END_BY_CHAIR = N_("⏹️ **Recording ended** (by the chair). The chat of the {meeting} is no longer recorded.")
END_SCHEDULED = N_(
    "⏹️ **Recording ended** (at the meeting's scheduled end). The chat of the {meeting} is no longer recorded."
)
END_GUARD = N_(
    "⏹️ **Recording ended** (automatically, some hours after the scheduled end). The chat of the {meeting} is "
    "no longer recorded."
)
END_CANCELLED = N_(
    "⏹️ **Recording ended** (the meeting was cancelled). The chat of the {meeting} is no longer recorded."
)


def end_notice(meeting_number: int, *, by_hand: bool, guard: bool = False, cancelled: bool = False) -> str:
    """The public end notice in the current language."""
    text = END_BY_CHAIR if by_hand else END_SCHEDULED
    if guard:
        text = END_GUARD
    if cancelled:
        text = END_CANCELLED
    return _(text, meeting=meeting_name(meeting_number))


NO_CHANNEL = N_(
    "The {meeting} has no chat channel, and no default meeting channel is set. Ask a server admin to run "
    "`{command}` (or give the meeting a channel), then start the recording again."
)
CANCELLED = N_("The {meeting} is cancelled, so its chat is not recorded.")
PURGED = N_(
    "The chat log of the {meeting} was purged on {date}; a new recording would mix with the kept minutes. "
    "Create a new meeting for a new session."
)
ALREADY = N_("The {meeting} is already being recorded in <#{channel}> (since {since}).")
ALREADY_NOW = N_("The {meeting} is already being recorded in <#{channel}>.")
CHANNEL_BUSY = N_("<#{channel}> is already recording another meeting (the {other}); end that recording first.")
CHANNEL_BUSY_UNKNOWN = N_("<#{channel}> is already recording another meeting; end that recording first.")
NOTICE_FAILED = N_(
    "I could not post the recording notice in <#{channel}>, so I did not start recording: people must see "
    "that they are on the record. Check that I can view the channel, send messages and add reactions there."
)
STARTED = N_("Recording the {meeting} in <#{channel}>. The notice is posted there; `{command}` stops the record.")
CHAIR_NAMED = N_("The minutes name the chair as: {chair}.")
NOT_RECORDING = N_("The {meeting} is not being recorded right now.")
NOTHING_RECORDING = N_("Nothing is being recorded in this server right now.")
WHICH_RECORDING = N_("Several meetings are being recorded; choose one with `{option}:`.")

NO_LOG = N_("There is no chat log for the {meeting}: it was never recorded.")
LOG_PURGED = N_("The chat log of the {meeting} was purged on {date} (the minutes were kept: `{command}`).")
STILL_RECORDING_PURGE = N_("The {meeting} is still being recorded: end the recording (`{command}`) before purging.")
PURGE_CONFIRM = N_(
    "Delete the whole chat log of the {meeting} ({lines} lines, {deleted} deleted, {removed} removed)? "
    "The minutes are kept. This cannot be undone."
)
PURGE_DONE = N_("Purged the chat log of the {meeting}: {lines} lines deleted. The minutes ({items} items) are kept.")
PURGE_GONE = N_("There was nothing left to purge for the {meeting} (already purged, or still being recorded).")
CANCELLED_ACTION = N_("Cancelled: nothing was changed.")
TIMED_OUT = N_("No answer in time, so nothing was changed. Run the command again if you still want to.")
NOT_ASKER = N_("Only the organiser who asked can confirm this.")
THIS_BUTTON = N_("This button")
# i18n: button label (80)
CANCEL_LABEL = N_("Cancel")
# i18n: button label (80)
PURGE_LABEL = N_("Purge the log")
# i18n: button label (80)
FORGET_LABEL = N_("Remove their lines")

FORGET_CONFIRM = N_(
    "Remove everything {member} said from every chat log and minutes of this server ({lines} lines)? Their "
    "lines become “[removed]”, and the bot stops recording them from now on. This cannot be undone."
)
FORGET_DONE = N_(
    "Removed {member}'s words: {lines} lines and {items} minutes items. The bot will not record them from now "
    "on; `{command}` lifts that."
)
FORGET_BOT = N_("Bots are never recorded, so there is nothing to forget.")
REMEMBER_DONE = N_("The bot records {member} again from now on. Nothing that was removed comes back.")
REMEMBER_NOT = N_("{member} was not forgotten; nothing to change.")

EXPORT_TOO_BIG = N_(
    "The export is larger than Discord lets me upload here ({size}) even compressed. Try the `txt` format, "
    "or ask a server admin to raise the upload limit."
)
TRANSCRIPT_READY = N_("The chat transcript of the {meeting} ({lines} lines), {fmt}. Organisers only: handle with care.")
TRANSCRIPT_READY_ZIPPED = N_(
    "The chat transcript of the {meeting} ({lines} lines), {fmt}, zipped. Organisers only: handle with care."
)
MINUTES_READY = N_("Minutes of the {meeting} ({fmt}). Organisers only: handle with care.")
MINUTES_READY_ZIPPED = N_("Minutes of the {meeting} ({fmt}), zipped. Organisers only: handle with care.")
# i18n: embed title (256)
MINUTES_TITLE = N_("Minutes of the {meeting}")
# i18n: embed title (256)
MINUTES_TITLE_RECORDING = N_("Minutes of the {meeting} (so far: still recording)")
# i18n: embed footer (2048)
MINUTES_FOOTER = N_("Organisers only. {command} gives a file (Markdown or HTML).")

YOUTH_ON = N_(
    "You are now shown as **{pseudonym}** in every chat export and in the minutes, including what you "
    "said before: your name is replaced in the stored record too. The pseudonym stays yours for good."
)
YOUTH_ALREADY = N_("You are already shown as **{pseudonym}**.")
YOUTH_OFF = N_(
    "You are no longer a youth participant: what you say from now on is recorded under your display name. "
    "What was recorded while you were **{pseudonym}** stays under that pseudonym."
)
YOUTH_NOT = N_("You are not marked as a youth participant; nothing to change.")

STATUS_TITLE = N_("**Your chat record in this server**")
STATUS_FORGOTTEN = N_("At your request, your lines are not recorded.")
STATUS_YOUTH = N_("You are a youth participant, shown as **{pseudonym}** (`{command}` to stop).")
STATUS_NAMED = N_("You are shown under your display name (`{command}` to appear as “Participant N”).")
STATUS_RECORDING = N_("Recording now in: {channels}")
STATUS_PROMISES = N_("**What the bot promises**")
