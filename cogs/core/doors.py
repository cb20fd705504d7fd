"""Every door into the bot, who may pass and what it may reveal: the one table.

discord.py runs a command's checks for the command, never for its autocomplete; a button, a form,
a listener, a scheduled job and a catch-up after restart are doors too. ``tests/test_doors.py``
walks the real bot (its command tree, every option with autocomplete, its registered DynamicItems,
views and forms, its listeners and its scheduled jobs) and fails when a door is missing here; it
also types into every autocomplete as a non-organiser and checks that nothing the read commands
hide comes back. ``docs/entry-points.md`` is generated from this table (``python -m cogs.core.doors``)
and checked by the same test. Pure: never imports discord.
"""

from __future__ import annotations

from dataclasses import dataclass

# Who may pass (checked on the server, whatever Discord shows)
ANYONE = "any member of the server"
PARTICIPANT = "participants: the participant role (everyone when none is set), and organisers"
ORGANISER = "organisers only: chair or secretariat role, or Manage Server (`organiser_only`)"
ORGANISER_IN_BODY = "organisers only (checked first thing in the command: `ensure_organiser`)"
SELF_OR_ORGANISER = "any member about themselves; organisers also for another member (`member:`)"
MANAGE_SERVER = "Manage Server only (`interaction_check` of the /setup group)"
SUBMITTER = "the document's submitter, or an organiser"
SELF = "any member, about themselves only"
OWNER = "the member who opened it (`interaction_check`)"
ORGANISER_OWNER = "the organiser who asked (organiser check and owner check)"
DISCORD = "Discord (gateway event); no member acts"
SCHEDULER = "the bot's scheduler; no member acts"

# What it may reveal (to the one who passes)
NOTHING = "nothing"
MEETINGS = "this server's meetings: number, title, date, status (what /meeting list shows)"
ZONES = "IANA time-zone names"
DOCUMENTS = "this server's documents (number, status, title): what /contribution show and list show"
OWN_DOCUMENTS = "non-organisers: only their own documents; organisers: this server's documents"
READABLE_AGENDA = "organisers: the draft agenda; everyone else: the agenda as last published, or nothing"
ORGANISER_PICKER = "organisers: what the command acts on; anyone else: nothing (empty list)"
DELEGATION_NAMES = (
    "Member State names (public); organisers also: the delegation names used in this server (not who uses them)"
)
ATTENDANCE = "who attended a meeting, by delegation"
SOURCES = "the sources of one meeting's documents (shown by /contribution list)"
RECORD = "the chat record, minutes or figures of this server's meetings"


@dataclass(frozen=True, slots=True)
class Door:
    kind: str  # command, autocomplete, component, form, view, event, http, job
    name: str  # "/agenda edit", "/agenda edit item", a custom_id template, "CaptureCog.on_message", a job id prefix
    who: str
    reveals: str


def _commands(who: str, reveals: str, *names: str) -> list[Door]:
    return [Door("command", name, who, reveals) for name in names]


def _pickers(reveals: str, *names: str) -> list[Door]:
    return [Door("autocomplete", name, ANYONE, reveals) for name in names]


DOORS: tuple[Door, ...] = (
    # -- slash commands ------------------------------------------------------------------------------
    *_commands(
        MANAGE_SERVER,
        "this server's configuration",
        "/setup roles",
        "/setup channels",
        "/setup options",
        "/setup group-name",
        "/setup show",
    ),
    *_commands(ORGANISER, MEETINGS, "/meeting create", "/meeting edit", "/meeting cancel"),
    *_commands(ANYONE, MEETINGS, "/meeting list", "/meeting show", "/meeting ics"),
    *_commands(ORGANISER, "the recording state of a meeting", "/meeting start", "/meeting end"),
    *_commands(
        ORGANISER,
        "the draft agenda",
        "/agenda add",
        "/agenda edit",
        "/agenda remove",
        "/agenda move",
        "/agenda template",
        "/agenda post",
    ),
    *_commands(ANYONE, READABLE_AGENDA, "/agenda show", "/agenda export"),
    Door("command", "/contribution register", PARTICIPANT, "the caller's own registration"),
    *_commands(ANYONE, DOCUMENTS, "/contribution list", "/contribution show", "/contribution export"),
    *_commands(SUBMITTER, "the document acted on", "/contribution revise", "/contribution withdraw"),
    *_commands(ORGANISER, DOCUMENTS, "/contribution accept", "/contribution reject", "/contribution assign"),
    *_commands(SELF, "the caller's own reminders in this server", "/remind me", "/remind stop", "/remind list"),
    Door("command", "/remind status", ORGANISER, "who was reminded of a meeting (the ledger)"),
    *_commands(SELF, "the caller's own youth status", "/privacy youth on", "/privacy youth off", "/privacy status"),
    *_commands(
        ORGANISER,
        RECORD,
        "/minutes show",
        "/minutes export",
        "/log export",
        "/log purge",
        "/log forget",
        "/log remember",
        "/report meeting",
        "/report period",
    ),
    *_commands(
        SELF_OR_ORGANISER, "a member's stated delegation", "/delegation set", "/delegation show", "/delegation clear"
    ),
    *_commands(
        ORGANISER_IN_BODY,
        "every stated delegation and mapped role",
        "/delegation list",
        "/delegation role",
        "/delegation unrole",
    ),
    *_commands(SELF, "the caller's own answer language", "/language set", "/language show", "/language clear"),
    Door("command", "/meeting attendance", ORGANISER_IN_BODY, ATTENDANCE),
    Door("command", "/meeting feed", ANYONE, "the server's calendar feed address (a secret) to subscribe to"),
    Door(
        "command",
        "/setup calendar rotate",
        MANAGE_SERVER,
        "a new secret feed address (the old one stops working); also checks for an organiser",
    ),
    # -- autocomplete (the command's checks do NOT run: each one decides itself) ---------------------
    *_pickers(ZONES, "/setup options timezone", "/meeting create timezone", "/meeting edit timezone"),
    *_pickers(
        MEETINGS,
        "/meeting edit meeting",
        "/meeting cancel meeting",
        "/meeting show meeting",
        "/meeting ics meeting",
        "/meeting start meeting",
        "/meeting end meeting",
        "/meeting attendance meeting",
        "/agenda add meeting",
        "/agenda edit meeting",
        "/agenda remove meeting",
        "/agenda move meeting",
        "/agenda template meeting",
        "/agenda post meeting",
        "/agenda show meeting",
        "/agenda export meeting",
        "/contribution register meeting",
        "/contribution list meeting",
        "/contribution export meeting",
        "/remind me meeting",
        "/remind stop meeting",
        "/remind status meeting",
        "/minutes show meeting",
        "/minutes export meeting",
        "/log export meeting",
        "/log purge meeting",
        "/report meeting meeting",
        "/report period first",
        "/report period last",
    ),
    *_pickers(
        ORGANISER_PICKER,
        "/agenda add after",
        "/agenda edit item",
        "/agenda remove item",
        "/agenda move item",
        "/contribution accept number",
        "/contribution reject number",
        "/contribution assign number",
        "/contribution assign agenda_item",
    ),
    *_pickers(DELEGATION_NAMES, "/delegation set name", "/delegation role name"),
    *_pickers(READABLE_AGENDA, "/contribution register agenda_item", "/contribution list agenda_item"),
    Door("autocomplete", "/contribution list source", ANYONE, SOURCES),
    Door("autocomplete", "/contribution show number", ANYONE, DOCUMENTS),
    *_pickers(OWN_DOCUMENTS, "/contribution revise number", "/contribution withdraw number"),
    # -- buttons and forms --------------------------------------------------------------------------
    Door("component", "cwgcop:register:(?P<meeting_id>[0-9]+)", PARTICIPANT, "a registration form for that meeting"),
    Door("component", "cwgcop:remind:(?P<meeting_id>[0-9]+)", SELF, "the caller's own reminder for that meeting"),
    Door(
        "component",
        "cwgcop:present:(?P<meeting_id>[0-9]+)",
        SELF,
        "the caller's own attendance, while the meeting is recorded",
    ),
    Door(
        "form",
        "cwgcop:register-form:(?P<meeting_id>[0-9]+):(?P<nonce>[0-9a-f]+)",
        PARTICIPANT,
        "the caller's own registration (also after a restart, through ContributionsCog.on_interaction)",
    ),
    Door(
        "view",
        "cogs.contributions._views.RegisterForm",
        PARTICIPANT,
        "the item numbers of the agenda the caller may read (published, for non-organisers)",
    ),
    Door("view", "cogs.contributions._views.ReopenForm", OWNER, "what the caller typed"),
    Door("view", "cogs.contributions._views.ConfirmDuplicate", OWNER, "the caller's own registration"),
    Door("view", "cogs.contributions._views.Pager", OWNER, DOCUMENTS),
    Door("view", "cogs.capture._records.Confirm", ORGANISER_OWNER, RECORD),
    # -- listeners ----------------------------------------------------------------------------------
    Door("event", "MeetingBot.on_ready", DISCORD, "a log line"),
    Door("event", "MeetingBot.on_message", DISCORD, "nothing (no prefix commands)"),
    Door("event", "MeetingTree.on_error", DISCORD, "a polite ephemeral answer; tracebacks only in the log"),
    Door("event", "ContributionsCog.on_interaction", PARTICIPANT, "a registration form submitted after a restart"),
    *(
        Door("event", f"{cog}.{event}", DISCORD, "nothing: the bot's own events, re-read from the database")
        for cog, event in (
            ("AgendaCog", "on_meeting_changed"),
            ("AgendaCog", "on_meeting_cancelled"),
            ("AgendaCog", "on_contributions_changed"),
            ("AgendaCog", "on_guild_settings_changed"),
            ("RemindersCog", "on_meeting_changed"),
            ("RemindersCog", "on_meeting_cancelled"),
            ("RemindersCog", "on_meeting_created"),
            ("RemindersCog", "on_guild_settings_changed"),
            ("CaptureCog", "on_meeting_changed"),
            ("CaptureCog", "on_meeting_created"),
            ("CaptureCog", "on_guild_settings_changed"),
        )
    ),
    Door(
        "event",
        "CaptureCog.on_meeting_cancelled",
        DISCORD,
        "the end-of-recording notice in the meeting channel, if the cancelled meeting was being recorded",
    ),
    Door("event", "CaptureCog.on_ready", DISCORD, "nothing: catch-up of recordings (backfill)"),
    Door("event", "CaptureCog.on_resumed", DISCORD, "nothing: catch-up of recordings (backfill)"),
    Door("event", "CaptureCog.on_guild_join", DISCORD, "nothing"),
    Door("event", "CaptureCog.on_message", DISCORD, "an acknowledgement of a marker in the recorded channel"),
    Door("event", "AttendanceCog.on_message", DISCORD, "nothing: notes that a member spoke in a recorded channel"),
    Door("event", "AttendanceCog.on_recording_started", DISCORD, "nothing: the bot's own event"),
    Door("event", "AttendanceCog.on_recording_ended", DISCORD, "nothing: the bot's own event"),
    *(
        Door("event", f"CaptureCog.{event}", DISCORD, "nothing: the record follows edits and deletions")
        for event in (
            "on_raw_message_edit",
            "on_raw_message_delete",
            "on_raw_bulk_message_delete",
            "on_raw_thread_delete",
            "on_raw_thread_update",
            "on_guild_channel_delete",
        )
    ),
    # -- the calendar feed's web server (only when WEB_PORT is set) --------------------------------
    Door(
        "http",
        "/calendar/{name}",
        "anyone holding the server's secret address (no Discord login); any other name: 404",
        "that server's meetings (titles, times, venue, links to the agenda post and the meeting chat)",
    ),
    Door("http", "/healthz", "anyone who can reach the port", "whether the bot is connected (no server data)"),
    # -- scheduled jobs (id prefixes) ---------------------------------------------------------------
    Door("job", "reminders-sweep", SCHEDULER, "reminders due soon, to the channels and members they are for"),
    Door("job", "reminders:", SCHEDULER, "one reminder, to its channel or member"),
    Door("job", "capture:start:", SCHEDULER, "the recording notice in the meeting channel"),
    Door("job", "capture:end:", SCHEDULER, "the end-of-recording notice"),
    Door("job", "capture:guard:", SCHEDULER, "the end-of-recording notice (automatic stop)"),
    Door("job", "capture:retention", SCHEDULER, "nothing: purges logs older than the retention period"),
)

KINDS = ("command", "autocomplete", "component", "form", "view", "event", "http", "job")
_TITLES = {
    "command": "Slash commands",
    "autocomplete": "Autocomplete (the command's checks do not run here)",
    "component": "Persistent buttons (DynamicItem custom_id templates)",
    "form": "Forms (modal custom_id templates)",
    "view": "Views and forms (classes)",
    "event": "Listeners",
    "http": "Web routes (the calendar feed's server)",
    "job": "Scheduled jobs (job id prefixes)",
}


def names(kind: str) -> set[str]:
    return {d.name for d in DOORS if d.kind == kind}


def job_door(job_id: str) -> Door | None:
    """The door of a scheduled job: its exact id, else the longest prefix ending in ':'."""
    best: Door | None = None
    for door in DOORS:
        if door.kind != "job":
            continue
        if door.name == job_id:
            return door
        longer = best is None or len(door.name) > len(best.name)
        if door.name.endswith(":") and job_id.startswith(door.name) and longer:
            best = door
    return best


def markdown() -> str:
    """docs/entry-points.md, generated from the table."""
    out = [
        "# Entry points: who may pass each door, and what it may reveal",
        "",
        "Generated from `cogs/core/doors.py` by `python -m cogs.core.doors > docs/entry-points.md`;",
        "`tests/test_doors.py` fails when the bot has a door this table lacks, when this file is out of",
        "date, or when an autocomplete gives a non-organiser anything the read commands hide.",
        "",
        "discord.py runs a command's checks for the command, never for its autocomplete: each",
        "autocomplete decides for itself (`cogs/core/visibility.py`).",
    ]
    for kind in KINDS:
        out += ["", f"## {_TITLES[kind]}", "", "| Door | Who may pass | What it may reveal |", "|---|---|---|"]
        for door in DOORS:
            if door.kind == kind:
                out.append(f"| `{door.name}` | {door.who} | {door.reveals} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
