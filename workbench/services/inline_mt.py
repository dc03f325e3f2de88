"""Machine translation run in the caller's process (`workbench translate` without --queue), under
the rules every MT start follows:

* the actor needs the "edit" right;
* one active job per article: an article whose job (started on the dashboard, through the API or
  by another `translate`) is queued or running is not translated beside it. The command refuses,
  naming the job, and translates nothing (it does not wait: a terminal blocked on a job that may
  run for an hour, or never start, helps nobody; run it again when `workbench jobs N` says done).
  A running job whose process on this machine is gone (a killed `translate`) is given up at once,
  as one silent past its lease is (data/jobs.py); this run's own jobs keep a heartbeat;
* every article translated gets a job row (shown in `workbench jobs` and on the dashboard while it
  runs), its drafts are credited to that job's actor, and its end sends `job.finished`.

Articles are translated one after another, each batched as machine_translation.translate_pending does.
"""

from __future__ import annotations

import json
from typing import Callable

import sqlite_utils

from workbench.core.errors import Forbidden, UserError
from workbench.data import jobs, store
from workbench.core.processes import is_gone, this_worker
from workbench.data.db import transaction
from workbench.services.actor import Actor
from workbench.services.machine_translation import (LanguageResult, TranslationRun, job_finished, model_order,
                                                    translate_pending)


class JobRunning(UserError):
    status = 409


def worker_name() -> str:
    """"cli host:pid": a command's run, which the server's recovery never resumes (only fails once
    its process is gone)."""
    return f"cli {this_worker()}"




def targets(db: sqlite_utils.Database, langs: list[str], article_ids: list[int] | None, force: bool) -> list[int]:
    """The articles a run covers: those named (each must exist), else every article with pending work."""
    if article_ids:
        for article_id in article_ids:
            store.get_article(db, article_id)  # a clear error for an unknown article
        return list(dict.fromkeys(article_ids))
    return sorted({row["article_id"] for lang in langs for row in store.pending_segments(db, lang, None, force)})


def refuse_beside_active_jobs(db: sqlite_utils.Database, article_ids: list[int]) -> None:
    """JobRunning naming the first of these articles' active jobs, if one has one."""
    for article_id in article_ids:
        job = jobs.active_job(db, article_id)
        if job is not None and not (job["status"] == "running" and is_gone(job["worker"])):
            raise JobRunning(
                f"article {article_id} has MT job {job['id']} {job['status']} (started by "
                f"{job['created_by'] or 'someone'}); nothing was translated. Wait until it ends "
                f"(`workbench jobs {job['id']}`), then run this command again.")


def start_jobs(db: sqlite_utils.Database, actor, article_ids: list[int], langs: list[str], options: dict) -> list[dict]:
    """A running job row per article, all or none: JobRunning when one of them has an active job."""
    if not actor.may("edit"):
        raise Forbidden(f"{actor.name} may not start machine translation (translators, reviewers and admins may)")
    started = []
    with transaction(db):
        for article_id in article_ids:
            active = jobs.active_job(db, article_id)
            if active is not None and active["status"] == "running" and is_gone(active["worker"]):
                jobs.update_job(db, active["id"], status="failed",
                                message=f"abandoned: its process ({active['worker']}) is gone")
            job, created = jobs.start_article_job(db, article_id, langs, actor.name)
            if not created:
                raise JobRunning(
                    f"article {article_id} has MT job {job['id']} {job['status']} (started by "
                    f"{job['created_by'] or 'someone'}); nothing was translated. Wait until it ends "
                    f"(`workbench jobs {job['id']}`), then run this command again.")
            jobs.update_job(db, job["id"], status="running", worker=worker_name(),
                            options=json.dumps({**options, "inline": True}))
            started.append(jobs.get_job(db, job["id"]))
    return started


def finish_job(db, job_id: int, **changes) -> None:
    """Set the job's end (status, message) and send job.finished once that is committed."""
    jobs.update_job(db, job_id, **changes)
    job_finished(db, job_id)


def translate_articles(db: sqlite_utils.Database, actor, engines: dict, *, article_ids: list[int] | None = None,
                       force: bool = False, batch_size: int | None = None, choose: Callable = model_order,
                       on_start: Callable[[int], None] = lambda total: None,
                       on_progress: Callable[[int], None] = lambda done: None,
                       options: dict | None = None) -> tuple[list[int], TranslationRun]:
    """Translate the named articles (default: every article with pending segments) under the job
    rules above; (job ids, the run summed over the articles)."""
    langs = list(engines)
    started = start_jobs(db, actor, targets(db, langs, article_ids, force), langs, {**(options or {}), "force": force, "batch_size": batch_size})
    totals = {job["article_id"]: sum(len(store.pending_segments(db, lang, [job["article_id"]], force))
                                     for lang in langs) for job in started}
    on_start(sum(totals.values()))
    merged = TranslationRun([LanguageResult(lang, engine.origin, 0) for lang, engine in engines.items()])
    by_lang = {r.lang: r for r in merged.results}
    engine_names = ", ".join(engine.origin for engine in engines.values())
    with jobs.keep_alive(db, [job["id"] for job in started]):
        _run_each(db, actor, engines, started, totals, merged, by_lang, engine_names, force, batch_size, choose,
                  on_progress)
    return [job["id"] for job in started], merged


def _run_each(db, actor, engines, started, totals, merged, by_lang, engine_names, force, batch_size, choose,
              on_progress) -> None:
    for position, job in enumerate(started):
        job_id = job["id"]
        if merged.interrupted:
            finish_job(db, job_id, status="failed", message="not started: the run was interrupted")
            continue
        jobs.update_job(db, job_id, total=totals[job["article_id"]])
        done = {"n": 0}

        def progress(count, job_id=job_id):
            done["n"] += count
            jobs.update_job(db, job_id, done=done["n"])
            on_progress(count)

        job_actor = Actor.job(job_id, engine_names, actor.name)
        try:
            run = translate_pending(db, engines, article_ids=[job["article_id"]], force=force,
                                    batch_size=batch_size, choose=choose, on_progress=progress,
                                    user=job_actor.name)
        except BaseException as err:
            finish_job(db, job_id, status="failed", message=str(err) or type(err).__name__)
            for later in started[position + 1:]:
                finish_job(db, later["id"], status="failed", message="not started: the run failed")
            raise
        for result in run.results:
            total = by_lang[result.lang]
            total.pending += result.pending
            total.translated += result.translated
            total.kept_human += result.kept_human
            total.seconds += result.seconds
        summary = ", ".join(f"{r.lang}: {r.translated}" for r in run.results)
        merged.interrupted = run.interrupted
        if run.interrupted:  # a job's status is queued, running, done or failed
            finish_job(db, job_id, status="failed", message=f"interrupted; finished batches are saved (translated "
                                                         f"segments: {summary}); run the command again to continue")
        else:
            finish_job(db, job_id, status="done", message=f"Translated segments: {summary}")
