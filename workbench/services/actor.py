"""Who does an action: every service function takes an Actor and records it as the author.

An actor is a person signed in to the web editor, an API token, an MT job, a file import, a story
update from the CMS, or someone at the command line (`--user NAME`, else the OS account). Its `name`
is what history, conflicts and events show; its `role` decides what it may do (data/users.RIGHTS).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from workbench.core import permissions
from workbench.core.errors import Forbidden
from workbench.data.instance import permissions_for
from workbench.data.users import RIGHTS

KINDS = ("person", "token", "job", "import", "story", "cli")


@dataclass(frozen=True)
class Actor:
    kind: str            # one of KINDS
    name: str            # shown as the author: a user name, "job 12 (mt:argos-en_az)", "import story.xlf"
    role: str | None     # translator, reviewer, admin; None for machine actors acting on a person's behalf
    user: str | None = None  # the account behind it (the token's owner, the person who started a job)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown actor kind {self.kind!r}")

    def may(self, right: str) -> bool:
        """Whether this actor holds `right` ("edit", "approve", "admin", ...)."""
        return right in RIGHTS.get(self.role or "", set())

    @property
    def author(self) -> str:
        """The name history and conflict messages record for this actor."""
        return self.name

    @classmethod
    def person(cls, user: dict) -> Actor:
        return cls("person", user["name"], user.get("role"), user["name"])

    @classmethod
    def token(cls, user: dict) -> Actor:
        """An API client: `user` is the token's account row (name, role) as api.authenticate gives it."""
        return cls("token", user["name"], user.get("role"), user["name"])

    @classmethod
    def cli(cls, name: str | None = None, role: str = "admin") -> Actor:
        """Someone at the command line: `--user NAME`, else the OS account. The CLI runs with the
        instance owner's rights (whoever can run it can open the database file)."""
        return cls("cli", name or _os_user(), role, name or _os_user())

    @classmethod
    def job(cls, job_id: int, engine: str | None = None, user: str | None = None) -> Actor:
        label = f"MT job {job_id}" + (f" ({engine})" if engine else "")
        return cls("job", label, "translator", user)

    @classmethod
    def importer(cls, filename: str, by: Actor) -> Actor:
        """A file import run by `by`: it may do what `by` may do; history names the file."""
        return cls("import", f"import of {filename} by {by.name}", by.role, by.user)

    @classmethod
    def story(cls, version: int, by: Actor) -> Actor:
        """A story update to `version`, stored by `by` (a person, the CMS's token, the CLI)."""
        return cls("story", f"story version {version}, uploaded by {by.name}", by.role, by.user)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def require_capability(db, actor: Actor, capability: str) -> None:
    """Forbidden unless the actor's role holds `capability` under the instance's [permissions]
    (core/permissions.py: import, upload_versions, start_mt, manage_glossaries, assign)."""
    held = permissions_for(db)
    if actor.role == "admin" or (actor.role and actor.role in held[capability]):
        return
    raise Forbidden(f"{actor.name} may not {permissions.WORDS[capability]}: {permissions.holders(held, capability)} "
                    f"may ([permissions] {capability} in workbench.toml)")
