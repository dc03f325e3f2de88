"""Request and response schemas of the API (marshmallow); the OpenAPI document is made from them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from workbench.core.hygiene import LIMITS
from workbench.core.langs import TARGET_LANGS

# core/hygiene.py's rule as a JSON Schema pattern: no C0/C1 control character but tab, line feed and
# carriage return, no Unicode non-character of the Basic Multilingual Plane (a text holding one is a 422).
STORABLE_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]*$"

STATUS_NAMES = ["untranslated", "MT draft", "edited", "approved", "source changed", "needs review"]


WHOLE_PAGE = ("An HTML file that is a whole web page imports only its story (headline, standfirst, body, "
              "captions); true imports all the page's text.")


class ArticleIn(Schema):
    title = fields.String(validate=validate.Length(max=LIMITS["title"]),
                          metadata={"description": "Headline; default: the first line of the text."})
    text = fields.String(required=True, validate=validate.Length(min=1, max=LIMITS["text"]),
                         metadata={"description": "The article: plain text, Markdown or HTML."})
    format = fields.String(load_default="txt", validate=validate.OneOf(["txt", "md", "html"]))
    external_id = fields.String(validate=validate.Length(min=1, max=LIMITS["external_id"]),
                                metadata={"description": "The CMS's own id of the article (unique)."})
    base_version = fields.Integer(validate=validate.Range(min=0), metadata={"description": (
        "PUT by external id only, optional: the version the text was edited from; a save based on "
        "another version than the article's newest is refused with 409. Without it, the save "
        "needs no version.")})
    whole_page = fields.Boolean(load_default=False, truthy={True, "true"}, falsy={False, "false"},
                                metadata={"description": WHOLE_PAGE})


class ArticleUpload(Schema):
    """A multipart upload: the article file (.txt, .md, .html, .docx) and optional fields."""
    file = fields.Raw(required=True, metadata={"type": "string", "minLength": 1, "description": (
        "The article: a file part whose name ends in .txt, .md, .markdown, .html, .htm (UTF-8 text) or .docx "
        "(the extension says how it is read; any other file is refused with 422), or the text itself as a plain "
        "form field without a file name, read as plain text (curl -F 'file=<story.txt').")})
    title = fields.String(validate=validate.Length(max=LIMITS["title"]))
    external_id = fields.String(validate=validate.Length(min=1, max=LIMITS["external_id"]))
    base_version = fields.Integer(validate=validate.Range(min=0))
    whole_page = fields.Boolean(load_default=False, truthy={True, "true"}, falsy={False, "false"},
                                metadata={"description": WHOLE_PAGE})


class SourceLanguageOut(Schema):
    detected = fields.String(allow_none=True, metadata={"description": (
        "The language the text reads as (ISO 639 code), or null when it is too short to tell.")})
    declared = fields.String(allow_none=True, metadata={"description": (
        "The language the file declares (<html lang>, a .docx's w:lang), or null.")})


class ArticleCreated(Schema):
    article = fields.Integer(required=True)
    version = fields.Integer(required=True)
    segments = fields.Integer(required=True)
    job = fields.Integer(allow_none=True, metadata={
        "description": "The MT job that drafts the new and changed segments into every language with an "
                       "installed model (GET /api/v1/jobs/{job}); null when no model is installed or nothing "
                       "new needs a draft."})
    warnings = fields.List(fields.String(), metadata={"description": (
        "What the import wants a person to check: page text left out of a web page, an article that is "
        "not English.")})
    source_language = fields.Nested(SourceLanguageOut)


class ArticleUpdated(ArticleCreated):
    kept = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    added = fields.Integer(required=True)
    removed = fields.Integer(required=True)


class ArticleOut(Schema):
    article = fields.Integer(required=True)
    title = fields.String(required=True)
    external_id = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    segments = fields.Integer(required=True)
    languages = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                            metadata={"description": "Per language: segments per status, and total."})


class TranslateIn(Schema):
    langs = fields.List(fields.String(validate=validate.OneOf(TARGET_LANGS)), required=True,
                        validate=validate.Length(min=1))


class JobCreated(Schema):
    job = fields.Integer(required=True)


class JobOut(Schema):
    job = fields.Integer(required=True)
    article = fields.Integer(allow_none=True)
    langs = fields.List(fields.String())
    status = fields.String(required=True, validate=validate.OneOf(["queued", "running", "done", "failed"]))
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)
    message = fields.String(allow_none=True)


class TranslationQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "txt", "md", "html", "docx"]))


class Finding(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["term", "qa"]))
    severity = fields.String(required=True, validate=validate.OneOf(["error", "warning"]))
    message = fields.String(required=True)
    check = fields.String(metadata={"description": "QA check name (qa findings)."})
    concept = fields.String(metadata={"description": "Glossary concept (term findings)."})
    status = fields.String(metadata={"description": "ok / missing / forbidden (term findings)."})
    source = fields.String(allow_none=True)
    target = fields.String(allow_none=True)


class InlineCode(Schema):
    id = fields.Integer(required=True, metadata={"description": "The code's number within its paragraph (1-1023)."})
    kind = fields.String(required=True, validate=validate.OneOf(["open", "close", "standalone"]), metadata={
        "description": "open: U+E100+id, close: U+E500+id, standalone: U+E900+id in the texts."})
    type = fields.String(required=True, metadata={
        "description": "What it stands for: b, i, u, s, a (link), code, sup, sub, br, img, or x (other markup)."})
    label = fields.String(required=True, metadata={"description": "How people see it: {1}, {/1} or {1/}."})
    href = fields.String(metadata={"description": "A link's address."})
    title = fields.String(metadata={"description": "A link's title."})
    alt = fields.String(metadata={"description": "An image's text."})


INLINE_CODES = ("Inline codes (bold, links, line breaks) are one private-use character each: U+E100+n opens "
                "code n, U+E500+n closes it, U+E900+n stands alone; see `codes` and docs/api.md.")


class SegmentOut(Schema):
    index = fields.Integer(required=True, metadata={"description": "From 1, in article order, as in the editor."})
    source = fields.String(required=True, metadata={"description": "The English sentence. " + INLINE_CODES})
    target = fields.String(required=True, metadata={
        "description": "The translation, with the source's inline codes where they belong (a missing, extra, "
                       "doubled or crossing code is a QA error)."})
    codes = fields.List(fields.Nested(InlineCode), required=True, metadata={
        "description": "The inline codes of the source in order ([] for a sentence without markup)."})
    status = fields.String(required=True, validate=validate.OneOf(STATUS_NAMES))
    version = fields.Integer(required=True, metadata={
        "description": "The stored version of this translation (0: none yet; every save, approval, MT draft, "
                       "import or story update adds one). Send it back as `base_version` (or as the "
                       "`ETag` in `If-Match`) when you save."})
    findings = fields.List(fields.Nested(Finding), required=True)


class TranslationOut(Schema):
    article = fields.Integer(required=True)
    lang = fields.String(required=True)
    version = fields.Integer(required=True)
    segments = fields.List(fields.Nested(SegmentOut), required=True)


class SegmentIn(Schema):
    target = fields.String(required=True, validate=validate.Length(max=LIMITS["target"]), metadata={
        "pattern": STORABLE_TEXT,
        "description": "The translation; an empty (or blank) target stores the segment as untranslated. "
                       "No control characters but tab and line breaks (422). Keep the source's inline codes "
                       "(private-use characters, see `codes`) in it, each once."})
    status = fields.String(load_default="edited", validate=validate.OneOf(["edited", "approved"]))
    base_version = fields.Integer(validate=validate.Range(min=0), metadata={
        "description": "The `version` this edit was based on, as last read (0 when there was no translation): "
                       "any change since, an approval included, gets 409 naming who made it, never a silent "
                       "overwrite. Or send the segment's ETag as `If-Match`. One of the two is required "
                       "(428 otherwise), unless the old `base_target` is sent."})
    base_target = fields.String(metadata={
        "description": "Deprecated fallback for old clients: the target this edit was based on (\"\" when "
                       "untranslated). A text comparison cannot see an approval of the same text; send "
                       "`base_version` instead. Ignored when `base_version` or `If-Match` is given."})
    reason = fields.String(validate=validate.Length(max=LIMITS["reason"]), metadata={"pattern": STORABLE_TEXT, "description": "Why a translation with QA or term errors is approved "
                                                    "anyway (required then, as in the editor; kept in the history)."})


# What a marshmallow schema cannot say, added to its OpenAPI component (workbench/api/__init__.py).
OPENAPI_CONSTRAINTS = {
    # A save names what it was based on: base_version (or base_target from old clients) in the body, or
    # the ETag as If-Match, which a JSON schema cannot see (so the body alone is described here).
    "SegmentIn": {"anyOf": [{"required": ["base_version"]}, {"required": ["base_target"]}],
                  # an approval needs a text: approving an empty target is a 400
                  "if": {"properties": {"status": {"const": "approved"}}, "required": ["status"]},
                  "then": {"properties": {"target": {"pattern": r"\S"}}},
                  "description": "Send `base_version` (or the ETag as `If-Match`; old clients: `base_target`); "
                                 "a save naming none of them gets 428. An approval needs a target that is not "
                                 "blank (400)."},
}


class CheckIn(Schema):
    lang = fields.String(required=True, validate=validate.OneOf(TARGET_LANGS))
    source = fields.String(required=True, validate=validate.Length(max=LIMITS["source"]))
    target = fields.String(required=True, validate=validate.Length(max=LIMITS["target"]))


class CheckOut(Schema):
    findings = fields.List(fields.Nested(Finding), required=True)


class Problem(Schema):
    """RFC 9457 problem details."""
    type = fields.String()
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    current_version = fields.Integer(metadata={"description": "409 on a segment: the version stored now."})
    changed_by = fields.String(allow_none=True, metadata={
        "description": "409 on a segment: who made the stored version (a person, an API token, an MT job, "
                       "an import or a story update)."})
    current_status = fields.String(metadata={"description": "409 on a segment: its status now."})
    current_target = fields.String(metadata={"description": "409 on a segment: its target now."})
    problems = fields.List(fields.Dict(), metadata={
        "description": "422 on a file import refused for its invalid entries: each as {kind, id, line, reason}."})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "422 on a request that failed validation: the messages per location (json, form, "
                       "query) and field, e.g. {\"json\": {\"langs\": [\"Missing data for required field.\"]}}."})


DELIVERY_STATUSES = ["pending", "delivered", "failed"]


class DeliveryQuery(Schema):
    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class DeliveryOut(Schema):
    id = fields.Integer(required=True)
    webhook_id = fields.Integer(required=True)
    url = fields.String(required=True)
    message_id = fields.String(required=True, metadata={"description": "The webhook-id header: the same on "
                                                                       "every attempt and re-send."})
    event = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATUSES))
    attempts = fields.Integer(required=True, metadata={"description": "Attempts since it was recorded or re-sent; "
                                                                      "given up after 8 (about 27 hours)."})
    response_status = fields.Integer(allow_none=True, metadata={"description": "The last answer's HTTP status "
                                                                               "(a 3xx is a failure)."})
    error = fields.String(allow_none=True, metadata={"description": "The last attempt's error."})
    next_attempt_at = fields.String(allow_none=True, metadata={"description": "When a pending one is tried next."})
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)


class DeliveryList(Schema):
    deliveries = fields.List(fields.Nested(DeliveryOut), required=True)


class ImportProblem(Schema):
    """An entry of an imported file that could not be stored."""
    kind = fields.String(required=True, metadata={"description": "tu (a TMX unit) or concept (a glossary entry)."})
    id = fields.String(allow_none=True, metadata={"description": "The unit's tuid or the concept's id, when it has one."})
    line = fields.Integer(allow_none=True, metadata={"description": "The line of the file where the entry starts."})
    reason = fields.String(required=True)


_SKIP = fields.Boolean(load_default=False, metadata={
    "description": "false (default): a file with an invalid entry is refused whole (422 listing them, nothing "
                   "stored); true: the valid entries are imported and the invalid ones listed."})


class TMXUpload(Schema):
    """A TMX file (1.1 to 1.4b, any declared encoding) to add to the translation memory."""
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "The .tmx file, as a file part."})
    skip_invalid = _SKIP


class TMXImported(Schema):
    file = fields.String(required=True)
    tu = fields.Integer(required=True, metadata={"description": "<tu> elements read."})
    read = fields.Integer(required=True, metadata={"description": "Units read (one per translation variant): "
                                                                  "stored + merged + the sum of skipped."})
    stored = fields.Integer(required=True)
    merged = fields.Integer(required=True, metadata={"description": "Identical to a stored unit."})
    skipped = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "Units skipped, by reason (another language, empty, invalid)."})
    invalid = fields.Integer(required=True)
    problems = fields.List(fields.Nested(ImportProblem), required=True)
    languages = fields.List(fields.String(), required=True)


class GlossaryUpload(Schema):
    """A CSV, TSV or TBX glossary to import."""
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "The .csv, .tsv or .tbx file, as a file part."})
    glossary = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "The glossary to merge into (default: the file's name)."})
    replace = fields.Boolean(load_default=False, metadata={"description": "Replace the glossary instead of merging."})
    skip_invalid = _SKIP


class GlossaryImported(Schema):
    glossary = fields.String(required=True)
    added = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    removed = fields.Integer(required=True)
    translations_rechecked = fields.Integer(required=True)
    invalid = fields.Integer(required=True)
    skipped = fields.List(fields.Nested(ImportProblem), required=True)
    warnings = fields.List(fields.String(), required=True)
