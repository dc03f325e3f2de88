"""Bulk translation: pending segments of every article, per language, batched, resumable.

Each batch is translated and then written in one transaction, so an interrupted run keeps every
batch already written and no half-written segment; a re-run picks up what is still pending.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlite_utils

from . import store
from .mt.engine import Engine, Hypothesis, MissingModel, MTSettings, get_engine

# (source text, hypotheses, target language) -> (index of the chosen hypothesis, why, or None)
Chooser = Callable[[str, list[Hypothesis], str], tuple[int, str | None]]


def model_order(source: str, hypotheses: list[Hypothesis], lang: str) -> tuple[int, str | None]:
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
    """Every engine the run needs, or MissingModel naming the first missing pair: before any work."""
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
    """Translate what is pending into each language of `engines`; see the module docstring."""
    work = {lang: store.pending_segments(db, lang, article_ids, force) for lang in engines}
    on_start(sum(len(rows) for rows in work.values()))
    run = TranslationRun()
    try:
        for lang, engine in engines.items():
            rows = sorted(work[lang], key=lambda row: len(row["text"]))  # similar lengths batch well
            result = LanguageResult(lang, engine.origin, len(rows))
            run.results.append(result)
            started = time.perf_counter()
            for offset in range(0, len(rows), batch_size):
                batch = rows[offset:offset + batch_size]
                hypotheses = engine.translate([row["text"] for row in batch])
                drafts = [_draft(row, hyps, lang, engine.origin, choose) for row, hyps in zip(batch, hypotheses)]
                written = store.write_drafts(db, lang, drafts, force=force, user=user)
                result.translated += written
                result.kept_human += len(batch) - written
                result.seconds = time.perf_counter() - started
                on_progress(len(batch))
    except KeyboardInterrupt:
        run.interrupted = True
    return run


def _draft(row: dict, hypotheses: list[Hypothesis], lang: str, origin: str, choose: Chooser) -> store.Draft:
    if not hypotheses:
        hypotheses = [Hypothesis("", 0.0)]
    chosen, why = choose(row["text"], hypotheses, lang)
    alternatives = [{"text": h.text, "score": round(h.score, 4), "rank": i}
                    for i, h in enumerate(hypotheses)]
    return store.Draft(row["id"], hypotheses[chosen].text, origin, alternatives, why)
