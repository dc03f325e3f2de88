"""Changes to instance/workbench.toml made by the workbench itself (`models tune`, the admin page):
the rest of the file, comments included, stays as people wrote it (tomlkit), the file is replaced
atomically, and a change based on an older reading of the file is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

from workbench.core.errors import UserError


class SettingsChanged(UserError):
    status = 409


def version(settings_file: Path) -> str:
    """A digest of the file as it is now (empty file: the digest of nothing)."""
    data = settings_file.read_bytes() if settings_file.exists() else b""
    return hashlib.sha256(data).hexdigest()[:16]


def update_mt(settings_file: Path, values: dict | None = None, engines: dict[str, str | None] | None = None,
              *, base_version: str | None = None) -> None:
    """Set keys of [mt] and of [mt.engines] (None removes an engine choice)."""
    import tomlkit

    if base_version is not None and base_version != version(settings_file):
        raise SettingsChanged(f"{settings_file.name} changed since you opened the page; reload and choose again")
    document = tomlkit.parse(settings_file.read_text(encoding="utf-8")) if settings_file.exists() \
        else tomlkit.document()
    if "mt" not in document:
        document["mt"] = tomlkit.table()
    mt = document["mt"]
    for key, value in (values or {}).items():
        mt[key] = value
    if engines:
        if "engines" not in mt:
            mt["engines"] = tomlkit.table()
        for lang, name in engines.items():
            if name:
                mt["engines"][lang] = name
            elif lang in mt["engines"]:
                del mt["engines"][lang]
    tmp = settings_file.with_suffix(".toml.partial")
    tmp.write_text(tomlkit.dumps(document), encoding="utf-8")
    tmp.replace(settings_file)
