"""Text hygiene at every door (core/hygiene.py, applied once in the services).

Each bad character goes in through every door: the API (JSON, multipart, a segment's PUT), the
web editor, article imports from .txt/.md/.html/.docx (web and CLI), XLIFF (web and CLI), TMX,
glossary CSV and comments. Each door either refuses it with a 4xx (or the CLI's exit 1) whose
message names the field, file, line or unit, or stores its meaning (a line break). Afterwards no
stored row holds a refused character and every export of the instance runs; the XML ones parse.

Before this, the API and the imports stored NUL, ESC and vertical tab: the article's XLIFF export
and the TMX export of the language failed for everyone, and a lone surrogate (JSON "\\ud800") or a
multipart field named `x\\"` gave a 500.
"""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from lxml import etree

from workbench.core import hygiene
from workbench.core.formats.export import export_article
from workbench.core.terms.files import write_glossary
from workbench.data import api_tokens, store, termbase as store_terms, tm
from workbench.data.db import open_db
from workbench.core.segment import segment_text
from workbench.services import interchange, translations
from workbench.services.actor import Actor

BAD = {"NUL": "\x00", "ESC": "\x1b", "VT": "\x0b", "FF": "\x0c", "DEL": "\x7f", "NEL": "\x85", "CSI": "\x9b",
       "surrogate": "\ud800", "FFFE": "\ufffe"}
LINE_BREAKS = {"\x0b", "\x0c", "\x85"}  # what an import (or an article's text) turns into "\n"
ARTICLE = "Talks in Baku\nThe ministers met in Baku on Monday. They signed 12 agreements.\n"


def raw_json(char: str, **body) -> bytes:
    """A JSON body as a client would send it: a lone surrogate escaped as "\\ud800"."""
    return json.dumps(body).encode("ascii")


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate as a broken client writes it


def make_world(instance) -> dict:
    db = instance.db()
    article_id = store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                      segmentation=segment_text(ARTICLE))
    segments = store.segments(db, article_id)
    rita = Actor.person({"name": "rita", "role": "reviewer"})
    for segment in segments:
        translations.save(db, rita, segment["id"], "az", f"az {segment['text']}", base_version=0,
                          approve=True, reason="set up by a test")
    db.close()
    return {"id": article_id, "segments": segments}


@pytest.fixture
def world(instance, app):
    """An article translated and approved into az (so the memory holds it), a comment, a glossary."""
    return make_world(instance)


def stored_bad_characters(instance) -> list[str]:
    """Every stored text value holding a character no stored text may hold: table.column: chars."""
    db = instance.db()
    db.conn.text_factory = lambda raw: raw.decode("utf-8", "surrogatepass")  # as another tool may have written
    found = []
    try:
        for table in db.table_names():
            if table.startswith(("_", "sqlite_")) or table.endswith(("_fts", "_data", "_idx", "_docsize", "_config")):
                continue
            for row in db.query(f"SELECT * FROM [{table}]"):  # noqa: S608 - table names from the schema
                for column, value in row.items():
                    if isinstance(value, str) and hygiene.refused_characters(value):
                        found.append(f"{table}.{column}: {hygiene.refused_characters(value)}")
    finally:
        db.close()
    return found


def run_every_export(instance) -> None:
    """txt/md/html, XLIFF 1.2 and 2.0 of every article in every language, TMX of each language and of
    all, TBX and CSV of the termbase: each runs, each XML one parses."""
    db = instance.db()
    try:
        for article in db.query("SELECT id FROM articles"):
            row = store.get_article(db, article["id"])
            for lang in ("az", "tr", "ru"):
                for fmt in ("txt", "md", "html"):
                    export_article(row, store.paragraphs(db, row["id"]), store.segments(db, row["id"]),
                                   store.article_translations(db, row["id"], lang), fmt, lang)
                for version in ("1.2", "2.0"):
                    etree.fromstring(interchange.export_xliff(db, row["id"], lang, version))
        for lang in ("az", "tr", "ru", None):
            etree.fromstring(interchange.export_tmx(db, lang))
        concepts = store_terms.load_concepts(db, None)
        etree.fromstring(write_glossary(concepts, "tbx"))
        write_glossary(concepts, "csv").decode("utf-8")
    finally:
        db.close()


def docx_with(text: str) -> bytes:
    """A .docx (python-docx) whose second paragraph holds `text`; a character XML cannot hold is
    written as OOXML escapes it in a run: "_x000B_" for a vertical tab."""
    import docx

    document = docx.Document()
    document.add_heading("Talks in Baku", level=1)
    escaped = "".join(f"_x{ord(c):04X}_" if hygiene.refused_characters(c) else c for c in text)
    document.add_paragraph("The ministers met. ").add_run(escaped)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def article_file(kind: str, char: str) -> tuple[str, bytes]:
    sentence = f"They signed{char} 12 agreements."
    if kind == "txt":
        return "story.txt", utf8(f"Talks in Baku\nThe ministers met. {sentence}\n")
    if kind == "md":
        return "story.md", utf8(f"# Talks in Baku\n\nThe ministers met. {sentence}\n")
    if kind == "html":
        return "story.html", utf8(f"<h1>Talks in Baku</h1><p>The ministers met. {sentence}</p>")
    return "story.docx", docx_with(sentence)


def xliff_with(instance, world, char: str, version: str = "1.2") -> bytes:
    """The article's exported XLIFF with the first target holding `char` (as a character reference)."""
    db = instance.db()
    data = interchange.export_xliff(db, world["id"], "az", version)
    db.close()
    first = f"az {world['segments'][0]['text']}".encode()
    return data.replace(b">" + first + b"<", b">" + first + f" b&#x{ord(char):X};d".encode() + b"<", 1)


def tmx_with(char: str) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
            b'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" '
            b'creationtoolversion="1"/><body>\n<tu><tuv xml:lang="en"><seg>Good morning</seg></tuv>'
            b'<tuv xml:lang="az"><seg>Sabah&#x' + f"{ord(char):X}".encode() + b'; xeyir</seg></tuv></tu>'
            b"\n</body></tmx>")


def csv_with(char: str) -> bytes:
    return utf8(f"id,domain,note,en,az\nplace.baku,place,The capital{char} city,Baku,Bak{char}ı\n")


def urlencoded(fields: dict) -> dict:
    """A form body as a browser sends it, a lone surrogate written as the bytes a broken client sends."""
    from urllib.parse import urlencode

    return {"data": urlencode({k: utf8(str(v)) for k, v in fields.items()}),
            "content_type": "application/x-www-form-urlencoded"}


def multipart(fields: dict, files: dict) -> dict:
    """A multipart body written by hand (the test client cannot write a lone surrogate)."""
    parts = []
    for key, value in fields.items():
        parts.append(f'--b\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + utf8(value) + b"\r\n")
    for key, (data, filename) in files.items():
        parts.append(f'--b\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return {"data": b"".join(parts) + b"--b--\r\n", "content_type": "multipart/form-data; boundary=b"}


# --- the doors -------------------------------------------------------------------------------
# Each returns (refused: bool, message: str); a refusal must be a 4xx (or exit 1), never a 5xx.

def _web(response, *, ok=(200, 302)):
    assert response.status_code < 500, response.text
    if response.status_code in ok:
        return False, ""
    assert 400 <= response.status_code < 500, response.status_code
    return True, response.get_data(as_text=True)


def _api(response, *, ok=(200, 201)):
    assert response.status_code < 500, response.text
    if response.status_code in ok:
        return False, ""
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json", response.text
    return True, response.get_json()["detail"]


def _cli(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 0:
        return False, ""
    assert result.exit_code == 1, result.output
    return True, result.output


def door_api_json_text(ctx, char):
    return _api(ctx.api.post("/api/v1/articles", content_type="application/json",
                             data=raw_json(char, title="Talks", text=f"Talks in Baku\nThey signed{char} 12 agreements.\n")))


def door_api_json_title(ctx, char):
    return _api(ctx.api.post("/api/v1/articles", content_type="application/json",
                             data=raw_json(char, title=f"Talks{char} in Baku", text=ARTICLE)))


def door_api_json_external_id(ctx, char):
    return _api(ctx.api.post("/api/v1/articles", content_type="application/json",
                             data=raw_json(char, text=ARTICLE, external_id=f"cms{char}1")))


def door_api_multipart(ctx, char):
    name, data = article_file("txt", char)
    return _api(ctx.api.post("/api/v1/articles", content_type="multipart/form-data",
                             data={"file": (io.BytesIO(data), name)}))


def door_api_multipart_title(ctx, char):
    return _api(ctx.api.post("/api/v1/articles", **multipart({"title": f"Talks{char}"},
                                                             {"file": (ARTICLE.encode(), "a.txt")})))


def door_api_put_segment(ctx, char):
    url = f"/api/v1/articles/{ctx.world['id']}/translations/az/segments/2"
    version = ctx.api.get(url).get_json()["version"]
    return _api(ctx.api.put(url, content_type="application/json", data=raw_json(
        char, target=f"Nazirlər{char} görüşdülər.", status="approved", base_version=version, reason="ok")))


def door_api_put_reason(ctx, char):
    url = f"/api/v1/articles/{ctx.world['id']}/translations/az/segments/2"
    version = ctx.api.get(url).get_json()["version"]
    return _api(ctx.api.put(url, content_type="application/json", data=raw_json(
        char, target="Nazirlər 13 görüşdülər.", status="approved", base_version=version, reason=f"ok{char}")))


def door_web_save(ctx, char):
    segment = ctx.world["segments"][1]
    row = ctx.current(segment["id"])
    return _web(ctx.web.post(f"/articles/{ctx.world['id']}/az/segments/{segment['id']}", **urlencoded(
        {"text": f"Nazirlər{char} görüşdülər.", "base_version": row["version"], "action": "save"})))


def door_web_comment(ctx, char):
    segment = ctx.world["segments"][1]
    return _web(ctx.web.post(f"/articles/{ctx.world['id']}/az/segments/{segment['id']}/comments",
                             **urlencoded({"body": f"Check{char} this"})))


def door_web_paste(ctx, char):
    return _web(ctx.web.post("/articles", htmx=False, **urlencoded(
        {"text": f"Talks in Baku\nThey signed{char} 12 agreements.\n", "format": "txt", "title": ""})))


def door_web_paste_title(ctx, char):
    return _web(ctx.web.post("/articles", htmx=False, **urlencoded({"text": ARTICLE, "format": "txt",
                                                                    "title": f"Talks{char}"})))


def _web_upload(kind):
    def door(ctx, char):
        name, data = article_file(kind, char)
        return _web(ctx.web.post("/articles", {"file": (io.BytesIO(data), name)}, htmx=False,
                                 content_type="multipart/form-data"))
    return door


def _cli_import(kind):
    def door(ctx, char):
        name, data = article_file(kind, char)
        path = ctx.tmp_path / name
        path.write_bytes(data)
        return _cli(ctx.cli("import", str(path), "--json", ok=False))
    return door


def door_web_xliff(ctx, char):
    return _web(ctx.web.post("/articles/import-xliff", {"file": (io.BytesIO(xliff_with(ctx.instance, ctx.world, char)),
                                                                 "back.xlf")}, htmx=False,
                             content_type="multipart/form-data"), ok=(302,))


def door_cli_xliff2(ctx, char):
    path = ctx.tmp_path / "back.xlf"
    path.write_bytes(xliff_with(ctx.instance, ctx.world, char, "2.0"))
    return _cli(ctx.cli("import-xliff", str(path), "--user", "rita", "--json", ok=False))


def door_web_tmx(ctx, char):
    return _web(ctx.admin.post("/memory/import", {"file": (io.BytesIO(tmx_with(char)), "old.tmx")}, htmx=False,
                               content_type="multipart/form-data"), ok=(302,))


def door_cli_tmx(ctx, char):
    path = ctx.tmp_path / "old.tmx"
    path.write_bytes(tmx_with(char))
    return _cli(ctx.cli("tm", "import", str(path), ok=False))


def door_web_glossary_csv(ctx, char):
    return _web(ctx.admin.post("/glossary/import", {"file": (io.BytesIO(csv_with(char)), "places.csv")}, htmx=False,
                               content_type="multipart/form-data"), ok=(302,))


def door_cli_glossary_csv(ctx, char):
    path = ctx.tmp_path / "places.csv"
    path.write_bytes(csv_with(char))
    return _cli(ctx.cli("glossary", "import", str(path), "--user", "adam", "--json", ok=False))


DOORS = {
    "api-json-text": (door_api_json_text, ("text",)),
    "api-json-title": (door_api_json_title, ("title",)),
    "api-json-external-id": (door_api_json_external_id, ("external_id",)),
    "api-multipart": (door_api_multipart, ("story.txt",)),
    "api-multipart-title": (door_api_multipart_title, ("title",)),
    "api-put-segment": (door_api_put_segment, ("target",)),
    "api-put-reason": (door_api_put_reason, ("reason",)),
    "web-save": (door_web_save, ("target",)),
    "web-comment": (door_web_comment, ("comment",)),
    "web-paste": (door_web_paste, ("text", "pasted.txt")),
    "web-paste-title": (door_web_paste_title, ("title",)),
    **{f"web-{kind}": (_web_upload(kind), (f"story.{kind}",)) for kind in ("txt", "md", "html", "docx")},
    **{f"cli-{kind}": (_cli_import(kind), (f"story.{kind}",)) for kind in ("txt", "md", "html", "docx")},
    "web-xliff": (door_web_xliff, ("back.xlf",)),
    "cli-xliff2": (door_cli_xliff2, ("back.xlf",)),
    "web-tmx": (door_web_tmx, ("old.tmx",)),
    "cli-tmx": (door_cli_tmx, ("old.tmx",)),
    "web-glossary-csv": (door_web_glossary_csv, ("places.csv",)),
    "cli-glossary-csv": (door_cli_glossary_csv, ("places.csv",)),
}


FORM_FIELDS = {"web-save", "web-comment", "web-paste", "web-paste-title", "api-multipart-title"}


class Ctx:
    def __init__(self, instance, world, browser, cli, cms_api, tmp_path):
        self.instance, self.world, self.cli, self.api, self.tmp_path = instance, world, cli, cms_api, tmp_path
        self.browser = browser

    @property
    def web(self):  # signed in when a door needs it (a sign-in costs a password hash)
        return self.browser("rita")

    @property
    def admin(self):
        return self.browser("adam")

    def current(self, segment_id):
        db = self.instance.db()
        try:
            return store.get_translation(db, segment_id, "az")
        finally:
            db.close()


@pytest.fixture(scope="module")
def door_world(shared_app):
    """The world of `world` and the "cms" token of `cms_api`, made once on the module's app; each
    door case starts from this database (SharedApp.restore), as if made for it alone."""
    world = make_world(shared_app.instance)
    db = shared_app.instance.db()
    token = api_tokens.add_token(db, "cms", "reviewer")["token"]
    db.close()
    shared_app.snapshot()
    return shared_app, world, token


@pytest.fixture
def ctx(door_world, cli_on, tmp_path) -> Ctx:
    shared, world, token = door_world
    shared.restore()
    api = shared.app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Ctx(shared.instance, world, shared.browser, cli_on(shared.instance), api, tmp_path)


@pytest.mark.parametrize("char", list(BAD.values()), ids=list(BAD))
@pytest.mark.parametrize("door", list(DOORS))
def test_each_bad_character_through_each_door_is_refused_or_stored_as_a_line_break_and_every_export_runs(
        door, char, ctx):
    instance = ctx.instance
    action, names = DOORS[door]
    refused, message = action(ctx, char)
    if refused:
        assert any(name in message for name in names), message
    elif char == "\ud800" and door in FORM_FIELDS:
        pass  # a form field cannot carry a lone surrogate: its bytes are not UTF-8 and arrive as U+FFFD
    else:  # stored: only as its meaning, a line break
        assert char in LINE_BREAKS, (door, repr(char))
    assert stored_bad_characters(instance) == []
    run_every_export(instance)


def test_a_lone_surrogate_anywhere_in_a_json_body_is_a_422_naming_the_field(cms_api, world):
    response = cms_api.post("/api/v1/articles", content_type="application/json",
                            data=b'{"text": "Talks in Baku\\nThey met.\\n", "title": "T\\ud800"}')
    assert response.status_code == 422, response.text
    assert "title" in response.get_json()["detail"]
    response = cms_api.post("/api/v1/check", content_type="application/json",
                            data=b'{"lang": "az", "source": "x\\udc00", "target": "y"}')
    assert response.status_code < 500, response.text


def test_a_multipart_field_named_with_a_quote_is_not_a_500(cms_api):
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nTalks in Baku\nThey met.\n'
            b'\r\n--b\r\nContent-Disposition: form-data; name="x\\""\r\n\r\nv\r\n--b--\r\n')
    response = cms_api.post("/api/v1/articles", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code < 500, response.text


# --- the migration: rows an older version stored ------------------------------------------------

def test_the_migration_repairs_rows_an_older_version_stored_and_every_export_runs(instance, world):
    db = instance.db()
    sid = world["segments"][1]["id"]
    with db.conn:
        db.execute("UPDATE articles SET title = ?, source_text = source_text || ? WHERE id = ?",
                   ["Talks\x00 in Baku", "Extra\x0bline\n", world["id"]])
        db.execute("UPDATE article_versions SET title = ? WHERE article_id = ?", ["Talks\x1b", world["id"]])
        db.execute("UPDATE segments SET text = ? WHERE id = ?", ["They\x1b signed 12 agreements.", sid])
        # a lone surrogate, as another tool could write it (Python's sqlite3 cannot)
        db.execute("UPDATE translations SET choice_note = 'note' || CAST(X'EDA080' AS TEXT) WHERE segment_id = ?",
                   [world["segments"][0]["id"]])
        db.execute("UPDATE translations SET text = ? WHERE segment_id = ? AND lang = 'az'",
                   ["Onlar\x0b 12\x00 saziş\ufffe imzaladılar.", sid])
        db.execute("UPDATE history SET after_text = ? WHERE translation_id IN "
                   "(SELECT id FROM translations WHERE segment_id = ?)", ["Onlar\x0c\x7f", sid])
        db.execute("INSERT INTO segment_comments (segment_id, lang, author, body, created_at) "
                   "VALUES (?, 'az', 'rita', ?, '2025-01-01')", [sid, "Look\x85 here\x9b"])
        db.execute("UPDATE tm_units SET target = ? WHERE id = (SELECT MIN(id) FROM tm_units)", ["Sabah\x00 xeyir"])
        db.execute("UPDATE terms SET text = text || ? WHERE rowid = (SELECT MIN(rowid) FROM terms)", ["\x1b"])
        db.execute("UPDATE concepts SET note = ? WHERE rowid = (SELECT MIN(rowid) FROM concepts)",
                   ["capital\x0c city\x00"])
    with pytest.raises(Exception):  # what the exports did before: XML cannot hold a NUL
        etree.fromstring(_unguarded_xliff(db, world["id"]))
    db.close()
    assert stored_bad_characters(instance)
    _run_hygiene_migration_again(instance)
    assert stored_bad_characters(instance) == []
    db = instance.db()
    assert store.get_article(db, world["id"])["title"] == "Talks in Baku"
    assert store.get_translation(db, sid, "az")["text"] == "Onlar\n 12 saziş imzaladılar."
    repairs = {row["table_name"]: row["rows_fixed"] for row in db.query("SELECT * FROM hygiene_repairs")}
    db.close()
    assert repairs["articles"] == 1 and repairs["translations"] == 2 and repairs["segment_comments"] == 1
    assert repairs["segments"] == 1 and repairs["history"] >= 1 and repairs["tm_units"] == 1
    assert repairs["terms"] == 1 and repairs["concepts"] == 1 and repairs["article_versions"] >= 1
    run_every_export(instance)


def _unguarded_xliff(db, article_id):
    rows = list(db.query("SELECT text FROM translations"))
    root = etree.Element("x")
    for row in rows:
        etree.SubElement(root, "t").text = row["text"]  # lxml refuses the NUL: ValueError
    return etree.tostring(root)


def _run_hygiene_migration_again(instance):
    """Open the database as a newer version would an older one's: the hygiene migration not applied."""
    conn = sqlite3.connect(instance.path / "workbench.db")
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name LIKE '%text_hygiene%'")
        conn.execute("DROP TABLE IF EXISTS hygiene_repairs")
        conn.execute("PRAGMA user_version = 0")
    conn.close()
    open_db(instance.path).close()


def test_status_reports_the_repairs(instance, world, cli):
    _ = tm  # the memory is part of the scan above
    db = instance.db()
    with db.conn:
        db.execute("UPDATE translations SET text = ? WHERE id = (SELECT MIN(id) FROM translations)", ["a\x00b"])
    db.close()
    _run_hygiene_migration_again(instance)
    report = cli.json("status")
    assert report["hygiene_repairs"] == {"translations": 1}
