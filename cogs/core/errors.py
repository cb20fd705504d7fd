"""Domain errors. Pure: never imports discord."""


class UserError(Exception):
    """A failure the user caused and can fix; its text is shown to them (ephemerally) as it is."""


class NotOrganiser(UserError):
    """The command is for the chair and secretariat."""

    def __init__(self, what: str = "This command") -> None:
        super().__init__(f"{what} is for the meeting organisers (the chair and secretariat roles, or Manage Server).")
