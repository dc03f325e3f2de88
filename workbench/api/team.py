"""/api/v1 team routes: assignments per article and language, Send to review / Send back, and
archiving or deleting an article (services/assignments.py holds every rule)."""

from __future__ import annotations

from flask import Response, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from workbench.api.common import authenticate, problem_responses, register_errors
from workbench.api.schemas import STORABLE_TEXT, Problem
from workbench.core.hygiene import LIMITS
from workbench.core.langs import TARGET_LANGS
from workbench.services import assignments, figures, my_work
from workbench.services.actor import Actor

ACCOUNT = r"^[\w.@+-]+$"  # data/users.NAME
# Storable text (core/hygiene.py) with at least one character that is not a space.
REASON = r"^(?=[\s\S]*\S)" + STORABLE_TEXT[1:]

bp = Blueprint("api_team", __name__, url_prefix="/api/v1",
               description="Who translates and reviews each language of an article, by when, and where the work stands.")
bp.before_request(authenticate)
register_errors(bp)
_errors = problem_responses(bp, Problem)


class AssignmentIn(Schema):
    translator = fields.String(allow_none=True, validate=validate.Length(min=1, max=40),
                               metadata={"pattern": ACCOUNT, "description": "An account with the translator role or "
                                         "higher (422 when there is none); null clears it."})
    reviewer = fields.String(allow_none=True, validate=validate.Length(min=1, max=40),
                             metadata={"pattern": ACCOUNT, "description": "An account with the reviewer role or "
                                       "higher (422 when there is none); null clears it."})
    due = fields.AwareDateTime(allow_none=True, metadata={
        "description": "RFC 3339 date-time with its offset, e.g. 2026-12-03T18:00:00Z; null clears it."})


class AssignmentOut(Schema):
    article = fields.Integer(required=True)
    lang = fields.String(required=True)
    translator = fields.String(allow_none=True, required=True)
    reviewer = fields.String(allow_none=True, required=True)
    due = fields.String(allow_none=True, required=True)
    state = fields.String(required=True, validate=validate.OneOf(assignments.STATES))
    reason = fields.String(allow_none=True, metadata={"description": "Why the work was sent back."})


class SegmentNote(Schema):
    number = fields.Integer(required=True, validate=validate.Range(min=1, max=10**6),
                            metadata={"description": "The segment's number, from 1 (422 when the article has none)."})
    note = fields.String(required=True, validate=validate.Length(max=LIMITS["reason"]),
                         metadata={"pattern": STORABLE_TEXT, "description": "What to fix there."})


class SendBackIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=LIMITS["reason"]),
                           metadata={"pattern": REASON, "description": "Why the work goes back (not blank)."})
    segments = fields.List(fields.Nested(SegmentNote), metadata={
        "description": "Optional: what to fix in which segment; each becomes a comment on that segment."})


class ArchiveOut(Schema):
    article = fields.Integer(required=True)
    archived = fields.Boolean(required=True)




@bp.route("/articles/<int:article_id>/languages/<lang>/assignment", methods=["GET"])
@bp.doc(operationId="get_assignment")
@bp.response(200, AssignmentOut)
@_errors(400, 401, 404, 429)
def get_assignment(article_id: int, lang: str):
    """Who translates and reviews this language, by when, and its state."""
    return assignments.view(g.db, article_id, lang)


@bp.route("/articles/<int:article_id>/languages/<lang>/assignment", methods=["PUT"])
@bp.doc(operationId="put_assignment")
@bp.arguments(AssignmentIn)
@bp.response(200, AssignmentOut)
@_errors(400, 401, 403, 404, 422, 429)
def put_assignment(body: dict, article_id: int, lang: str):
    """Assign (reviewer and admin tokens); a translator's token may only take an unassigned language
    for its owner (`{"translator": "<owner>"}`). Fields left out stay as they are."""
    return assignments.assign(g.db, Actor.token(g.user), article_id, lang, **body)


@bp.route("/articles/<int:article_id>/languages/<lang>/submit", methods=["POST"])
@bp.doc(operationId="submit_language")
@bp.response(200, AssignmentOut)
@_errors(401, 403, 404, 409, 429)
def submit_language(article_id: int, lang: str):
    """Send to review: translating or sent back → in review (event language.submitted)."""
    return assignments.submit(g.db, Actor.token(g.user), article_id, lang)


@bp.route("/articles/<int:article_id>/languages/<lang>/send-back", methods=["POST"])
@bp.doc(operationId="send_back_language")
@bp.arguments(SendBackIn)
@bp.response(200, AssignmentOut)
@_errors(400, 401, 403, 404, 409, 422, 429)
def send_back_language(body: dict, article_id: int, lang: str):
    """Send back with a reason (reviewer tokens): in review → sent back (event language.sent_back)."""
    segments = {item["number"]: item["note"] for item in body.get("segments") or []}
    return assignments.send_back(g.db, Actor.token(g.user), article_id, lang, body["reason"], segments or None)


@bp.delete("/articles/<int:article_id>")
@bp.doc(operationId="archive_article")
@bp.response(200, ArchiveOut)
@_errors(401, 403, 404, 429)
def archive_article(article_id: int):
    """Archive the article (reviewer and admin tokens): hidden from lists, kept in the TM and search,
    restorable; event article.archived. Deleting for good is an admin's CLI or web action."""
    return assignments.archive(g.db, Actor.token(g.user), article_id)


class MyWorkQuery(Schema):
    state = fields.String(validate=validate.OneOf(assignments.STATES))
    lang = fields.String(validate=validate.OneOf(TARGET_LANGS))
    overdue = fields.Boolean(load_default=False)


class Progress(Schema):
    untranslated = fields.Integer(required=True)
    mt_draft = fields.Integer(required=True)
    edited = fields.Integer(required=True)
    approved = fields.Integer(required=True)
    total = fields.Integer(required=True)


class MyWorkItem(Schema):
    article = fields.Integer(required=True)
    title = fields.String(required=True)
    lang = fields.String(required=True)
    roles = fields.List(fields.String(), required=True,
                        metadata={"description": "translator and/or reviewer: the token owner's part."})
    translator = fields.String(allow_none=True, required=True)
    reviewer = fields.String(allow_none=True, required=True)
    due = fields.String(allow_none=True, required=True)
    state = fields.String(required=True, validate=validate.OneOf(assignments.STATES))
    reason = fields.String(allow_none=True, required=True, metadata={"description": "Why it was sent back."})
    overdue = fields.Boolean(required=True)
    due_soon = fields.Boolean(required=True, metadata={"description": "Due within 24 hours."})
    progress = fields.Nested(Progress, required=True)
    open_comments = fields.Integer(required=True)


class FiguresQuery(Schema):
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "First day, e.g. 2026-12-01."})
    to = fields.Date(required=True, metadata={"description": "Last day (included)."})
    person = fields.String(validate=validate.Length(max=100))
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class PersonFigures(Schema):
    person = fields.String(required=True)
    translated_words = fields.Integer(required=True)
    post_edited_words = fields.Integer(required=True)
    approved_words = fields.Integer(required=True)
    post_edit_effort = fields.Float(allow_none=True, required=True,
                                    metadata={"description": "Normalised edit distance MT → final, 0..1, weighted by words."})
    translated_segments = fields.Integer(required=True)
    post_edited_segments = fields.Integer(required=True)
    approved_segments = fields.Integer(required=True)


class FiguresOut(Schema):
    from_ = fields.String(required=True, data_key="from")
    to = fields.String(required=True)
    people = fields.List(fields.Nested(PersonFigures), required=True)


def _owner() -> Actor:
    """The token as an actor whose person is the token's owner (a token without one: itself)."""
    return Actor("token", g.user["name"], g.user.get("role"), (g.get("token") or {}).get("owner") or g.user["name"])


@bp.route("/my-work", methods=["GET"])
@bp.doc(operationId="my_work")
@bp.arguments(MyWorkQuery, location="query")
@bp.response(200, MyWorkItem(many=True))
@_errors(400, 401, 429)
def get_my_work(query: dict):
    """The token owner's assigned languages (as translator or reviewer), due first, with progress,
    state, open comments and the reason of a send-back; filter by state, lang, overdue."""
    return my_work.mine(g.db, _owner(), **query)


@bp.route("/figures", methods=["GET"])
@bp.doc(operationId="figures",
        responses={200: {"content": {"text/csv": {"schema": {"type": "string", "description": "?format=csv: the same rows as CSV"}}}}})
@bp.arguments(FiguresQuery, location="query")
@bp.response(200, FiguresOut)
@_errors(400, 401, 403, 429)
def get_figures(query: dict):
    """Words translated, post-edited and approved and post-edit effort per person for the period
    (reviewer and admin tokens: everyone; a translator's token: its owner). `format=csv` answers CSV."""
    report = figures.figures(g.db, _owner(), query["from_"], query["to"], query.get("person"))
    if query["format"] == "csv":
        return Response(figures.as_csv(report), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename=figures-{report['from']}-{report['to']}.csv"})
    return {**report, "from_": report["from"]}
