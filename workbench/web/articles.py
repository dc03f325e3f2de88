"""Dashboard: articles with progress per language, import, background MT, export downloads."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for

from workbench.services import exports, imports, interchange
from workbench.data import store
from workbench.data import jobs
from workbench.services import machine_translation
from workbench.services.actor import Actor
from workbench.core.errors import UserError
from workbench.core.formats.articles import UPLOAD_HINT, UPLOAD_TYPES, ArticleReadError, parse_article
from workbench.core.langs import TARGET_LANGS
from workbench.core.mt.engine import MissingModel, resolve_packages
from workbench.web.common import download, partial_or_page, required_upload
from workbench.services.imports import reading
from workbench.web.auth import require

bp = Blueprint("articles", __name__)


def _rows():
    return [{**a, "progress": {lang: store.progress(g.db, a["id"], lang) for lang in TARGET_LANGS},
             "job": jobs.active_job(g.db, a["id"])}
            for a in store.list_articles(g.db)]


LOOKS_LIKE_HTML = re.compile(r"</?(?:p|div|span|br|b|i|em|strong|a|h[1-6]|ul|ol|li|table|img)\b[^<>]*>", re.I)


def _with_models() -> set[str]:
    """The target languages that have an MT package (direct or through English)."""
    models_dir = current_app.config["INSTANCE"].models_dir
    available = set()
    for lang in TARGET_LANGS:
        try:
            resolve_packages(models_dir, "en", lang)
            available.add(lang)
        except MissingModel:
            pass
    return available


def _dashboard(error: str | None = None, status: int = 200):
    return partial_or_page("articles/_list.html", "articles/index.html", articles=_rows(),
                           langs=TARGET_LANGS, with_models=_with_models(), error=error), status


@bp.get("/")
def index():
    """The dashboard: every article and its progress in az, tr and ru."""
    return _dashboard()


@bp.post("/articles")
@require("edit")
def create():
    """Import an article from pasted text or an uploaded file; a big one becomes a job."""
    instance = current_app.config["INSTANCE"]
    upload = request.files.get("file")
    try:
        settings = imports.instance_settings(instance)
        if upload and upload.filename:
            name, fmt, title = upload.filename, None, None
            if not name.lower().endswith(UPLOAD_TYPES):
                raise ArticleReadError(f"{name}: not an article file; upload {UPLOAD_HINT}")
            data = upload.read()
        else:
            fmt = request.form.get("format", "txt")
            if fmt not in ("txt", "md", "html"):
                raise ArticleReadError(f"pasted text: unknown format {fmt!r}")
            name, data = f"pasted.{fmt}", request.form.get("text", "").encode("utf-8")
            title = request.form.get("title", "").strip() or None
        doc = None
        whole_page = request.form.get("whole_page") == "1"
        if not imports.too_big_to_read_here(data, name, settings):
            with reading(name, "an article"):
                doc = parse_article(data, name, fmt, limits=settings.docx, whole_page=whole_page)
    except UserError as err:
        return _dashboard(str(err), 400)
    if doc is None or doc.text.count("\n") > settings.background_paragraphs:
        job_id = imports.queue_import(instance, g.db, data, name, fmt, title, g.user["name"],
                                      whole_page=whole_page)
        return redirect(url_for("articles.import_status", job_id=job_id))
    if title:
        doc.title = title
    try:
        article_id, segments = imports.store_article(g.db, Actor.person(g.user), doc)
    except UserError as err:  # a refused text, title or an article without words: said on the dashboard
        return _dashboard(str(err), getattr(err, "status", 400))
    flash(f"Imported “{doc.title}”: {segments} segment{'' if segments == 1 else 's'}.")
    if fmt == "txt" and LOOKS_LIKE_HTML.search(doc.text):
        flash("Warning: the pasted text looks like HTML but was imported as plain text, tags and all; "
              "to import only its text, delete the article and paste it again with Format: HTML.")
    for warning in doc.warnings:
        flash(f"Warning: {warning}")
    return redirect(url_for("articles.index", _anchor=f"article-{article_id}"))


@bp.get("/imports/<int:job_id>")
def import_status(job_id: int):
    """A background import's progress; the component polls this until the article is in."""
    return partial_or_page("articles/_import_job.html", "articles/import_job.html",
                           job=jobs.get_job(g.db, job_id))


@bp.post("/articles/<int:article_id>/translate")
@require("edit")
def translate(article_id: int):
    """Queue machine translation of the article's pending segments; returns the job component."""
    store.get_article(g.db, article_id)
    langs = [lang for lang in request.form.getlist("lang") if lang in TARGET_LANGS]
    if not langs:
        raise UserError("tick at least one language to translate into")
    job, created = machine_translation.start_job(current_app.config["INSTANCE"], g.db, article_id, langs,
                                                 Actor.person(g.user))
    # not created: a job already runs for this article; it is shown instead of another
    return partial_or_page("articles/_job.html", "articles/job.html", job=jobs.get_job(g.db, job["id"]),
                           already=not created, progress_of=_progress_of(article_id))


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    """A job's progress, with its article's progress bars out of band; polled until the job ends."""
    job = jobs.get_job(g.db, job_id)
    return partial_or_page("articles/_job.html", "articles/job.html", job=job, already=False,
                           progress_of=_progress_of(job["article_id"]) if job["article_id"] else None)


def _progress_of(article_id: int) -> dict:
    return {"id": article_id, "progress": {lang: store.progress(g.db, article_id, lang) for lang in TARGET_LANGS}}


@bp.get("/articles/<int:article_id>/export")
def export(article_id: int):
    """Download the article in one language (txt, md, html, docx, xliff, xliff2)."""
    try:
        exported = exports.export(g.db, article_id, request.args.get("lang", "az"), request.args.get("format", "txt"))
    except exports.UnknownExport as err:
        abort(404, str(err))
    return download(exported.data, exported.media_type, exported.filename)


@bp.post("/articles/import-xliff")
@require("edit")
def import_xliff():
    """Bring back an XLIFF file edited in another CAT tool: changed targets only, one transaction;
    with "Skip invalid entries" the units that cannot be applied are listed instead of refusing it."""
    upload = required_upload("an .xlf file exported from this workbench")
    with reading(upload.filename, "XLIFF"):
        counts = interchange.import_xliff(g.db, upload.read(), upload.filename,
                                          Actor.importer(upload.filename, Actor.person(g.user)),
                                          skip_invalid=bool(request.form.get("skip_invalid")))
    flash(f"XLIFF {upload.filename}: {interchange.xliff_summary(counts)}.")
    return redirect(url_for("editor.page", article_id=counts["article"], lang=counts["lang"]))
