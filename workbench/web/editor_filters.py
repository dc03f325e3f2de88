"""The editor's filters (status, QA severity, text, open comments) and its counts line.

Kept apart from editor.py: the page view hands over every segment's view and gets back the
ones to show, plus what the filter line says ("x of y segments shown") and the article's counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.data import editor_pages


STATUS_FILTERS = {"": "any status", "untranslated": "untranslated", "mt_draft": "MT draft",
                  "edited": "edited", "approved": "approved", "unapproved": "not approved",
                  "source_changed": "source changed", "needs_review": "needs review"}
SHOW_FILTERS = {"": "all segments", "findings": "only segments with findings",
                "unapproved": "only segments not approved", "changed": "changed in the last version",
                "reopened": "only segments changed after approval"}
QA_FILTERS = {"": "any findings", "any": "with findings", "error": "with errors",
              "warning": "with warnings only", "none": "without findings"}


@dataclass
class Filters:
    status: str = ""
    qa: str = ""
    text: str = ""
    comments: bool = False
    only: str = ""  # the "Show" shortcuts, e.g. segments changed by the latest version
    STATUS_CHOICES = STATUS_FILTERS
    SHOW_CHOICES = SHOW_FILTERS
    QA_CHOICES = QA_FILTERS

    @classmethod
    def from_args(cls, args) -> "Filters":
        status, qa, only = args.get("status", ""), args.get("qa", ""), args.get("only", "")
        return cls(status=status if status in STATUS_FILTERS else "", qa=qa if qa in QA_FILTERS else "",
                   text=args.get("text", "").strip(), comments=args.get("comments") == "open",
                   only=only if only in SHOW_FILTERS else "")

    @property
    def active(self) -> bool:
        return bool(self.status or self.qa or self.text or self.comments or self.only)

    def query(self) -> dict:
        """The filter as URL parameters (for page links)."""
        return {k: v for k, v in {"status": self.status, "qa": self.qa, "text": self.text,
                                  "comments": "open" if self.comments else "",
                                  "only": self.only}.items() if v}


def matching_ids(db, article: dict, lang: str, filters: Filters) -> set[int] | None:
    """Segment ids passing the status / QA / text / comments filters; None when none is set
    (data/editor_pages.filtered_ids runs the query)."""
    if not (filters.status or filters.qa or filters.text or filters.comments):
        return None
    return editor_pages.filtered_ids(db, article["id"], lang, status=filters.status, qa=filters.qa,
                                     text=filters.text, comments=filters.comments)
