"""Commands for articles: import, segment, translate, export."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import click

from workbench.data import reports, store
from workbench.services import articles, story_versions
from workbench.data.db import transaction
from workbench.core.errors import UserError
from workbench.core.formats.articles import read_article, segment_doc
from workbench.services.imports import instance_settings
from workbench.core.langs import TARGET_LANGS
from workbench.services import exports, inline_mt
from workbench.services.machine_translation import engines_for

from workbench.cli.actors import actor_for, user_option
from workbench.cli.common import echo_json, split_langs, with_instance
from workbench.data import jobs
from workbench.queue import distributed
from workbench.services.findings import glossary_chooser


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--update", "update_id", type=int, metavar="ARTICLE_ID",
              help="Store FILE as the next version of this article: unchanged sentences keep their "
                   "translations, changed ones are marked 'source changed'. The same text and title as "
                   "the current version store nothing.")
@click.option("--base-version", type=click.IntRange(1), metavar="N",
              help="With --update: only if the article is still at version N (else nothing is stored "
                   "and the command fails): the version the file was edited from.")
@click.option("--whole-page", is_flag=True,
              help="An HTML file that is a whole web page: import all its text (navigation, footer, "
                   "related links ...), not only the story.")
@user_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@with_instance
def import_command(instance, files: tuple[Path, ...], update_id: int | None, base_version: int | None,
                   whole_page: bool, user_name: str | None, as_json: bool):
    """Import articles (.txt, .md, .html, .docx) and split them into segments.

    All files are read first; if one cannot be read, nothing is imported. The articles and
    versions are credited to --user (default: the OS account).

    \b
    Example:
        workbench import article.txt --json
        workbench import article-v2.txt --update 1 --base-version 1 --json
    """
    limits = instance_settings(instance).docx
    docs = [read_article(path, limits, whole_page=whole_page) for path in files]
    db = instance.db()
    actor = actor_for(db, user_name)
    if base_version is not None and update_id is None:
        raise click.UsageError("--base-version goes with --update: the version the new file replaces")
    if update_id is not None:
        if len(docs) != 1:
            raise click.UsageError("--update takes exactly one file: the article's new version")
        result = story_versions.store_version(db, actor, update_id, docs[0], base_version=base_version)
        if as_json:
            echo_json({key: result[key] for key in ("article", "version", "kept", "changed", "added", "removed")})
        elif result["unchanged"]:
            click.echo(f"Article {result['article']} stays at version {result['version']}: "
                       f"{docs[0].filename} has the same text and title")
        else:
            click.echo(f"Article {result['article']} is now version {result['version']}: "
                       f"{result['kept']} kept, {result['changed']} changed, {result['added']} added, "
                       f"{result['removed']} removed")
        return
    results = []
    with transaction(db):  # all or nothing
        for doc in docs:
            created = articles.create_article(db, actor, doc)
            results.append({key: created[key] for key in ("article", "segments", "paragraphs")})
            if doc.warnings:  # only when text was left out: a clean import keeps the plain shape
                results[-1]["warnings"] = doc.warnings
    if as_json:
        echo_json(results[0] if len(results) == 1 else {"articles": results})
        return
    for r, doc in zip(results, docs):
        click.echo(f"Imported article {r['article']}: {doc.title!r} "
                   f"({r['segments']} segments in {r['paragraphs']} paragraphs)")
        for warning in doc.warnings:
            click.echo(f"Warning: {warning}", err=True)


@click.command("segment")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@with_instance
def segment_command(instance, file: Path, as_json: bool):
    """Split an article into sentence segments and print them; nothing is stored.

    Offsets index the article's text: text == source[start:end].

    \b
    Example:
        workbench segment article.txt --json
    """
    segmentation = segment_doc(read_article(file, instance_settings(instance).docx))
    if as_json:
        echo_json(segmentation.to_json())
        return
    for s in segmentation.segments:
        click.echo(f"{s.index + 1:>4} ¶{s.paragraph + 1:<3} {s.text}")


@click.command("translate")
@click.option("--to", "to_langs", default=",".join(TARGET_LANGS), show_default=True,
              help="Target languages, comma-separated.")
@click.option("--article", "article_ids", type=int, multiple=True,
              help="Only this article (repeat for several). Default: every article.")
@click.option("--force", is_flag=True, help="Redo machine drafts too (human edits are never touched).")
@click.option("--beam-size", type=click.IntRange(1, 16), help="Beam size (default 4, or [mt] in workbench.toml).")
@click.option("--hypotheses", type=click.IntRange(1, 16), help="Alternatives kept per segment (default 4).")
@click.option("--threads", type=click.IntRange(0, 64), help="CTranslate2 threads per translation (0: all cores).")
@click.option("--compute-type", help="CTranslate2 compute type: default, int8, int8_float32, float32 ...")
@click.option("--batch-size", type=click.IntRange(1, 1024),
              help="Segments translated and written per transaction (default: the chunk size, 32).")
@click.option("--queue", is_flag=True,
              help="Let stateless MT workers (`workbench worker --models DIR`, over WORKBENCH_REDIS_URL) "
                   "translate; this command plans, writes and waits until every chunk is written.")
@user_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary instead of a progress bar.")
@with_instance
def translate_command(instance, to_langs, article_ids, force, beam_size, hypotheses, threads,
                      compute_type, batch_size, queue, user_name, as_json):
    """Machine-translate every pending segment, article by article.

    Resumable: a re-run translates only what is still pending. Each batch is written in one
    transaction, so an interrupted run keeps what it finished. Like a job started on the
    dashboard: each article gets a job row (`workbench jobs`) and a job.finished event, its drafts
    are credited to that job, and an article whose MT job is still queued or running is not
    translated beside it: the command refuses, naming the job. --user names the account that
    starts it (default: the OS account).

    \b
    Example:
        workbench translate --to az,tr,ru --json
        workbench translate --article 3 --to az
        WORKBENCH_REDIS_URL=redis://queue:6379/0 workbench translate --queue
    """
    from tqdm import tqdm

    langs = split_langs(to_langs)
    overrides = {"beam_size": beam_size, "num_hypotheses": hypotheses, "intra_threads": threads,
                 "compute_type": compute_type}
    settings = instance.mt_settings(**overrides)
    engines = engines_for(instance.models_dir, langs, settings, choices=instance.mt_engines())  # fails before any work
    db = instance.db()
    actor = actor_for(db, user_name)
    for article_id in article_ids:
        store.get_article(db, article_id)
    bars = []  # made once the total is known: done/total, rate and ETA on a terminal only

    def on_start(total):
        bars.append(tqdm(total=total, unit="seg", desc="Translating", file=sys.stderr,
                         disable=True if as_json else None, dynamic_ncols=True))

    if queue:
        run = _coordinate(instance, db, actor, engines, langs, list(article_ids) or None, force, batch_size,
                          {k: v for k, v in overrides.items() if v is not None}, on_start, bars)
    else:
        _, run = inline_mt.translate_articles(
            db, actor, engines, article_ids=list(article_ids) or None, force=force, batch_size=batch_size,
            choose=glossary_chooser(db), on_start=on_start, on_progress=lambda n: bars[0].update(n),
            options={k: v for k, v in overrides.items() if v is not None})
    if bars:
        bars[0].close()
    if as_json:
        echo_json(run.to_json())
    else:
        for r in run.results:
            click.echo(f"{r.lang}: {r.translated} of {r.pending} pending segments translated "
                       f"({r.origin}, {r.seconds:.1f} s)"
                       + (f"; {r.kept_human} kept as edited by people" if r.kept_human else ""))
    if run.interrupted:
        click.echo("Interrupted: finished batches are saved; run the same command to continue.", err=True)
        sys.exit(130)


def _coordinate(instance, db, actor, engines, langs, article_ids, force, batch_size, options, on_start, bars):
    """Be the coordinator of a job done by stateless MT workers (workbench/queue/distributed.py), shown
    in `workbench jobs` and on the dashboard like any job."""
    if not distributed.redis_url():
        raise click.ClickException("--queue needs WORKBENCH_REDIS_URL: the Redis server that "
                                   "`workbench worker --models DIR` processes listen to")
    if not actor.may("edit"):
        raise click.ClickException(f"{actor.name} may not start machine translation")
    # Not beside an article's running job (the coordinator's own job covers several articles, so a
    # job started on the dashboard meanwhile is not refused: see CHANGELOG).
    inline_mt.refuse_beside_active_jobs(db, inline_mt.targets(db, langs, article_ids, force))
    job_id = jobs.create_job(db, None, langs, user=actor.name, options={**options, "force": force})
    jobs.update_job(db, job_id, status="running", worker=f"coordinator {socket.gethostname()}:{os.getpid()}")
    done = {"n": 0}

    def on_progress(count):
        done["n"] += count
        bars[0].update(count)
        jobs.update_job(db, job_id, done=done["n"])

    def started(total):
        on_start(total)
        jobs.update_job(db, job_id, total=total)

    try:
        run = distributed.coordinate(db, engines, article_ids=article_ids, force=force, batch_size=batch_size,
                                     choose=glossary_chooser(db), on_start=started, on_progress=on_progress,
                                     user=actor.name, on_idle=lambda message: click.echo(message, err=True))
    except UserError as err:
        inline_mt.finish_job(db, job_id, status="failed", message=str(err))
        raise
    summary = ", ".join(f"{r.lang}: {r.translated}" for r in run.results)
    if run.interrupted:  # a job's status is queued, running, done or failed
        inline_mt.finish_job(db, job_id, status="failed", message=f"interrupted; translated segments: {summary}")
    else:
        inline_mt.finish_job(db, job_id, status="done", message=f"Translated segments: {summary}")
    return run


@click.command("jobs")
@click.argument("job_ids", nargs=-1, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the jobs as JSON.")
@with_instance
def jobs_command(instance, job_ids: tuple[int, ...], as_json: bool):
    """Show background MT jobs (the latest 100, or the ones named).

    \b
    Example:
        workbench jobs 4 5 --json
    """
    rows = jobs.list_jobs(instance.db(), list(job_ids))
    if as_json:
        echo_json({"jobs": rows})
        return
    for job in rows:
        click.echo(f"{job['id']:>5} {job['status']:<8} article {job['article_id']} [{job['langs']}] "
                   f"{job['done']}/{job['total']} {job['message'] or ''}")


@click.command("export")
@click.argument("article_id", type=int)
@click.option("--lang", required=True, type=click.Choice(TARGET_LANGS), help="Target language, e.g. az.")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="txt",
              show_default=True, help="txt, md, html, or xliff (XLIFF 1.2) / xliff2 (XLIFF 2.0) for CAT tools.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--require-approved", is_flag=True,
              help="Refuse (exit 1, nothing written) unless every segment is approved.")
@with_instance
def export_command(instance, article_id: int, lang: str, fmt: str, output: Path | None,
                   require_approved: bool):
    """Export an article in one language; untranslated segments keep the source text.

    Without --require-approved an export of unapproved work still happens, with a warning on
    standard error.

    \b
    Example:
        workbench export 1 --lang az --format html -o article-az.html
        workbench export 1 --lang az --format txt --require-approved -o article-az.txt
        workbench export 1 --lang az --format xliff -o article-az.xlf
    """
    db = instance.db()
    store.get_article(db, article_id)
    gap = reports.unapproved(store.progress(db, article_id, lang))
    if gap and require_approved:
        raise click.ClickException(f"article {article_id} in {lang}: {gap}. Approve them in the editor, "
                                   "or export without --require-approved.")
    if gap and fmt not in ("xliff", "xliff2"):
        click.echo(f"Warning: article {article_id} in {lang}: {gap}.", err=True)
    exported = exports.export(db, article_id, lang, fmt)
    if output is None:
        if fmt == "docx":
            raise click.ClickException("a .docx is a binary file: name one with -o FILE.docx")
        click.echo(exported.text, nl=False)
    else:
        output.write_bytes(exported.data)
        click.echo(f"Wrote {output}", err=True)
