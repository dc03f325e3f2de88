"""The editor's filters (status, QA severity, text, open comments) and its counts line.

Kept apart from editor.py: the page view hands over every segment's view and gets back the
ones to show, plus what the filter line says ("x of y segments shown") and the article's counts.
"""

from __future__ import annotations

from dataclasses import dataclass


STATUS_FILTERS = {"": "any status", "untranslated": "untranslated", "mt_draft": "MT draft",
                  "edited": "edited", "approved": "approved", "unapproved": "not approved",
                  "source_changed": "source changed"}
SHOW_FILTERS = {"": "all segments", "findings": "only segments with findings",
                "unapproved": "only segments not approved", "changed": "changed in the last version",
                "reopened": "only segments changed after approval"}
QA_FILTERS = {"": "any findings", "any": "with findings", "error": "with errors",
              "warning": "with warnings only", "none": "without findings"}


def fold(text: str) -> str:
    """Case-folded, with the Turkic i's made one letter: "PLANLARI" finds "planları", "İSTANBUL"
    finds "İstanbul" (plain casefold maps I to i and İ to i + combining dot)."""
    return text.casefold().replace("i\u0307", "i").replace("ı", "i")


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
    """Segment ids passing the status / QA / text / comments filters; None when none is set (the
    paged SQL query then does all the work). Status, findings and comments are SQL conditions; the
    text filter folds case the Turkic way (`fold`), in Python, over the texts alone."""
    if not (filters.status or filters.qa or filters.text or filters.comments):
        return None
    conditions, params = [], {"article": article["id"], "lang": lang, "status": filters.status}
    if filters.status == "unapproved":
        conditions.append("(t.status IS NULL OR t.status != 'approved')")
    elif filters.status:
        conditions.append("COALESCE(t.status, 'untranslated') = :status")
    if filters.qa:
        conditions.append(QA_CONDITIONS[filters.qa])
    if filters.comments:
        conditions.append("EXISTS (SELECT 1 FROM segment_comments c WHERE c.segment_id = s.id AND c.lang = :lang "
                          "AND c.resolved_at IS NULL)")
    found = db.conn.execute(
        "SELECT s.id, s.text, t.text FROM segments s LEFT JOIN translations t ON t.segment_id = s.id "
        f"AND t.lang = :lang WHERE s.article_id = :article {''.join(' AND ' + c for c in conditions)}", params)
    if not filters.text:
        return {row[0] for row in found}
    needle = fold(filters.text)
    return {sid for sid, source, target in found if needle in fold(source) or needle in fold(target or "")}


# A term finding counts as an error when a forbidden term was used, as a warning when a term is missing.
_ERROR = ("(EXISTS (SELECT 1 FROM qa_findings q WHERE q.translation_id = t.id AND q.severity = 'error') "
          "OR EXISTS (SELECT 1 FROM term_findings f WHERE f.translation_id = t.id AND f.status = 'forbidden'))")
_WARNING = ("(EXISTS (SELECT 1 FROM qa_findings q WHERE q.translation_id = t.id AND q.severity = 'warning') "
            "OR EXISTS (SELECT 1 FROM term_findings f WHERE f.translation_id = t.id AND f.status = 'missing'))")
QA_CONDITIONS = {"any": f"({_ERROR} OR {_WARNING})", "none": f"NOT ({_ERROR} OR {_WARNING})",
                 "error": _ERROR, "warning": f"({_WARNING} AND NOT {_ERROR})"}
