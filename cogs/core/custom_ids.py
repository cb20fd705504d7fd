"""custom_id formats of the persistent buttons (discord.ui.DynamicItem templates).

The agenda post carries the first two buttons and a recording's start notice the third; the
features that own them register the DynamicItem classes (reminders: REMIND_ME, contributions:
REGISTER, attendance: PRESENT), so a click works after a restart.
"""

REMIND_ME = "cwgcop:remind:{meeting_id}"
REMIND_ME_TEMPLATE = r"cwgcop:remind:(?P<meeting_id>[0-9]+)"

REGISTER = "cwgcop:register:{meeting_id}"
REGISTER_TEMPLATE = r"cwgcop:register:(?P<meeting_id>[0-9]+)"

PRESENT = "cwgcop:present:{meeting_id}"
PRESENT_TEMPLATE = r"cwgcop:present:(?P<meeting_id>[0-9]+)"
