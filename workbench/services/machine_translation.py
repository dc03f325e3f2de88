"""Bulk translation: pending segments of every article, per language, batched, resumable.

Each batch is translated and then written in one transaction, so an interrupted run keeps every
batch already written and no half-written segment; a re-run picks up what is still pending.

Inline codes (core/codes.py) never reach the engine: it translates codes.plain(source), asked for
a word alignment when the chunk has codes and the engine can give one, and every hypothesis gets
the source's codes back through core/mt/codes_placement.py. A hypothesis whose codes were placed
by position is marked {"codes": "position"} in the alternatives, which the findings read (a QA
warning while the draft is unchecked). A TM match equal but for codes is renumbered
(codes.renumber), else its codes are placed the same way.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlite_utils

import json

from workbench.data import jobs, store, tm
from workbench.core import codes as inline
from workbench.core.errors import UserError
from workbench.core.langs import TARGET_LANGS
from workbench.core.mt.codes_placement import Placement, place
from workbench.services import events, runtime, translations
from workbench.services.actor import Actor, require_capability
from workbench.core.mt.engine import Engine, Hypothesis, MissingModel, MTSettings, get_engine

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
                source: str = "en", choices: dict[str, str] | None = None) -> dict[str, Engine]:
    """Every engine the run needs, or MissingModel naming every missing pair: before any work.

    `choices` maps a language to an engine name ([mt.engines] in workbench.toml)."""
    engines, missing = {}, []
    for lang in langs:
        try:
            engines[lang] = get_engine(models_dir, source, lang, settings, (choices or {}).get(lang))
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
                      batch_size: int | None = None, choose: Chooser = model_order,
                      on_start: Callable[[int], None] = lambda total: None,
                      on_progress: Callable[[int], None] = lambda done: None,
                      user: str | None = None) -> TranslationRun:
    """Translate what is pending into each language of `engines`; see the module docstring.

    Exact translation-memory matches are taken first (origin "tm"); a sentence repeated inside an
    article is translated once and the result propagated to its repetitions, with a note.
    `batch_size` (default: the engine's chunk size) is the number of sentences per written batch.
    """
    work = {lang: store.pending_segments(db, lang, article_ids, force) for lang in engines}
    on_start(sum(len(rows) for rows in work.values()))
    run = TranslationRun()
    try:
        for lang, engine in engines.items():
            result = LanguageResult(lang, engine.origin, len(work[lang]))
            run.results.append(result)
            started = time.perf_counter()
            from_tm, groups = _plan(db, work[lang], lang)
            size = batch_size or _settings(engine).chunk_size
            for offset in range(0, len(from_tm), size):
                _write(db, lang, from_tm[offset:offset + size], force, user, result, on_progress)
            _pipeline(db, engine, lang, groups, size, force, user, choose, result, on_progress)
            result.seconds = time.perf_counter() - started
    except KeyboardInterrupt:
        run.interrupted = True
    return run


def _settings(engine) -> MTSettings:
    return getattr(engine, "settings", None) or MTSettings()


def _pipeline(db, engine, lang, groups, size, force, user, choose, result, on_progress) -> None:
    """Keep the engine busy: sentences sorted by length across the whole pending set, a few
    chunks in flight on the engine's workers while the main thread writes the finished oldest one.

    Before a chunk is handed to the engine, its segments are asked again whether they are still
    pending: what people saved while the job ran is not machine-translated."""
    groups = by_length(engine, groups)
    depth = _settings(engine).inter_threads + 1
    in_flight: deque = deque()
    for offset in range(0, len(groups), size):
        chunk = _still_pending(db, lang, groups[offset:offset + size], force)
        skipped = sum(len(g) for g in groups[offset:offset + size]) - sum(len(g) for g in chunk)
        if skipped:
            result.kept_human += skipped
            on_progress(skipped)
        if not chunk:
            continue
        submit = getattr(engine, "submit", None)
        texts = [inline.plain(group[0]["text"]) for group in chunk]
        align = {"align": True} if wants_alignment(engine, chunk) else {}
        if submit is None:  # an engine that works synchronously: nothing runs while we write
            done = engine.translate(texts, **align)
            in_flight.append((chunk, lambda done=done: done))
        else:
            in_flight.append((chunk, submit(texts, **align)))
        if len(in_flight) >= (depth if submit else 1):
            _write_chunk(db, lang, *in_flight.popleft(), engine.origin, choose, force, user, result, on_progress)
    while in_flight:
        _write_chunk(db, lang, *in_flight.popleft(), engine.origin, choose, force, user, result, on_progress)


def wants_alignment(engine, chunk: list[list[dict]]) -> bool:
    """Ask the engine for word alignments when it gives them and a sentence of the chunk has codes."""
    return bool(getattr(engine, "aligns", False)) and any(inline.has_codes(g[0]["text"]) for g in chunk)


def by_length(engine, groups: list[list[dict]]) -> list[list[dict]]:
    """Groups sorted by their sentence's length in the engine's tokens (else characters): chunks
    of similar lengths waste no decoding steps on padding or on a long neighbour's bound."""
    measure = getattr(engine, "token_lengths", None)
    texts = [inline.plain(g[0]["text"]) for g in groups]
    lengths = measure(texts) if measure else [len(text) for text in texts]
    return [group for _, group in sorted(zip(lengths, groups), key=lambda pair: pair[0])]


def _still_pending(db, lang, chunk: list[list[dict]], force: bool) -> list[list[dict]]:
    ids = [row["id"] for group in chunk for row in group]
    pending = {row["id"] for row in store.pending_segments(db, lang, force=force, segment_ids=ids)}
    kept = [[row for row in group if row["id"] in pending] for group in chunk]
    return [group for group in kept if group]


def _write_chunk(db, lang, chunk, wait, origin, choose, force, user, result, on_progress) -> None:
    """Write a translated chunk in one transaction, except where the source changed meanwhile."""
    drafts = []
    for group, hyps in zip(chunk, wait()):
        first = group[0]
        hyps = hyps or [Hypothesis("", 0.0)]
        chosen, why = choose(inline.plain(first["text"]), hyps, lang)
        drafts.append(_draft(first, hyps, chosen, why, origin))
        for repeat in group[1:]:  # the same words; its codes may differ: placed for it
            drafts.append(_draft(repeat, hyps, chosen, (
                f"Repetition of segment {first['idx'] + 1}: translated once and propagated."), origin))
    sources = {row["id"]: row["text"] for group in chunk for row in group}
    _write(db, lang, drafts, force, user, result, on_progress, sources)


def _plan(db, rows: list[dict], lang: str):
    """Split pending rows into exact TM drafts and groups of one source sentence per article
    (its first occurrence, then its repetitions)."""
    from_tm, groups = [], {}
    for row in rows:  # article order: the first occurrence is the one translated
        unit = tm.exact(db, row["text"], lang)
        if unit:
            placed = tm_target(unit, row["text"])
            from_tm.append(store.Draft(row["id"], placed.text, "tm", [_alternative(placed, 100.0, 0)],
                                       "Exact match from the translation memory."))
            continue
        groups.setdefault((row["article_id"], tm.source_key(row["text"])), []).append(row)
    return from_tm, list(groups.values())


def _write(db, lang, drafts, force, user, result: LanguageResult, on_progress, sources=None) -> None:
    written = translations.write_drafts(db, lang, drafts, force=force, user=user, sources=sources)
    result.translated += written
    result.kept_human += len(drafts) - written
    on_progress(len(drafts))


def tm_target(unit: dict, source: str) -> Placement:
    """A memory unit's target for `source` (equal to the unit's source but for codes): its codes
    renumbered to the source's, else (the codes differ in number or kind) placed on its words."""
    target = unit["target"]
    if inline.has_codes(source) or inline.has_codes(unit["source"]) or inline.has_codes(target):
        moved = inline.renumber(target, unit["source"], source)
        if moved is None or inline.problems(source, moved):
            return place(source, inline.plain(target))
        target = moved
    return Placement(target, False)


def _alternative(placed: Placement, score: float, rank: int) -> dict:
    out = {"text": placed.text, "score": round(score, 4), "rank": rank}
    if placed.by_position:
        out["codes"] = "position"  # core/qa.py: check_code_placement
    return out


def _draft(row: dict, hypotheses: list[Hypothesis], chosen: int, why: str | None, origin: str) -> store.Draft:
    """The draft for `row` from the engine's n-best of its words: the source's codes placed in each."""
    placed = [place(row["text"], h.text, h.alignment) for h in hypotheses]
    alternatives = [_alternative(p, h.score, i) for i, (p, h) in enumerate(zip(placed, hypotheses))]
    return store.Draft(row["id"], placed[chosen].text, origin, alternatives, why)


def run_job(instance, db: sqlite_utils.Database, job_id: int, *, translate=None, worker: str | None = None,
            choose: Chooser | None = None) -> None:
    """Run one queued MT job: translate what is pending in its article, keep the job row's progress
    and status current, and send job.finished whatever happened. `translate` is translate_pending
    or the Redis coordinator (queue/distributed.py), which share their signature."""
    job = jobs.get_job(db, job_id)
    if job["status"] not in jobs.ACTIVE:  # given up as abandoned before a worker reached it
        return
    options = json.loads(job["options"] or "{}")
    force, batch_size = options.pop("force", False), options.pop("batch_size", None)
    try:
        engines = engines_for(instance.models_dir, job["langs"].split(","), instance.mt_settings(**options),
                              choices=instance.mt_engines())
        progress = {"done": 0}

        def on_progress(count):
            progress["done"] += count
            jobs.update_job(db, job_id, done=progress["done"])

        jobs.update_job(db, job_id, status="running", worker=worker)
        run = (translate or translate_pending)(
            db, engines, article_ids=[job["article_id"]] if job["article_id"] else None, force=force,
            # The drafts are the job's: history and conflicts name "MT job N", as for `workbench translate`.
            batch_size=batch_size, choose=choose, user=Actor.job(job_id, user=job["created_by"]).name,
            on_start=lambda total: jobs.update_job(db, job_id, total=total), on_progress=on_progress)
        summary = ", ".join(f"{r.lang}: {r.translated}" for r in run.results)
        jobs.update_job(db, job_id, status="done", message=f"Translated segments: {summary}")
    except Exception as err:  # the job row must say what happened; the worker keeps running
        jobs.update_job(db, job_id, status="failed", message=str(err))
        raise
    finally:
        job_finished(db, job_id)


def job_finished(db: sqlite_utils.Database, job_id: int) -> None:
    """The job.finished webhook event, recorded and handed to the queue."""
    job = jobs.get_job(db, job_id)
    events.record(db, "job.finished", {"job": job_id, "article": job["article_id"], "status": job["status"],
                                       "langs": job["langs"].split(","), "done": job["done"],
                                       "total": job["total"], "message": job["message"]})
    events.send_pending(db)


def start_job(instance, db: sqlite_utils.Database, article_id: int, langs: list[str], actor) -> tuple[dict, bool]:
    """Queue MT of the article's pending segments into `langs`, or give back the job that already
    runs for it: (job, created). One active job per article, through every door. A missing model is
    a MissingModel error before anything is queued."""
    require_capability(db, actor, "start_mt")
    store.get_article(db, article_id)
    langs = list(dict.fromkeys(langs))
    if jobs.active_job(db, article_id) is None:  # else the running job is the answer
        engines_for(instance.models_dir, langs, instance.mt_settings(), choices=instance.mt_engines())
    job, created = jobs.start_article_job(db, article_id, langs, actor.name)
    queue = runtime.queue()
    if created and queue is not None:
        queue.translate(str(instance.path), job["id"])
    return job, created


def installed_langs(instance) -> list[str]:
    """The target languages with an engine installed in the instance (a wrong [mt.engines] choice
    counts as none: the person who starts a job by hand is told why)."""
    langs = []
    for lang in TARGET_LANGS:
        try:
            engines_for(instance.models_dir, [lang], instance.mt_settings(), choices=instance.mt_engines())
        except (MissingModel, UserError):
            continue
        langs.append(lang)
    return langs


def draft_automatically(db: sqlite_utils.Database, article_id: int, actor) -> dict | None:
    """Machine drafts for what a new story (from the CMS) or a story version brought, without anyone
    asking: one job per article into every language with an installed model (the memory first, as
    every job). Returns the job, or None when the served instance has no model, or none is served
    (a script, a unit test). A job already active for the article is the answer (one job per
    article); it translates what was pending when it started, so segments a version adds while it
    runs wait for the next job (a known limit, in the closing note of this change)."""
    instance = runtime.instance()
    if instance is None or not actor.may("edit"):
        return None
    langs = installed_langs(instance)
    if not langs:
        return None
    job, _created = start_job(instance, db, article_id, langs, actor)
    return job
