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

    def keeps(self, view: dict, latest_version: int | None = None) -> bool:
        status = view["status"]
        if self.only == "changed" and view["segment"].get("changed_in") != latest_version:
            return False
        if self.only == "reopened" and not view.get("reopened"):
            return False
        if self.only == "unapproved" and status == "approved":
            return False
        if self.only == "findings" and not (view["qa"] or view["findings"]):
            return False
        if self.status == "unapproved" and status == "approved":
            return False
        if self.status not in ("", "unapproved") and status != self.status:
            return False
        severities = {f["severity"] for f in view["qa"]} | {
            "error" if f["status"] == "forbidden" else "warning" for f in view["findings"]}
        if self.qa == "any" and not severities:
            return False
        if self.qa == "none" and severities:
            return False
        if self.qa == "error" and "error" not in severities:
            return False
        if self.qa == "warning" and severities != {"warning"}:
            return False
        if self.text:
            needle = fold(self.text)
            if needle not in fold(view["segment"]["text"]) and needle not in fold(view["text"] or ""):
                return False
        return not (self.comments and not view.get("comments", {}).get("open"))


def matching_ids(db, article: dict, lang: str, filters: Filters, reopened: set[int]) -> set[int] | None:
    """Segment ids passing the status / QA / text / comments filters; None when none is set (the
    paged SQL query then does all the work). Reads every segment's findings, but highlights none."""
    if not (filters.status or filters.qa or filters.text or filters.comments):
        return None
    from .. import comments, store, store_terms

    translations = store.article_translations(db, article["id"], lang)
    ids = [t["id"] for t in translations.values()]
    terms, qa = store_terms.findings_for(db, ids), store.qa_findings(db, ids)
    tallies = comments.counts(db, article["id"], lang)
    keep = set()
    for segment in store.segments(db, article["id"]):
        t = translations.get(segment["id"])
        view = {"segment": segment, "status": t["status"] if t else "untranslated", "text": t["text"] if t else "",
                "qa": qa.get(t["id"], []) if t else [],
                "findings": [f for f in terms.get(t["id"], []) if f["status"] != "ok"] if t else [],
                "comments": tallies.get(segment["id"], {}), "reopened": segment["id"] in reopened}
        if filters.keeps(view, article.get("version")):
            keep.add(segment["id"])
    return keep


def article_totals(db, article_id: int, lang: str) -> dict:
    """Words and characters of the whole article, source and target (every segment).

    Summed from the counts stored with each text (counts.words when it is written): counting a
    50,000-segment article's words on every page view took 0.6 s."""
    from .. import store

    source = db.conn.execute("SELECT COALESCE(SUM(words), 0), COALESCE(SUM(length(text)), 0) FROM segments "
                             "WHERE article_id = ?", [article_id]).fetchone()
    target = db.conn.execute(
        "SELECT COALESCE(SUM(t.words), 0), COALESCE(SUM(length(t.text)), 0) "
        f"FROM {store.ARTICLE_TRANSLATIONS} WHERE s.article_id = ? AND t.lang = ?", [article_id, lang]).fetchone()
    return {"source": {"words": source[0], "chars": source[1]}, "target": {"words": target[0], "chars": target[1]}}
