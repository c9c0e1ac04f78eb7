class ActionError(Exception):
    """A write was refused for a reason the person can fix; the message says how."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
