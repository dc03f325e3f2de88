"""The instance folder: database, installed models, secret key and settings, in one place.

Both the CLI and the web app reach the data through an Instance, so they agree on where things
live. The folder comes from --instance, else WORKBENCH_INSTANCE, else ./instance.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from workbench.data.db import open_db
from workbench.core import permissions
from workbench.core.errors import UserError
from workbench.core.mt.archive import ArchiveLimits
from workbench.core.mt.engine import MTSettings

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # workbench/ (this module is workbench/data/instance.py)
# In a source checkout templates/ and glossaries/ sit beside the package; a wheel carries copies.
PROJECT_DIR = PACKAGE_DIR.parent


def _shipped(name: str) -> Path:
    checkout = PROJECT_DIR / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / f"_{name}"


TEMPLATES_DIR = _shipped("templates")
GLOSSARIES_DIR = _shipped("glossaries")


DEFAULT_MIN_FREE_MB = 500  # [health] min_free_mb


def permissions_for(db) -> dict[str, frozenset[str]]:
    """The [permissions] of the instance whose database `db` is (the defaults for a database in
    memory). Read again when workbench.toml changes (its modification time)."""
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return dict(permissions.DEFAULTS)
    instance = Instance(Path(path).parent)
    try:
        info = instance.settings_file.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        return dict(permissions.DEFAULTS)
    key = (str(instance.settings_file), stamp)
    if key not in _permissions_cache:
        _permissions_cache.clear()
        _permissions_cache[key] = instance.permissions()
    return _permissions_cache[key]


_permissions_cache: dict[tuple, dict] = {}


def default_instance_path() -> Path:
    return Path(os.environ.get("WORKBENCH_INSTANCE") or "instance").resolve()


class SettingsError(UserError):
    """workbench.toml in the instance folder cannot be used."""


@dataclass
class Instance:
    path: Path

    def __post_init__(self):
        self.path = Path(self.path).resolve()

    @property
    def db_path(self) -> Path:
        return self.path / "workbench.db"

    @property
    def models_dir(self) -> Path:
        return self.path / "models"

    @property
    def settings_file(self) -> Path:
        return self.path / "workbench.toml"

    def db(self):
        return open_db(self.path)

    def exists(self) -> bool:
        return self.db_path.exists()

    def init(self) -> bool:
        """Create the folder, database, models folder and secret key; True if it was new. (The
        shipped glossaries are loaded by services/setup.py's prepare_instance.)"""
        created = not self.exists()
        self.models_dir.mkdir(parents=True, exist_ok=True)
        self.db().close()
        key_file = self.path / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return created

    def secret_key(self) -> str:
        key_file = self.path / "secret_key"
        if not key_file.exists():
            self.init()
        return key_file.read_text().strip()

    def settings(self) -> dict:
        if not self.settings_file.exists():
            return {}
        try:
            return tomllib.loads(self.settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise SettingsError(f"{self.settings_file}: {err}; fix or delete the file") from None

    def mt_engines(self) -> dict[str, str]:
        """[mt.engines] in workbench.toml: target language -> engine name (e.g. az = "nllb-600m")."""
        engines = self.settings().get("mt", {}).get("engines", {})
        if not isinstance(engines, dict) or not all(isinstance(v, str) for v in engines.values()):
            raise SettingsError(f'{self.settings_file}: [mt.engines] maps a language to an engine name, '
                                f'e.g. az = "nllb-600m"')
        return dict(engines)

    def permissions(self) -> dict[str, frozenset[str]]:
        """[permissions] in workbench.toml: capability -> the roles holding it (core/permissions.py)."""
        try:
            return permissions.parse(self.settings().get("permissions"), str(self.settings_file))
        except ValueError as err:
            raise SettingsError(str(err)) from None

    def archive_limits(self) -> ArchiveLimits:
        """[models] in workbench.toml: how far a model archive may unpack (mt/archive.py)."""
        values = self.settings().get("models", {})
        if not isinstance(values, dict):
            raise SettingsError(f"{self.settings_file}: [models] must be a table of settings")
        try:
            return ArchiveLimits.from_settings(values)
        except ValueError as err:
            raise SettingsError(f"{self.settings_file}: {err}") from None

    def mail_settings(self) -> dict | None:
        """[mail] in workbench.toml (host; port, from, starttls, username, password optional), or None
        when there is no host: notifications are then shown in the app only."""
        values = self.settings().get("mail")
        if not values:
            return None
        if not isinstance(values, dict) or not isinstance(values.get("host"), str) or not values["host"]:
            raise SettingsError(f'{self.settings_file}: [mail] needs host = "smtp.example.org" (and port, '
                                f'from, starttls, username, password as needed)')
        port = values.get("port", 25)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise SettingsError(f"{self.settings_file}: [mail] port is a number, e.g. port = 587")
        return {"host": values["host"], "port": port, "from": str(values.get("from") or "workbench@localhost"),
                "starttls": bool(values.get("starttls", False)), "username": values.get("username"),
                "password": values.get("password")}

    def min_free_mb(self) -> int:
        """[health] min_free_mb in workbench.toml: free disk below this (in MB) fails the health check."""
        values = self.settings().get("health", {})
        value = values.get("min_free_mb", DEFAULT_MIN_FREE_MB) if isinstance(values, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SettingsError(f"{self.settings_file}: [health] min_free_mb is a whole number of MB, "
                                f"e.g. min_free_mb = {DEFAULT_MIN_FREE_MB}")
        return value

    def mt_settings(self, **overrides) -> MTSettings:
        """[mt] in workbench.toml, then the non-None overrides (from CLI options)."""
        known = {f.name for f in fields(MTSettings)}
        values = {k: v for k, v in self.settings().get("mt", {}).items() if k in known}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return MTSettings(**values)
