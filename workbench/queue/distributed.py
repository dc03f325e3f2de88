"""Stateless MT workers over Redis, and the coordinator that feeds them.

The coordinator (`translate --queue`, or a dashboard job in `workbench serve` with
WORKBENCH_REDIS_URL set) plans the pending segments as in-process translation does, and puts
chunks on the MT queue: each task carries the source texts, the engine's name, the model's
checksum and the decoding settings. `workbench worker --models DIR` needs only Redis and its
models: it translates and returns the hypotheses through huey's result store (with an expiry).
The texts go without inline codes; for a chunk with codes the worker also returns each
hypothesis' word alignment, and the coordinator places the codes (services/machine_translation.py).
Only the coordinator writes to SQLite, one transaction per chunk, and only for segments whose
source text is still the one the task was made from.

A worker marks a task as started and keeps a short-lived heartbeat key alive while it works: a
chunk whose worker stopped beating (killed, machine gone) is queued again. A worker whose model
differs from the coordinator's (checksum) refuses the task; the coordinator stops with that error.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from huey.exceptions import TaskException

from workbench.services import machine_translation as jobs
from workbench.data import store
from workbench.core import codes as inline
from workbench.core.errors import UserError
from workbench.core.mt.engine import ArgosEngine, FamilyEngine, Hypothesis, MTSettings, get_engine
from workbench.core.mt.families import _checksum
from workbench.core.mt.engine import engine_names

MT_QUEUE = "workbench-mt"
HEARTBEAT_SECONDS = 6  # a started task whose heartbeat key is older than this has lost its worker
RESULT_EXPIRY = 3600
SETTINGS_SENT = ("beam_size", "num_hypotheses", "chunk_size", "length_ratio", "length_margin", "compute_type")


class RemoteError(UserError):
    """A worker refused or failed a chunk; the message says why."""


def redis_url() -> str | None:
    return os.environ.get("WORKBENCH_REDIS_URL") or None


@functools.cache
def mt_queue(url: str):
    """The MT queue on `url` and its one task, registered the same way by coordinators and workers."""
    from huey import RedisExpireHuey

    huey = RedisExpireHuey(MT_QUEUE, url=url, expire_time=RESULT_EXPIRY)
    task = huey.task(context=True, name="translate_chunk")(_translate_chunk)
    return huey, task


# ---- worker side -------------------------------------------------------------------------------

_worker: dict = {}  # models folder and thread layout of this worker process


def configure_worker(models_dir: Path, threads: int = 1) -> None:
    _worker.update(models_dir=Path(models_dir).resolve(), threads=threads)


@functools.cache
def _folder_checksum(path: str, stamp: tuple) -> str:
    return _checksum(Path(path))


def model_checksum(engine) -> str:
    """The checksum that names a model's files: recorded at install for families, hashed for Argos."""
    if isinstance(engine, FamilyEngine):
        return engine.model.checksum
    if isinstance(engine, ArgosEngine):
        folder = engine.package.path
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                             for p in folder.rglob("*") if p.is_file()))
        return _folder_checksum(str(folder), stamp)
    raise UserError("pivot translation through English is not available on remote workers; "
                    "install a direct model for the pair")


def engine_name(engine) -> str:
    return engine.model.name if isinstance(engine, FamilyEngine) else engine.package.name


def _heartbeat(conn, task_id: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS / 3):
        conn.set(f"wb:alive:{task_id}", "1", ex=HEARTBEAT_SECONDS)


def _translate_chunk(spec: dict, texts: list[str], task=None) -> dict:
    """Run on a worker: the hypotheses of `texts`, or {"error": why}."""
    huey, _ = mt_queue(redis_url() or "")
    conn = huey.storage.conn
    task_id = task.id if task else "local"
    conn.set(f"wb:started:{task_id}", socket.gethostname(), ex=RESULT_EXPIRY)
    conn.set(f"wb:alive:{task_id}", "1", ex=HEARTBEAT_SECONDS)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(conn, task_id, stop), daemon=True)
    beat.start()
    try:
        threads = _worker.get("threads", 1)
        settings = MTSettings(**spec["settings"], inter_threads=1, intra_threads=threads)
        engine = get_engine(_worker["models_dir"], spec["source"], spec["target"], settings, spec["engine"])
        mine = model_checksum(engine)
        if mine != spec["checksum"]:
            return {"error": f"worker {socket.gethostname()}:{os.getpid()} has a different {spec['engine']} "
                             f"(checksum {mine[:12]}, the coordinator's is {spec['checksum'][:12]}); install "
                             "the same model files on every worker"}
        if spec.get("align"):  # [text, score, [[source word, target word], ...]]
            return {"hypotheses": [[[h.text, h.score, [list(p) for p in h.alignment or ()]] for h in hyps]
                                   for hyps in engine.translate(texts, align=True)]}
        return {"hypotheses": [[[h.text, h.score] for h in hyps] for hyps in engine.translate(texts)]}
    except UserError as err:
        return {"error": f"worker {socket.gethostname()}:{os.getpid()}: {err}"}
    finally:
        stop.set()
        conn.delete(f"wb:alive:{task_id}")


def preload(models_dir: Path, threads: int = 1) -> list[str]:
    """Load every installed model once (huey's start-up hook calls this in each worker)."""
    loaded = []
    for name, pairs in engine_names(models_dir).items():
        source, target = pairs[0].split("-")
        engine = get_engine(models_dir, source, target, MTSettings(inter_threads=1, intra_threads=threads), name)
        engine._load()
        model_checksum(engine)
        loaded.append(name)
    return loaded


# ---- coordinator side --------------------------------------------------------------------------

@dataclass
class _Chunk:
    groups: list[list[dict]]
    result: object = None
    task_id: str = ""
    sent: int = 0
    requeued: int = 0
    texts: list[str] = field(default_factory=list)
    spec: dict = field(default_factory=dict)


def _hypothesis(text: str, score: float, alignment=None) -> Hypothesis:
    """A worker's [text, score] or [text, score, word pairs] (asked to align: the chunk has codes)."""
    return Hypothesis(text, score, None if alignment is None else tuple((s, t) for s, t in alignment))


def coordinate(db, engines: dict, *, article_ids: list[int] | None = None, force: bool = False,
               batch_size: int | None = None, choose: jobs.Chooser = jobs.model_order,
               on_start: Callable[[int], None] = lambda total: None,
               on_progress: Callable[[int], None] = lambda done: None,
               user: str | None = None, url: str | None = None, window: int = 8,
               on_idle: Callable[[str], None] = lambda message: None,
               idle_after: float = 30.0) -> jobs.TranslationRun:
    """translate_pending()'s work done by remote workers; see the module docstring.

    `on_idle` hears once when no worker has started any chunk for `idle_after` seconds."""
    url = url or redis_url()
    if not url:
        raise UserError("set WORKBENCH_REDIS_URL to the Redis server the MT workers listen to")
    huey, task = mt_queue(url)
    conn = huey.storage.conn
    specs = {lang: _spec(engine, lang) for lang, engine in engines.items()}  # refuses pivots up front
    work = {lang: store.pending_segments(db, lang, article_ids, force) for lang in engines}
    on_start(sum(len(rows) for rows in work.values()))
    run = jobs.TranslationRun()
    quiet_since, warned = time.monotonic(), False
    try:
        for lang, engine in engines.items():
            result = jobs.LanguageResult(lang, engine.origin, len(work[lang]))
            run.results.append(result)
            started = time.perf_counter()
            from_tm, groups = jobs._plan(db, work[lang], lang)
            size = batch_size or engine.settings.chunk_size
            for offset in range(0, len(from_tm), size):
                jobs._write(db, lang, from_tm[offset:offset + size], force, user, result, on_progress)
            groups = jobs.by_length(engine, groups)
            waiting = deque(_Chunk(groups[i:i + size]) for i in range(0, len(groups), size))
            in_flight: list[_Chunk] = []
            while waiting or in_flight:
                while waiting and len(in_flight) < window:
                    chunk = waiting.popleft()
                    before = sum(len(g) for g in chunk.groups)
                    chunk.groups = jobs._still_pending(db, lang, chunk.groups, force)
                    skipped = before - sum(len(g) for g in chunk.groups)
                    if skipped:
                        result.kept_human += skipped
                        on_progress(skipped)
                    if chunk.groups:
                        chunk.texts = [inline.plain(group[0]["text"]) for group in chunk.groups]
                        chunk.spec = {**specs[lang], "align": jobs.wants_alignment(engine, chunk.groups)}
                        _send(task, chunk.spec, chunk)
                        in_flight.append(chunk)
                progressed = False
                for chunk in list(in_flight):
                    try:
                        value = chunk.result.get(preserve=False)
                    except TaskException as err:  # the worker crashed inside the task
                        raise RemoteError(f"a worker failed a chunk: {err.metadata.get('error')}") from None
                    if value is None:
                        if _lost(conn, chunk):
                            chunk.requeued += 1
                            _send(task, chunk.spec, chunk)
                        continue
                    if "error" in value:
                        raise RemoteError(value["error"])
                    in_flight.remove(chunk)
                    progressed = True
                    hypotheses = [[_hypothesis(*h) for h in hyps] for hyps in value["hypotheses"]]
                    jobs._write_chunk(db, lang, chunk.groups, lambda h=hypotheses: h, engine.origin, choose,
                                      force, user, result, on_progress)
                if progressed or any(conn.exists(f"wb:started:{c.task_id}") for c in in_flight[:1]):
                    quiet_since = time.monotonic()
                elif not warned and time.monotonic() - quiet_since > idle_after:
                    warned = True
                    on_idle(f"no MT worker has taken a chunk for {idle_after:.0f} s; start one with "
                            f"WORKBENCH_REDIS_URL={url} workbench worker --models DIR")
                if not progressed:
                    time.sleep(0.05)
            result.seconds = time.perf_counter() - started
    except KeyboardInterrupt:
        run.interrupted = True
    return run


def _spec(engine, lang: str) -> dict:
    checksum = model_checksum(engine)  # refuses a pivot engine
    source = engine.source if isinstance(engine, FamilyEngine) else engine.package.from_code
    return {"engine": engine_name(engine), "source": source, "target": lang, "checksum": checksum,
            "settings": {key: getattr(engine.settings, key) for key in SETTINGS_SENT}}


def _send(task, spec: dict, chunk: _Chunk) -> None:
    chunk.result = task(spec, chunk.texts)
    chunk.task_id = chunk.result.id
    chunk.sent = time.monotonic()


def _lost(conn, chunk: _Chunk) -> bool:
    """Started by a worker whose heartbeat has stopped: the worker is gone."""
    if time.monotonic() - chunk.sent < HEARTBEAT_SECONDS:
        return False
    started = conn.exists(f"wb:started:{chunk.task_id}")
    return bool(started) and not conn.exists(f"wb:alive:{chunk.task_id}") and chunk.result.get(preserve=True) is None
