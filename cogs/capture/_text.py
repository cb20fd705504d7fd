"""What the capture feature says to people, in one place (for the six ITU languages, later)."""

from __future__ import annotations

from cogs.core.timefmt import ordinal

# The promises of DATA.md, in the words shown on Discord.
PROMISES = (
    "• Kept: what is said in this channel and its threads while recording, with the display name at the "
    "time, edits (with the original) and attachment names and links. Never direct messages, never other bots.\n"
    "• Lines starting with `[off]` are not recorded. A message you delete is removed from the record.\n"
    "• Youth participants: `/privacy youth on` shows you as “Participant N” in every export and in the minutes.\n"
    "• Only the chair and secretariat can read or export the record. Raw logs are deleted after "
    "{retention} days (the minutes are kept); ask them to remove your lines at any time (`/log forget`).\n"
    "• Details: DATA.md in the bot's repository, or `/privacy status`."
)


PRESENT_LABEL = "I am present"


def start_notice(meeting_number: int, retention_days: int) -> str:
    return (
        f"🔴 **Recording started.** This meeting's chat is recorded for the chair's report of the "
        f"{ordinal(meeting_number)} meeting (an aide-memoire, not an official ITU record); lines starting "
        f"with `[off]` are not recorded.\n" + PROMISES.format(retention=retention_days)
    )


def end_notice(meeting_number: int, *, by_hand: bool, guard: bool = False, cancelled: bool = False) -> str:
    how = "by the chair" if by_hand else "at the meeting's scheduled end"
    if guard:
        how = "automatically, some hours after the scheduled end"
    if cancelled:
        how = "the meeting was cancelled"
    return f"⏹️ **Recording ended** ({how}). The chat of the {ordinal(meeting_number)} meeting is no longer recorded."


NO_CHANNEL = (
    "The {meeting} has no chat channel, and no default meeting channel is set. Ask a server admin to run "
    "`/setup channels meeting:` (or give the meeting a channel), then start the recording again."
)
CANCELLED = "The {meeting} is cancelled, so its chat is not recorded."
PURGED = (
    "The chat log of the {meeting} was purged on {date}; a new recording would mix with the kept minutes. "
    "Create a new meeting for a new session."
)
ALREADY = "The {meeting} is already being recorded in <#{channel}> (since {since})."
CHANNEL_BUSY = "<#{channel}> is already recording another meeting (the {other}); end that recording first."
NOTICE_FAILED = (
    "I could not post the recording notice in <#{channel}>, so I did not start recording: people must see "
    "that they are on the record. Check that I can view the channel, send messages and add reactions there."
)
STARTED = "Recording the {meeting} in <#{channel}>. The notice is posted there; `/meeting end` stops the record."
CHAIR_NAMED = "The minutes name the chair as: {chair}."
NOT_RECORDING = "The {meeting} is not being recorded right now."
NOTHING_RECORDING = "Nothing is being recorded in this server right now."
WHICH_RECORDING = "Several meetings are being recorded; choose one with `meeting:`."
ENDED = "Recording of the {meeting} ended: {lines} lines are in the record. `/minutes show` lists the minutes so far."

NO_LOG = "There is no chat log for the {meeting}: it was never recorded."
LOG_PURGED = "The chat log of the {meeting} was purged on {date} (the minutes were kept: `/minutes export`)."
STILL_RECORDING_PURGE = "The {meeting} is still being recorded: end the recording (`/meeting end`) before purging."
PURGE_CONFIRM = (
    "Delete the whole chat log of the {meeting} ({lines} lines, {deleted} deleted, {removed} removed)? "
    "The minutes are kept. This cannot be undone."
)
PURGE_DONE = "Purged the chat log of the {meeting}: {lines} lines deleted. The minutes ({items} items) are kept."
PURGE_GONE = "There was nothing left to purge for the {meeting} (already purged, or still being recorded)."
CANCELLED_ACTION = "Cancelled: nothing was changed."
TIMED_OUT = "No answer in time, so nothing was changed. Run the command again if you still want to."

FORGET_CONFIRM = (
    "Remove everything {member} said from every chat log and minutes of this server ({lines} lines)? Their "
    "lines become “[removed]”, and the bot stops recording them from now on. This cannot be undone."
)
FORGET_DONE = (
    "Removed {member}'s words: {lines} lines and {items} minutes items. The bot will not record them from now "
    "on; `/log remember` lifts that."
)
FORGET_BOT = "Bots are never recorded, so there is nothing to forget."
REMEMBER_DONE = "The bot records {member} again from now on. Nothing that was removed comes back."
REMEMBER_NOT = "{member} was not forgotten; nothing to change."

EXPORT_TOO_BIG = (
    "The export is larger than Discord lets me upload here ({size}) even compressed. Try the `txt` format, "
    "or ask a server admin to raise the upload limit."
)
EXPORT_READY = "The {what} of the {meeting} ({lines} lines), {fmt}{zipped}. Organisers only: handle with care."

YOUTH_ON = (
    "You are now shown as **{pseudonym}** in every chat export and in the minutes, including what you "
    "said before: your name is replaced in the stored record too. The pseudonym stays yours for good."
)
YOUTH_ALREADY = "You are already shown as **{pseudonym}**."
YOUTH_OFF = (
    "You are no longer a youth participant: what you say from now on is recorded under your display name. "
    "What was recorded while you were **{pseudonym}** stays under that pseudonym."
)
YOUTH_NOT = "You are not marked as a youth participant; nothing to change."


def meeting_name(number: int) -> str:
    return f"{ordinal(number)} meeting"
