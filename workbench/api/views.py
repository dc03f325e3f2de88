"""The /api/v1 endpoints: articles (by id or the CMS's external id), MT jobs, translations, checks."""

from __future__ import annotations

import re

from flask import Response, current_app, g, render_template, request, url_for
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from workbench.services import articles, story_versions as article_versions, findings, imports
from workbench.services import glossary as glossary_service, interchange
from workbench.core.problems import ImportRefused
from workbench.core import chips, codes, hygiene, qa
from workbench.data import reports, store, termbase as store_terms
from workbench.data import jobs
from workbench.services import exports, machine_translation
from workbench.core.errors import Forbidden, UserError
from workbench.core.formats.articles import UPLOAD_HINT, UPLOAD_TYPES, parse_article
from workbench.core.formats.export import MEDIA_TYPES
from workbench.core.langs import TARGET_LANGS
from workbench.core.mt.engine import MissingModel
from workbench.data.store import STATUS_LABELS
from workbench.services.imports import reading
from workbench.services import translations
from workbench.services.actor import Actor
from workbench.api.common import problem_responses, authenticate, problem, register_errors, require_right
from workbench.api.schemas import (ArticleCreated, ArticleIn, ArticleOut, ArticleUpdated, ArticleUpload, CheckIn, CheckOut, JobCreated, JobOut, Problem, SegmentIn, SegmentOut, TranslateIn, TranslationOut, TranslationQuery, TMXUpload, TMXImported, GlossaryUpload, GlossaryImported)

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="Articles, machine translation jobs, translations and checks for the CMS.")
bp.before_request(authenticate)
register_errors(bp)
ARTICLE_BODY = {"required": True, "content": {"application/json": {"schema": ArticleIn},
                                              "multipart/form-data": {"schema": ArticleUpload}}}


# OpenAPI links: how a client (and Schemathesis's stateful phase) follows one answer to the next call.
# Every path parameter of the target is named, so no link needs a value from elsewhere.
def _link(operation_id: str, description: str, **parameters: str) -> dict:
    return {"operationId": operation_id, "description": description, "parameters": parameters}


ARTICLE = "$response.body#/article"
ARTICLE_LINKS = {
    "GetArticle": _link("get_article", "The article just stored", article_id=ARTICLE),
    "GetTranslation": _link("get_translation", "Its Azerbaijani translation, segment by segment",
                            article_id=ARTICLE, lang="az", format="json"),
    "Translate": _link("translate", "Start machine translation of it", article_id=ARTICLE),
}
FIRST_SEGMENT = "$response.body#/segments/0/index"  # no link when the article has no segment
TRANSLATION_LINKS = {
    "GetFirstSegment": _link("get_segment", "The first segment of this translation, with the version to save on",
                             article_id=ARTICLE, lang="$response.body#/lang", index=FIRST_SEGMENT),
    "PutFirstSegment": _link("put_segment", "Save the first segment of this translation",
                             article_id=ARTICLE, lang="$response.body#/lang", index=FIRST_SEGMENT),
}
SEGMENT_LINKS = {
    "PutSegment": _link("put_segment", "Save this segment, based on the version read",
                        article_id="$request.path.article_id", lang="$request.path.lang",
                        index="$response.body#/index"),
    "Translate": _link("translate", "Machine-translate the article's other pending segments",
                       article_id="$request.path.article_id"),
}
JOB_LINKS = {"GetJob": _link("get_job", "The job's progress", job_id="$response.body#/job")}


def _links(status: int, links: dict) -> dict:
    return {"responses": {status: {"links": links}}}  # an int, as flask-smorest's own keys: merged


_errors = problem_responses(bp, Problem)  # @_errors(400, 404, ...): documented problem+json answers


def _too_big(name: str, reason: str) -> None:
    abort(413, message=f"{name}: {reason}; the API reads no more in a request (settings under [import] in "
                       "the instance's workbench.toml). Split the article, raise the setting, or upload it in "
                       "the browser, where a big article is imported by a background job.")


def _parse_within_budget(data: bytes, name: str, fmt: str | None, whole_page: bool = False):
    """Parse as the web import does (the instance's [import] limits, any parser failure a 422), but
    refuse with 413 what the browser would hand to a background job: the API answers in the request."""
    settings = imports.instance_settings(current_app.config["INSTANCE"])
    reason = imports.over_budget(data, name, settings)
    if reason:
        _too_big(name, reason)
    with reading(name, "an article"):
        doc = parse_article(data, name, fmt, limits=settings.docx, whole_page=whole_page)
    paragraphs = len(doc.text.splitlines())
    if paragraphs > settings.background_paragraphs:
        _too_big(name, f"{paragraphs:,} paragraphs, above [import] background_paragraphs "
                       f"({settings.background_paragraphs:,})")
    return doc


def _read_article_body(with_base_version: bool = False):
    """(ParsedArticle, external_id) from a JSON body or a multipart upload; with `with_base_version`,
    (ParsedArticle, external_id, base_version or None)."""
    if request.mimetype == "multipart/form-data":
        fields = _form_fields(ArticleUpload)
        upload = fields["file"]
        if isinstance(upload, str):  # the text as a plain form field: plain text
            doc = _parse_within_budget(upload.encode("utf-8"), "upload.txt", "txt")
        elif not getattr(upload, "filename", "") or not upload.filename.lower().endswith(UPLOAD_TYPES):
            abort(422, message=f"upload the article as `file`: a {UPLOAD_HINT} file")
        else:
            doc = _parse_within_budget(upload.read(), upload.filename, None, fields["whole_page"])
    else:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            abort(400, message="send a JSON object {\"title\", \"text\", \"format\", \"external_id\"} "
                               "with Content-Type: application/json, or a multipart file")
        try:
            fields = ArticleIn().load(body)
        except ValidationError as err:
            abort(422, messages={"json": err.messages})
        doc = _parse_within_budget(_utf8(fields["text"]), f"api.{fields['format']}", fields["format"],
                                   fields["whole_page"])
    if fields.get("title"):
        doc.title = fields["title"].strip()
    if with_base_version:
        return doc, fields.get("external_id"), fields.get("base_version")
    return doc, fields.get("external_id")


def _utf8(text: str) -> bytes:
    """The JSON text as the readers take it; a lone surrogate ("\\ud800") is refused naming the field."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        hygiene.clean(text, "text")
        raise


def _create(doc, external_id):
    result = articles.create_article(g.db, Actor.token(g.user), doc, external_id=external_id)
    return {**{key: result[key] for key in ("article", "version", "segments")}, "job": result.get("job"),
            **_import_notes(doc)}


def _import_notes(doc) -> dict:
    """What the import says about the file: its warnings and the language found and declared."""
    return {"warnings": doc.warnings,
            "source_language": doc.source_language.to_json() if doc.source_language else None}


@bp.route("/articles", methods=["POST"])
@bp.doc(requestBody=ARTICLE_BODY, summary="Create an article", operationId="create_article",
        **_links(201, ARTICLE_LINKS))
@bp.response(201, ArticleCreated)
@_errors(400, 401, 403, 409, 413, 422, 429)
def create_article():
    """Create an article from JSON or a multipart file; 409 when the external_id exists; 413 when it
    is over the instance's [import] background_bytes, background_tags or background_paragraphs."""
    require_right("edit")
    try:
        doc, external_id = _read_article_body()
    except UserError as err:
        abort(422, message=str(err))
    try:
        return _create(doc, external_id)
    except articles.ExternalIdTaken as err:
        abort(409, message=str(err))


@bp.route("/articles/by-external-id/<external_id>", methods=["PUT"])
@bp.doc(requestBody=ARTICLE_BODY, summary="Create or update an article by the CMS's id",
        operationId="put_by_external_id",
        responses={200: {"links": ARTICLE_LINKS}, 201: {"links": ARTICLE_LINKS}})
@bp.response(200, ArticleUpdated, description="A new version (or none, when the text did not change)")
@bp.alt_response(201, schema=ArticleCreated, description="Created")
@_errors(400, 401, 403, 409, 413, 422, 429)
def put_by_external_id(external_id: str):
    """The idempotent call a CMS makes on every save: create, or store a new version if the text changed
    (413 as for POST /articles). Without `base_version` the save needs no version (the CMS holds the
    text); with it, a save based on another version than the article's newest is refused with 409."""
    require_right("edit")
    try:
        doc, _, base_version = _read_article_body(with_base_version=True)
    except UserError as err:
        abort(422, message=str(err))
    try:
        result = articles.put_by_external_id(g.db, Actor.token(g.user), external_id, doc,
                                             base_version=base_version)
    except (article_versions.StaleVersion, articles.NoSuchVersion) as err:
        abort(409, message=str(err))
    if result["created"]:
        return {**{key: result[key] for key in ("article", "version", "segments")}, "job": result.get("job"),
                **_import_notes(doc)}, 201
    return {**{key: result[key] for key in ("article", "version", "segments", "kept", "changed", "added", "removed")},
            "job": result.get("job"), **_import_notes(doc)}


@bp.route("/articles/<int:article_id>", methods=["GET"])
@bp.doc(operationId="get_article")
@bp.response(200, ArticleOut)
@_errors(401, 404, 429)
def get_article(article_id: int):
    """Title, version and per-language segment counts by status."""
    article = store.get_article(g.db, article_id)
    languages = {}
    for lang in TARGET_LANGS:
        counts = store.progress(g.db, article_id, lang)
        languages[lang] = {**{STATUS_LABELS[s]: counts[s] for s in store.STATUSES}, "total": counts["total"]}
    return {"article": article_id, "title": article["title"], "external_id": article.get("external_id"),
            "version": article["version"], "segments": languages[TARGET_LANGS[0]]["total"],
            "languages": languages}


@bp.route("/articles/<int:article_id>/translate", methods=["POST"])
@bp.doc(operationId="translate", **_links(202, JOB_LINKS))
@bp.arguments(TranslateIn)
@bp.response(202, JobCreated)
@_errors(400, 401, 403, 404, 409, 413, 422, 429)
def translate(body: dict, article_id: int):
    """Queue machine translation of the article's pending segments into these languages."""
    require_right("edit")
    try:
        job, _created = machine_translation.start_job(current_app.config["INSTANCE"], g.db, article_id,
                                                      body["langs"], Actor.token(g.user))
    except MissingModel as err:  # say which pair is missing and how to install it
        abort(409, message=str(err))
    return {"job": job["id"]}


@bp.route("/jobs/<int:job_id>", methods=["GET"])
@bp.doc(operationId="get_job")
@bp.response(200, JobOut)
@_errors(401, 404, 429)
def get_job(job_id: int):
    """A job's status and progress."""
    job = jobs.get_job(g.db, job_id)
    return {"job": job["id"], "article": job["article_id"], "langs": job["langs"].split(","),
            "status": job["status"], "done": job["done"], "total": job["total"], "message": job["message"]}


def _findings(term_rows: list[dict], qa_rows: list[dict]) -> list[dict]:
    out = [{"kind": "qa", "severity": row["severity"], "check": row["check"], "message": row["message"]}
           for row in qa_rows]
    for row in term_rows:
        if row["status"] == "ok":
            continue
        out.append({"kind": "term", "severity": "error" if row["status"] == "forbidden" else "warning",
                    "concept": row["concept"], "status": row["status"], "source": row["source_text"],
                    "target": row["target_text"], "message": reports.term_message(row)})
    return out


def _check_lang(lang: str) -> None:
    if lang not in TARGET_LANGS:
        abort(404, message=f"no translations into {lang!r}; this workbench translates into {', '.join(TARGET_LANGS)}")


@bp.route("/articles/<int:article_id>/translations/<lang>", methods=["GET"])
@bp.doc(operationId="get_translation", responses={200: {"links": TRANSLATION_LINKS, "content": {
    MEDIA_TYPES[fmt]: {"schema": {"type": "string", "description": f"?format={fmt}: the translated article as {name}"}
                       | ({"contentMediaType": MEDIA_TYPES[fmt]} if fmt == "docx" else {})}
    for fmt, name in (("txt", "plain text"), ("md", "Markdown"), ("html", "HTML"),
                      ("docx", "a Word document (the original .docx with the translation in place)"))}}})
@bp.arguments(TranslationQuery, location="query")
@bp.response(200, TranslationOut, description="JSON; txt, md and html return the article text itself "
                                              "(text/plain, text/markdown, text/html), docx a Word file")
@_errors(401, 404, 422, 429)
def get_translation(query: dict, article_id: int, lang: str):
    """The article in one language, as segments (json, each with its `version`) or as a document
    (txt, md, html, docx)."""
    _check_lang(lang)
    article = store.get_article(g.db, article_id)
    segments = store.segments(g.db, article_id)
    translations = store.article_translations(g.db, article_id, lang)
    if query["format"] != "json":
        exported = exports.export(g.db, article_id, lang, query["format"])
        return Response(exported.data, mimetype=exported.media_type)
    ids = [t["id"] for t in translations.values()]
    terms, qas = store_terms.findings_for(g.db, ids), store.qa_findings(g.db, ids)
    marks = store.paragraph_codes(g.db, article_id)
    rows = [_segment_out(segment, translations.get(segment["id"]), terms, qas, marks.get(segment["paragraph_idx"]))
            for segment in segments]
    return {"article": article_id, "lang": lang, "version": article["version"], "segments": rows}


def _segment_out(segment: dict, t: dict | None, terms: dict, qas: dict, marks: dict | None = None) -> dict:
    return {"index": segment["idx"] + 1, "source": segment["text"],
            "codes": chips.code_list(segment["text"], marks),
            "target": t["text"] if t and t["status"] != "untranslated" else "",
            "status": STATUS_LABELS[t["status"] if t else "untranslated"],
            "version": t["version"] if t else 0,
            "findings": _findings(terms.get(t["id"], []), qas.get(t["id"], [])) if t else []}


def _one_segment(segment: dict, lang: str) -> tuple[dict, dict]:
    """One segment as stored now, and its ETag header."""
    t = store.get_translation(g.db, segment["id"], lang)
    ids = [t["id"]] if t else []
    marks = store.paragraph_codes(g.db, segment["article_id"], [segment["paragraph_idx"]]) \
        if codes.has_codes(segment["text"]) else {}
    body = _segment_out(segment, t, store_terms.findings_for(g.db, ids), store.qa_findings(g.db, ids),
                        marks.get(segment["paragraph_idx"]))
    return body, {"ETag": etag(body["version"])}


def etag(version: int) -> str:
    return f'"v{version}"'


def _if_match() -> int | None:
    """The version an If-Match header names (an ETag this API gave), else None."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not re.fullmatch(r"v[0-9]{1,18}", tag):
        abort(412, message=f"If-Match {header[:40]!r} is not an ETag this API gave; read the segment "
                           "again and send its ETag (or \"base_version\" in the body)")
    return int(tag[1:])


def _segment(article_id: int, lang: str, index: int) -> dict:
    _check_lang(lang)
    store.get_article(g.db, article_id)
    return store.segment_by_number(g.db, article_id, index)


@bp.route("/articles/<int:article_id>/translations/<lang>/segments/<int:index>", methods=["GET"])
@bp.doc(operationId="get_segment", **_links(200, SEGMENT_LINKS))
@bp.response(200, SegmentOut, headers={"ETag": {"description": "The segment's version, for If-Match",
                                                "schema": {"type": "string"}}})
@_errors(401, 404, 429)
def get_segment(article_id: int, lang: str, index: int):
    """One segment's translation, with its `version` (also as the ETag) to base a save on."""
    body, headers = _one_segment(_segment(article_id, lang, index), lang)
    return body, 200, headers


@bp.route("/articles/<int:article_id>/translations/<lang>/segments/<int:index>", methods=["PUT"])
@bp.doc(operationId="put_segment", **_links(200, SEGMENT_LINKS))
@bp.arguments(SegmentIn)
@bp.response(200, SegmentOut, headers={"ETag": {"description": "The version this save stored",
                                                "schema": {"type": "string"}}})
@_errors(400, 401, 403, 404, 409, 412, 413, 422, 428, 429)
def put_segment(body: dict, article_id: int, lang: str, index: int):
    """Save (status "edited") or approve (reviewers) one segment's translation.

    Send the `version` you read as `base_version` (or its ETag as `If-Match`): any change since, an
    approval included, is a 409 naming who made it. An empty target stores the segment as
    untranslated; the same text again changes nothing (an approved segment stays approved)."""
    approve = body["status"] == "approved"
    require_right("approve" if approve else "edit")
    segment = _segment(article_id, lang, index)
    base_version = body.get("base_version")
    if base_version is None:
        base_version = _if_match()
    if base_version is None and "base_target" in body:
        # Old clients: the text they read. It cannot see an approval of the same text; send base_version.
        current = store.get_translation(g.db, segment["id"], lang)
        text_now = current["text"] if current and current["status"] != "untranslated" else ""
        if body["base_target"] != text_now:
            return _conflict(index, current)
        base_version = current["version"] if current else 0
    if base_version is None:
        abort(428, message="send the segment's version you read as \"base_version\" (or its ETag as "
                           "If-Match): GET the segment first")
    try:
        saved = translations.save(g.db, Actor.token(g.user), segment["id"], lang, body["target"],
                                  base_version=base_version, approve=approve, reason=body.get("reason"))
    except store.VersionConflict as conflict:
        return _conflict(index, conflict.current)
    except translations.NeedsReason as refused:
        abort(422, message=f"segment {index} has errors: {' '.join(refused.errors)} Fix them, or send a "
                           "\"reason\" to approve it anyway.")
    body, headers = _one_segment(saved.segment, lang)
    return body, 200, headers


def _conflict(index: int, current: dict | None):
    """409: the segment changed since the client read it; who changed it, and what it is now."""
    current = current or {"version": 0, "text": "", "status": "untranslated", "updated_by": None}
    text_now = current["text"] if current.get("status") != "untranslated" else ""
    status = STATUS_LABELS.get(current.get("status") or "untranslated", current.get("status"))
    return problem(409, "Conflict", f"segment {index} changed since you read it: "
                   f"{current.get('updated_by') or 'someone'} made version {current['version']} ({status}): "
                   f"{text_now!r}; read it again and redo the edit on the current text",
                   {"ETag": etag(current["version"])}, current_version=current["version"],
                   changed_by=current.get("updated_by"), current_status=status, current_target=text_now)


def _form_fields(schema) -> dict:
    """The multipart form's fields with its file part, loaded by `schema` (422 naming a wrong field)."""
    form = request.form.to_dict()
    if "file" in request.files:
        form["file"] = request.files["file"]
    try:
        return schema().load(form)
    except ValidationError as err:
        abort(422, messages={"form": err.messages})


def _upload(schema):
    """The multipart form's fields, loaded by `schema` (422 naming a wrong field), with the file part."""
    if request.mimetype != "multipart/form-data":
        abort(400, message="send the file as multipart/form-data with a `file` part")
    fields = _form_fields(schema)
    if not getattr(fields["file"], "filename", ""):
        abort(422, message="upload the file as a file part named `file` (with its file name)")
    return fields


def _refused(err: ImportRefused):
    return problem(422, "Unprocessable Entity", str(err), problems=err.problems)


@bp.route("/memory/import", methods=["POST"])
@bp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": TMXUpload}}},
        summary="Import a TMX file into the translation memory", operationId="import_tmx")
@bp.response(200, TMXImported)
@_errors(400, 401, 403, 413, 422, 429)
def import_tmx():
    """Every translation variant becomes a unit (an identical one merges); other languages are skipped
    and counted; one transaction. An invalid unit refuses the file (422 with `problems`) unless
    `skip_invalid`; 422 for a file that is not TMX. Admin tokens only."""
    require_right("admin")
    fields = _upload(TMXUpload)
    upload = fields["file"]
    return _imported(upload.filename, "TMX", lambda: interchange.import_tmx(
        g.db, upload.stream, upload.filename, user=g.user["name"], skip_invalid=fields["skip_invalid"]))


@bp.route("/glossaries/import", methods=["POST"])
@bp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": GlossaryUpload}}},
        summary="Import a CSV, TSV or TBX glossary", operationId="import_glossary")
@bp.response(200, GlossaryImported)
@_errors(400, 401, 403, 413, 422, 429)
def import_glossary():
    """Merge (or replace) a glossary in one transaction. An invalid entry refuses the file (422 with
    `problems`) unless `skip_invalid`; unknown TBX statuses are warnings. Admin tokens only."""
    require_right("admin")
    fields = _upload(GlossaryUpload)
    upload = fields["file"]
    return _imported(upload.filename, "a glossary (.csv, .tsv or .tbx)", lambda: glossary_service.import_file(
        g.db, Actor.token(g.user), upload.read(), upload.filename, glossary=fields.get("glossary"),
        replace=fields["replace"], skip_invalid=fields["skip_invalid"]))


def _imported(filename: str, kind: str, run):
    """An import's counts; a file with invalid entries is a 422 listing them, an unreadable one a 422."""
    try:
        with reading(filename, kind):
            return run()
    except ImportRefused as err:
        return _refused(err)
    except Forbidden:
        raise
    except UserError as err:  # not a readable file of this kind, or a glossary name not allowed
        abort(422, message=str(err))


@bp.route("/check", methods=["POST"])
@bp.doc(operationId="check")
@bp.arguments(CheckIn)
@bp.response(200, CheckOut)
@_errors(400, 401, 413, 422, 429)
def check(body: dict):
    """Term and QA findings for a source sentence and its translation (nothing is stored)."""
    qa_rows = [f.to_json() for f in qa.check(body["source"], body["target"], body["lang"])]
    term_rows = [{"status": f.status, "concept": f.concept, "source_text": f.source, "target_text": f.target}
                 for f in findings.checker(g.db).check(body["source"], body["target"], body["lang"])]
    return {"findings": _findings(term_rows, qa_rows)}


@bp.route("/openapi.json", methods=["GET"])
@bp.doc(security=[], summary="This API's OpenAPI 3.1 document", operationId="openapi_json", responses={
    200: {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}}})
def openapi_json():
    """The OpenAPI document, generated from the schemas above."""
    return current_app.extensions["workbench-api"].spec.to_dict()


@bp.route("/", methods=["GET"])
@bp.doc(security=[], summary="The API reference page", operationId="reference", responses={
    200: {"description": "An HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}})
def reference():
    """A reference page rendered on the server from the OpenAPI document (works offline, no scripts)."""
    spec = current_app.extensions["workbench-api"].spec.to_dict()
    return render_template("api/reference.html", spec=spec, openapi_url=url_for("api.openapi_json"))
