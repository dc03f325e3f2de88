"""Limits read from a workbench.toml table (`[import]`, `[models]`): whole numbers above 0."""

from __future__ import annotations

from dataclasses import fields


def whole_numbers(cls, values: dict, section: str):
    """`cls` (a dataclass of int limits) from a settings table; ValueError names the bad setting."""
    known = {f.name for f in fields(cls)}
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"[{section}] has no setting {key!r}; known: {', '.join(sorted(known))}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"[{section}] {key} must be a whole number above 0")
    return cls(**values)
