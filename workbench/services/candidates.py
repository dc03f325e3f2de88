"""Term candidates: names and multi-word terms in the sources that no glossary holds.

A candidate is a capitalised sequence of the English source (terms/names.py: not a lone
sentence-initial capital, not a common word, acronyms included) left over once the glossary's
own terms are taken out, so "Col-Gen Zakir Hasanov" offers "Zakir Hasanov". Each comes with how
often it occurs and the renderings found in approved translations, paired by position with the
translation's capitalised sequences; forms of one word are one rendering (the shortest shown,
"Zakir Həsənov" for "Zakir Həsənovun" too), most frequent first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import sqlite_utils

from workbench.services import findings as stored
from workbench.data import candidates as stored_rows
from workbench.data.consistency import common_words, stored_term_findings
from workbench.core.langs import TARGET_LANGS
from workbench.core.terms.morphology import find_term, fold, text_words
from workbench.core.terms.names import align, base_form, source_names


def _taken(checker, text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in checker.matcher.find(text)]


def _masked(text: str, spans) -> str:
    for start, end in spans:
        text = text[:start] + "_" * (end - start) + text[end:]
    return text


def _families(forms: Counter, lang: str) -> list[str]:
    """Group inflected forms under the shortest one; most frequent family first."""
    families: dict[str, int] = {}
    for form in sorted(forms, key=lambda f: (len(f), f)):
        words = text_words(form, lang)
        home = next((rep for rep in families if fold(rep, lang) == fold(form, lang) or (
            (hit := find_term(rep, words, lang)) and hit[0] == (0, len(words)))), None)
        families[home or form] = families.get(home or form, 0) + forms[form]
    return sorted(families, key=lambda rep: (-families[rep], rep))


def candidates(db: sqlite_utils.Database, article_id: int | None = None, lang: str | None = None) -> list[dict]:
    checker = stored.checker(db)
    common = common_words(stored_rows.source_texts(db))
    counts: Counter = Counter()
    segments_of: dict[int, str] = {}
    for row in stored_rows.segments(db, article_id):
        names = source_names(_masked(row["text"], _taken(checker, row["text"])), common)
        for name in names:
            counts[name.text] += 1
        if names:
            segments_of[row["id"]] = row["text"]
    if not counts:
        return []
    forms: dict[tuple[str, str], Counter] = defaultdict(Counter)
    langs = [lang] if lang else list(TARGET_LANGS)
    ids = list(segments_of)
    rows = stored_rows.approved_translations(db, ids)
    term_findings = stored_term_findings(db, [r["id"] for r in rows])
    for row in rows:
        if row["lang"] not in langs:
            continue
        found = term_findings.get(row["id"], ())
        src_taken = [(f["source_start"], f["source_start"] + len(f["source_text"])) for f in found]
        src_taken += _taken(checker, segments_of[row["segment_id"]])
        tgt_taken = [(f["target_start"], f["target_start"] + len(f["target_text"]))
                     for f in found if f["target_text"] is not None]
        for src, tgt in align(segments_of[row["segment_id"]], row["text"], row["lang"], src_taken, tgt_taken,
                              common):
            if src.text in counts:
                forms[(src.text, row["lang"])][base_form(tgt.text)] += 1
    out = []
    for source, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append({"source": source, "count": count, "renderings": {
            target: _families(forms.get((source, target), Counter()), target) if target in langs else []
            for target in TARGET_LANGS}})
    return out


def suggested_id(source: str, domain: str) -> str:
    """A concept id for a candidate: "org.state_border_service"."""
    slug = re.sub(r"[^a-z0-9]+", "_", source.casefold()).strip("_") or "term"
    return f"{domain}.{slug}"


def guess_domain(source: str) -> str:
    """Shown to the admin, never applied unseen: acronyms and Ministry/Service/Agency... are orgs."""
    words = source.split()
    if len(words) == 1 and source.isupper():
        return "org"
    if any(w.casefold() in ORG_WORDS for w in words):
        return "org"
    return "other"


ORG_WORDS = {"ministry", "service", "agency", "committee", "council", "office", "army", "forces",
             "corps", "brigade", "division", "bank", "company", "union", "organisation",
             "organization", "party", "parliament", "assembly", "university", "institute", "news"}
