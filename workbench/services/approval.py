"""Who may approve a translation, and the errors that need a stated reason first.

One rule for every path that approves: the editor, XLIFF import, and anything added later.
"""

from __future__ import annotations

import sqlite_utils

from workbench.services import findings
from workbench.core import qa
from workbench.data import reports
from workbench.data.users import RIGHTS


def may_approve(role: str | None) -> bool:
    return "approve" in RIGHTS.get(role or "", set())


def blocking_errors(db: sqlite_utils.Database, source: str, text: str, lang: str) -> list[str]:
    """The QA and term errors that need a stated reason before a reviewer approves."""
    errors = [f.message for f in qa.check(source, text, lang) if f.severity == "error"]
    for finding in findings.checker(db).check(source, text, lang):
        if finding.status == "forbidden":
            errors.append(reports.term_message({"status": "forbidden", "target_text": finding.target,
                                                "source_text": finding.source, "concept": finding.concept}))
    return errors
