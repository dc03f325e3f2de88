"""One base for every error a user can cause and fix; the CLI and web show its message, no traceback."""

import re


class UserError(Exception):
    """Bad input or a missing prerequisite; str(error) says what is wrong and how to fix it."""

    status = 400


class Forbidden(UserError):
    """The actor's role does not allow the action (every door answers 403 or refuses the command)."""

    status = 403


def id_version_pairs(value: str | list[str], what: str) -> list[tuple[int, int]]:
    """"12:3,14:1" (or a list of "12:3") as [(12, 3), (14, 1)]; a UserError naming `what` otherwise.

    ASCII digits only, at most 18 of them: str.isdigit() also passes "²", and SQLite ids stop at 2**63."""
    items = value if isinstance(value, list) else [v for v in value.split(",") if v]
    pairs = []
    for item in items:
        match = re.fullmatch(r"([0-9]{1,18}):([0-9]{1,18})", item)
        if not match:
            raise UserError(f"{what}: {item[:40]!r} is not segment:version")
        pairs.append((int(match[1]), int(match[2])))
    return pairs
