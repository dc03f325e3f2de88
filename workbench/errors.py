"""One base for every error a user can cause and fix; the CLI and web show its message, no traceback."""


class UserError(Exception):
    """Bad input or a missing prerequisite; str(error) says what is wrong and how to fix it."""

    status = 400
