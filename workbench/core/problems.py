"""Per-entry problems of a file import (TMX units, glossary concepts, table rows), and the refusal
of a file that has some: by default a file with an invalid entry is refused whole; with "skip
invalid entries" its valid entries are imported and the invalid ones listed."""

from __future__ import annotations

from workbench.core.errors import UserError

LISTED = 1000  # a report lists this many problems; its counts cover them all
SHOWN = 20  # a message names this many


class ImportRefused(UserError):
    """A file with invalid entries, refused whole (nothing was stored); `problems` lists them as
    {"kind", "id", "line", "reason"}."""

    def __init__(self, message: str, problems: list[dict]):
        super().__init__(message)
        self.problems = problems


def describe(problems: list[dict], total: int | None = None) -> str:
    """"tu '7' (line 12): reason; concept 'x' (line 3): reason; and 4 more"."""
    shown = "; ".join(_one(p) for p in problems[:SHOWN])
    more = (total if total is not None else len(problems)) - min(len(problems), SHOWN)
    return shown + (f"; and {more} more" if more > 0 else "")


def _one(problem: dict) -> str:
    label = f"{problem['kind']} {problem['id']!r}" if problem.get("id") else problem["kind"]
    return label + (f" (line {problem['line']})" if problem.get("line") else "") + f": {problem['reason']}"


def refusal(name: str, what: tuple[str, str], problems: list[dict], total: int | None = None) -> ImportRefused:
    """The refusal of file `name` for its `problems` (`what`: the entry's singular and plural)."""
    count = total if total is not None else len(problems)
    return ImportRefused(f"{name}: {count} invalid {what[0] if count == 1 else what[1]}; nothing was imported "
                         "(import with skip invalid entries to store the valid ones): "
                         f"{describe(problems, count)}", problems)
