"""Consistency across the archive (Xbench-style): one source, several renderings.

Three kinds, all over approved translations only (renderings that differ only in letter case count
as one):
* the same source sentence (whitespace-normalised) translated differently;
* the same glossary concept rendered with different glossary terms (from the stored term
  findings: "Türkiye" in one article, the admitted "Turkey" in another, a forbidden one elsewhere);
* the same capitalised name, not in the glossary, rendered differently: names are paired with
  the translation's capitalised sequences by position (terms/names.py), and forms of one word
  count as one rendering ("Həsənov", "Həsənovun", "Həsənova" are one; "Gasanov" is another).

Each inconsistency: {"source", "lang", "renderings": [{"text", "segments": [{"article",
"segment"}]}]}, segment numbers from 1 in article order as in the editor.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict

import sqlite_utils

from workbench.data import termbase as store_terms
from workbench.data.db import db_key, rows_for_ids
from workbench.core.terms.morphology import find_term, fold, text_words
from workbench.core.terms.names import align, base_form, source_names

LOWER_WORD = re.compile(r"(?<![.!?]\s)\b([a-z][a-z]+)\b")


def approved_rows(db: sqlite_utils.Database, lang: str | None = None, article_id: int | None = None):
    sql = ("SELECT t.id, t.lang, t.text, s.text AS source, s.article_id, s.idx FROM translations t "
           "JOIN segments s ON s.id = t.segment_id WHERE t.status = 'approved' AND t.text != ''")
    params = []
    if lang:
        sql += " AND t.lang = ?"
        params.append(lang)
    if article_id is not None:
        sql += " AND s.article_id = ?"
        params.append(article_id)
    return list(db.query(sql + " ORDER BY s.article_id, s.idx, t.lang", params))


def stored_term_findings(db: sqlite_utils.Database, ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for row in rows_for_ids(db, "SELECT translation_id, glossary, concept, status, source_text, source_start, "
                            "target_text, target_start FROM term_findings WHERE translation_id IN ({})", ids):
        out[row["translation_id"]].append(row)
    return out


def common_words(sources) -> frozenset:
    """Words the archive writes in lower case somewhere: a capitalised one is not a name."""
    seen = set()
    for text in sources:
        seen.update(LOWER_WORD.findall(text))
    return frozenset(seen)


def _where(row) -> dict:
    return {"article": row["article_id"], "segment": row["idx"] + 1}


class _Groups:
    """Renderings of one source in one language: text -> segments, in first-seen order.

    Renderings that differ only in letter case (the language's own rules: Turkish and Azerbaijani
    İ/i and I/ı, Russian ё/е) are one rendering, shown as first seen: a headline in capitals or
    a sentence-initial capital is not an inconsistency."""

    def __init__(self):
        self.by_key: dict[tuple, dict[str, list]] = defaultdict(dict)
        self.shown: dict[tuple, str] = {}  # (source, lang, folded text) -> the text shown
        self.seen: set[tuple] = set()

    def add(self, source: str, lang: str, text: str, where: dict) -> None:
        folded = fold(text, lang)
        key = (source, lang, folded, where["article"], where["segment"])
        if key not in self.seen:
            self.seen.add(key)
            shown = self.shown.setdefault((source, lang, folded), text)
            self.by_key[(source, lang)].setdefault(shown, []).append(where)

    def inconsistent(self) -> list[dict]:
        out = []
        for (source, lang), renderings in self.by_key.items():
            if len(renderings) > 1:
                out.append({"source": source, "lang": lang, "renderings": [
                    {"text": text, "segments": segments} for text, segments in renderings.items()]})
        return out


def _concept_term(concept, lang: str, surface: str) -> str | None:
    """Which of the concept's terms the surface form is (the longest that matches)."""
    words = text_words(surface, lang)
    best = None
    for term in concept.terms_in(lang):
        if find_term(term.text, words, lang, domain=concept.domain) and (
                best is None or len(term.text) > len(best)):
            best = term.text
    return best


def _cluster_names(groups: _Groups, pairs: dict) -> None:
    """One rendering per word family: the shortest form stands for the forms that inflect it."""
    for (source, lang), found in pairs.items():
        reps: list[tuple[str, str]] = []  # (folded representative, shown text)
        for surface, where in sorted(found, key=lambda f: (len(base_form(f[0])), f[0])):
            base = base_form(surface)
            folded = fold(base, lang)
            words = text_words(base, lang)
            shown = next((text for rep, text in reps if rep == folded or (
                (hit := find_term(text, words, lang)) and hit[0] == (0, len(words)))), None)
            if shown is None:
                reps.append((folded, base))
                shown = base
            groups.add(source, lang, shown, where)


_cache: dict[tuple, list[dict]] = {}
_cache_lock = threading.Lock()


def _state(db: sqlite_utils.Database, lang: str | None) -> tuple:
    """Changes whenever an approved translation or the termbase does (the cache key)."""
    row = db.execute("SELECT COUNT(*), MAX(updated_at), SUM(version), SUM(id), "
                     "(SELECT COUNT(*) FROM segments), (SELECT SUM(id * (idx + 1)) FROM segments) "
                     "FROM translations WHERE status = 'approved'").fetchone()
    return (db_key(db), lang, store_terms.revision(db), *row)


def inconsistencies(db: sqlite_utils.Database, lang: str | None = None,
                    article_id: int | None = None) -> list[dict]:
    """Every inconsistency in the archive; with `article_id`, only those that involve it.
    The archive-wide result is kept until an approved translation or the termbase changes."""
    key = _state(db, lang)
    with _cache_lock:
        found = _cache.get(key)
    if found is None:
        found = _find(db, approved_rows(db, lang))
        with _cache_lock:
            _cache.clear()  # one archive state at a time is enough
            _cache[key] = found
    if article_id is not None:
        found = [i for i in found if any(s["article"] == article_id
                                         for r in i["renderings"] for s in r["segments"])]
    return found


def _find(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    concepts = {(c.glossary, c.id): c for c in store_terms.load_concepts(db)}
    findings = stored_term_findings(db, [r["id"] for r in rows])
    common = common_words({r["source"] for r in rows})
    sentences, terms, names = _Groups(), _Groups(), _Groups()
    name_pairs: dict[tuple, list] = defaultdict(list)
    term_of: dict[tuple, tuple[str, str]] = {}  # finding -> (English term, target term)
    for row in rows:
        where = _where(row)
        sentences.add(" ".join(row["source"].split()), row["lang"], " ".join(row["text"].split()), where)
        src_taken, tgt_taken = [], []
        for f in findings.get(row["id"], ()):
            src_taken.append((f["source_start"], f["source_start"] + len(f["source_text"])))
            if f["target_text"] is None:
                continue
            tgt_taken.append((f["target_start"], f["target_start"] + len(f["target_text"])))
            concept = concepts.get((f["glossary"], f["concept"]))
            if concept is None:
                continue
            cache_key = (f["glossary"], f["concept"], row["lang"], f["target_text"])
            if cache_key not in term_of:
                english = (concept.terms_in("en", "preferred") or concept.terms_in("en") or [None])[0]
                term_of[cache_key] = (english.text if english else f["source_text"],
                                      _concept_term(concept, row["lang"], f["target_text"]) or f["target_text"])
            terms.add(term_of[cache_key][0], row["lang"], term_of[cache_key][1], where)
        for src, tgt in align(row["source"], row["text"], row["lang"], src_taken, tgt_taken, common):
            name_pairs[(src.text, row["lang"])].append((tgt.text, where))
    _cluster_names(names, name_pairs)
    found = sentences.inconsistent() + terms.inconsistent() + names.inconsistent()
    return sorted(found, key=lambda i: (i["lang"], i["source"]))


def for_translation(db: sqlite_utils.Database, translation_id: int) -> list[dict]:
    """The inconsistencies one translation (approved or not) takes part in, for the editor: only
    the rows that share its sentence, a concept or a name are read, not the whole archive."""
    row = next(iter(db.query(
        "SELECT t.id, t.lang, t.text, s.text AS source, s.article_id, s.idx FROM translations t "
        "JOIN segments s ON s.id = t.segment_id WHERE t.id = ?", [translation_id])), None)
    if row is None or not row["text"]:
        return []
    sql = ("SELECT t.id, t.lang, t.text, s.text AS source, s.article_id, s.idx FROM translations t "
           "JOIN segments s ON s.id = t.segment_id WHERE t.status = 'approved' AND t.text != '' "
           "AND t.lang = ? AND t.id != ? AND ")
    wanted = ["s.text = ?"]
    params: list = [row["lang"], translation_id, row["source"]]
    for f in stored_term_findings(db, [translation_id]).get(translation_id, ()):
        wanted.append("t.id IN (SELECT translation_id FROM term_findings WHERE glossary = ? AND concept = ?)")
        params += [f["glossary"], f["concept"]]
    for name in source_names(row["source"]):
        wanted.append("instr(s.text, ?) > 0")
        params.append(name.text)
    others = list(db.query(sql + "(" + " OR ".join(wanted) + ") ORDER BY s.article_id, s.idx", params))
    where = _where(row)
    return [i for i in _find(db, [row] + others)
            if any(s == where for r in i["renderings"] for s in r["segments"])]
