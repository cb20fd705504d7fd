"""The bot's own events: how features hear about each other without importing each other.

Dispatch with ``bot.dispatch(NAME, *args)`` *after* the change is committed; listen with
``@commands.Cog.listener()`` on ``async def on_<name>(...)``. A listener must not assume it will
run (the process may stop between the commit and the event): each feature also reconciles
from the database when it loads.

| event                     | arguments                          | dispatched by      |
|---------------------------|------------------------------------|--------------------|
| ``meeting_created``       | ``meeting: Meeting``               | meetings           |
| ``meeting_changed``       | ``before: Meeting, after: Meeting`` | meetings (any edit, times included) |
| ``meeting_cancelled``     | ``meeting: Meeting``               | meetings           |
| ``contributions_changed`` | ``meeting_id: int``                | contributions      |
| ``agenda_changed``        | ``meeting_id: int``                | agenda (any item change, a post) |
| ``guild_settings_changed`` | ``settings: GuildSettings``       | setup              |
| ``recording_started``     | ``meeting_id: int, channel_id: int`` | capture (the notice is posted, lines are kept) |
| ``recording_ended``       | ``meeting_id: int, channel_id: int`` | capture            |
"""

MEETING_CREATED = "meeting_created"
MEETING_CHANGED = "meeting_changed"
MEETING_CANCELLED = "meeting_cancelled"
CONTRIBUTIONS_CHANGED = "contributions_changed"
AGENDA_CHANGED = "agenda_changed"
GUILD_SETTINGS_CHANGED = "guild_settings_changed"
RECORDING_STARTED = "recording_started"
RECORDING_ENDED = "recording_ended"
