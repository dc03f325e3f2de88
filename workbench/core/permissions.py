"""Role capabilities as settings: `[permissions]` in instance/workbench.toml names, per capability,
the roles that hold it. Admins hold every capability whatever the file says.

    [permissions]
    import = ["reviewer", "admin"]            # import articles
    upload_versions = ["reviewer", "admin"]   # upload a new version of a story
    start_mt = ["reviewer", "admin"]          # start machine translation of an article
    manage_glossaries = ["admin"]             # change glossaries and their concepts
    assign = ["reviewer", "admin"]            # assign translators and reviewers (Take stays for translators)

The defaults are what a newsroom expects: translators edit; reviewers also approve, assign, import,
upload versions and start MT; admins everything.
"""

from __future__ import annotations

ROLES = ("translator", "reviewer", "admin")
DEFAULTS: dict[str, frozenset[str]] = {
    "import": frozenset({"reviewer", "admin"}),
    "upload_versions": frozenset({"reviewer", "admin"}),
    "start_mt": frozenset({"reviewer", "admin"}),
    "manage_glossaries": frozenset({"admin"}),
    "assign": frozenset({"reviewer", "admin"}),
}
WORDS = {"import": "import articles", "upload_versions": "upload new versions of a story",
         "start_mt": "start machine translation", "manage_glossaries": "change glossaries",
         "assign": "assign work"}


def parse(values: object, where: str) -> dict[str, frozenset[str]]:
    """The capabilities from a [permissions] table (missing keys keep their defaults); ValueError
    naming the file, key and fix for anything else."""
    if values is None:
        return dict(DEFAULTS)
    if not isinstance(values, dict):
        raise ValueError(f"{where}: [permissions] must be a table, e.g. import = [\"reviewer\", \"admin\"]")
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"{where}: [permissions] has no setting {', '.join(unknown)}; "
                         f"use {', '.join(DEFAULTS)}")
    result = dict(DEFAULTS)
    for key, roles in values.items():
        if not (isinstance(roles, list) and all(isinstance(r, str) for r in roles)):
            raise ValueError(f"{where}: [permissions] {key} must be a list of roles, e.g. [\"reviewer\", \"admin\"]")
        wrong = [r for r in roles if r not in ROLES]
        if wrong:
            raise ValueError(f"{where}: [permissions] {key} names {', '.join(map(repr, wrong))}; "
                             f"the roles are {', '.join(ROLES)}")
        result[key] = frozenset(roles) | {"admin"}
    return result


def holders(capabilities: dict[str, frozenset[str]], capability: str) -> str:
    """"reviewers and admins": who holds `capability`, in words."""
    names = [f"{role}s" for role in ROLES if role in capabilities[capability]]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
