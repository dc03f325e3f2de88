"""Bulk translation: pending segments of every article, per language, batched, resumable.

Each batch is translated and then written in one transaction, so an interrupted run keeps every
batch already written and no half-written segment; a re-run picks up what is still pending.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import sqlite_utils

from . import store, tm
from .mt.engine import Engine, Hypothesis, MissingModel, MTSettings, get_engine

# (source text, hypotheses, target language) -> (index of the chosen hypothesis, why, or None)
Chooser = Callable[[str, list[Hypothesis], str], tuple[int, str | None]]


def model_order(source: str, hypotheses: list[Hypothesis], lang: str) -> tuple[int, str | None]:
    """The model's own first choice."""
    return 0, None


@dataclass
class LanguageResult:
    lang: str
    origin: str
    pending: int
    translated: int = 0
    kept_human: int = 0
    seconds: float = 0.0


@dataclass
class TranslationRun:
    results: list[LanguageResult] = field(default_factory=list)
    interrupted: bool = False

    def to_json(self) -> dict:
        return {
            "languages": {r.lang: {"origin": r.origin, "pending": r.pending, "translated": r.translated,
                                   "kept_human_edits": r.kept_human, "seconds": round(r.seconds, 3)}
                          for r in self.results},
            "translated": sum(r.translated for r in self.results),
            "interrupted": self.interrupted,
        }


def engines_for(models_dir: Path, langs: list[str], settings: MTSettings,
                source: str = "en") -> dict[str, Engine]:
    """Every engine the run needs, or MissingModel naming every missing pair: before any work."""
    engines, missing = {}, []
    for lang in langs:
        try:
            engines[lang] = get_engine(models_dir, source, lang, settings)
        except MissingModel as err:
            missing.append(err)
    if missing:
        raise missing[0] if len(missing) == 1 else MissingModels(missing)
    return engines


class MissingModels(MissingModel):
    def __init__(self, errors: list[MissingModel]):
        Exception.__init__(self, "; ".join(str(e) for e in errors))
        self.errors = errors


def translate_pending(db: sqlite_utils.Database, engines: dict[str, Engine], *,
                      article_ids: list[int] | None = None, force: bool = False,
                      batch_size: int = 64, choose: Chooser = model_order,
                      on_start: Callable[[int], None] = lambda total: None,
                      on_progress: Callable[[int], None] = lambda done: None,
                      user: str | None = None) -> TranslationRun:
    """Translate what is pending into each language of `engines`; see the module docstring.

    Exact translation-memory matches are taken first (origin "tm"); a sentence repeated inside an
    article is translated once and the result propagated to its repetitions, with a note.
    """
    work = {lang: store.pending_segments(db, lang, article_ids, force) for lang in engines}
    on_start(sum(len(rows) for rows in work.values()))
    run = TranslationRun()
    try:
        for lang, engine in engines.items():
            result = LanguageResult(lang, engine.origin, len(work[lang]))
            run.results.append(result)
            started = time.perf_counter()
            from_tm, firsts, repeats = _plan(db, work[lang], lang)
            for offset in range(0, len(from_tm), batch_size):
                _write(db, lang, from_tm[offset:offset + batch_size], force, user, result, on_progress)
            rows = sorted(firsts, key=lambda row: len(row["text"]))  # similar lengths batch well
            for offset in range(0, len(rows), batch_size):
                batch = rows[offset:offset + batch_size]
                hypotheses = engine.translate([row["text"] for row in batch])
                drafts = []
                for row, hyps in zip(batch, hypotheses):
                    draft = _draft(row, hyps, lang, engine.origin, choose)
                    drafts.append(draft)
                    for repeat in repeats.get(row["id"], []):
                        drafts.append(replace(draft, segment_id=repeat["id"], choice_note=(
                            f"Repetition of segment {row['idx'] + 1}: translated once and propagated.")))
                _write(db, lang, drafts, force, user, result, on_progress)
            result.seconds = time.perf_counter() - started
    except KeyboardInterrupt:
        run.interrupted = True
    return run


def _plan(db, rows: list[dict], lang: str):
    """Split pending rows into exact TM drafts, first occurrences, and repetitions of those."""
    from_tm, firsts, repeats, seen = [], [], {}, {}
    for row in rows:  # article order: the first occurrence is the one translated
        unit = tm.exact(db, row["text"], lang)
        if unit:
            from_tm.append(store.Draft(row["id"], unit["target"], "tm",
                                       [{"text": unit["target"], "score": 100.0, "rank": 0}],
                                       "Exact match from the translation memory."))
            continue
        key = (row["article_id"], tm.source_key(row["text"]))
        if key in seen:
            repeats.setdefault(seen[key]["id"], []).append(row)
        else:
            seen[key] = row
            firsts.append(row)
    return from_tm, firsts, repeats


def _write(db, lang, drafts, force, user, result: LanguageResult, on_progress) -> None:
    written = store.write_drafts(db, lang, drafts, force=force, user=user)
    result.translated += written
    result.kept_human += len(drafts) - written
    on_progress(len(drafts))


def _draft(row: dict, hypotheses: list[Hypothesis], lang: str, origin: str, choose: Chooser) -> store.Draft:
    if not hypotheses:
        hypotheses = [Hypothesis("", 0.0)]
    chosen, why = choose(row["text"], hypotheses, lang)
    alternatives = [{"text": h.text, "score": round(h.score, 4), "rank": i}
                    for i, h in enumerate(hypotheses)]
    return store.Draft(row["id"], hypotheses[chosen].text, origin, alternatives, why)
