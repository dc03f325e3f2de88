"""Every importer, fuzzed: any bytes, and valid files with a few bytes mutated, must give either a
clean import or the importer's own error (a UserError naming the file), never another
exception, never a partial import (the database, or the models folder, is unchanged after an
error), and each example within a deadline."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.services.actor import Actor
from workbench.services import interchange
from workbench.data import store, termbase as store_terms
from workbench.core.errors import UserError
from workbench.core.formats.articles import parse_article
from workbench.core.formats.tmx import write_tmx
from workbench.services.imports import store_article
from workbench.core.mt import packages
from workbench.core.segment import segment_text
from workbench.core.terms.files import read_glossary, write_glossary
from workbench.core.terms.model import Concept, Term

FUZZER = Actor.cli("fuzzer")  # the importer the fuzzed articles are credited to

FUZZ = settings(max_examples=50, deadline=timedelta(seconds=5), derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# Byte strings that break parsers: quotes, markup, entities, odd digits, huge numbers, NULs.
NASTY = [b'"', b"\n", b"\r", b"\t", b",", b";", b" | ", b"!", b"<", b">", b"&", b"</", b"/>", b"&amp;",
         b"<![CDATA[", b"]]>", b'<!DOCTYPE x [<!ENTITY e "boom">]>', b"&e;", b"\x00", b"\xff\xfe",
         b"\xef\xbb\xbf", "²".encode(), "٣".encode(), b"99999999999999999999", b"-1", b"0", b"article-",
         b'version="2.0"', b"xml:lang=", b"\xe2\x80\xa8", b"PK\x03\x04", b".."]


def mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    """`seed` with a few bytes replaced, inserted, deleted or duplicated."""
    edit = st.tuples(st.sampled_from(["replace", "insert", "delete", "repeat"]),
                     st.integers(0, max(len(seed) - 1, 0)),
                     st.integers(1, 16),
                     st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=6)))

    def apply(edits) -> bytes:
        data = bytearray(seed)
        for op, at, length, chunk in edits:
            at = min(at, len(data))
            if op == "replace":
                data[at:at + len(chunk)] = chunk
            elif op == "insert":
                data[at:at] = chunk
            elif op == "delete":
                del data[at:at + length]
            else:
                data[at:at] = data[at:at + length] * 3
        return bytes(data)

    return st.lists(edit, min_size=1, max_size=5).map(apply)


def inputs(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), mutations(seed))


def snapshot(db) -> dict:
    return {table: db.execute(f'SELECT * FROM "{table}"').fetchall()
            for table in db.table_names() if not table.startswith("sqlite_")}


def attempt(db, name: str, run) -> None:
    """Run one import: it succeeds, or raises a UserError naming the file and changes nothing."""
    before = snapshot(db)
    try:
        run()
    except UserError as err:
        assert name in str(err) or "pasted" in name, f"error does not name the file: {err}"
        assert snapshot(db) == before, "a refused import changed the database"


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    from workbench.data.instance import Instance

    instance = Instance(tmp_path_factory.mktemp("fuzz") / "instance")
    instance.init()
    db = instance.db()
    article_id = store.create_article(
        db, title="Talks", byline=None, filename="t.txt", fmt="txt",
        segmentation=segment_text("Talks in Baku\nCol-Gen. Rahimov met officials. They agreed.\n"))
    segment = store.segments(db, article_id)[1]
    store.save_translation(db, segment["id"], "az", "Rəhimov görüşdü.", base_version=0, user="tina",
                           status="edited")
    yield db
    db.close()


CONCEPTS = [Concept(id="rank.cg", domain="rank", note="Three-star", terms=[
    Term("en", "Colonel General", "preferred"), Term("en", "Col-Gen", "admitted"),
    Term("az", "general-polkovnik", "preferred"), Term("ru", "генерал-полковник", "preferred")]),
    Concept(id="place.baku", domain="place", terms=[Term("en", "Baku", "preferred"),
                                                     Term("az", "Bakı", "preferred"),
                                                     Term("az", "Baki", "forbidden")])]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_glossary_import(fuzz_db, fmt):
    name = f"fuzz.{fmt}"

    @FUZZ
    @given(inputs(write_glossary(CONCEPTS, fmt)))
    def run(data):
        attempt(fuzz_db, name, lambda: store_terms.import_concepts(fuzz_db, "fuzz", read_glossary(data, name)))

    run()


def test_tmx_import(fuzz_db):
    seed = write_tmx([{"source": "Officials met in Baku.", "target": "Rəsmilər Bakıda görüşdü.",
                       "target_lang": "az", "source_lang": "en", "created_by": "tina",
                       "created_at": "2026-01-01T00:00:00Z"}])

    @FUZZ
    @given(inputs(seed))
    def run(data):
        attempt(fuzz_db, "fuzz.tmx", lambda: interchange.import_tmx(fuzz_db, data, "fuzz.tmx"))

    run()


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_xliff_import(fuzz_db, version):
    article_id = store.list_articles(fuzz_db)[-1]["id"]
    seed = interchange.export_xliff(fuzz_db, article_id, "az", version)
    # Found by this test: ids whose digits int() refuses ("²") or SQLite cannot hold.
    for odd in ["\u00b2".encode(), b"99999999999999999999", "\u0663".encode()]:
        for attribute in (b'original="article-', b'id="article-', b'id="'):
            if attribute in seed:
                hostile = seed.replace(attribute, attribute + odd, 1)
                attempt(fuzz_db, "fuzz.xlf", lambda: interchange.import_xliff(fuzz_db, hostile, "fuzz.xlf", actor=Actor.person({"name": "fuzzer", "role": "translator"})))

    @FUZZ
    @given(inputs(seed))
    def run(data):
        attempt(fuzz_db, "fuzz.xlf", lambda: interchange.import_xliff(fuzz_db, data, "fuzz.xlf", actor=Actor.person({"name": "fuzzer", "role": "translator"})))

    run()


def _docx_seed() -> bytes:
    document = docx.Document()
    document.add_heading("Talks end", level=1)
    document.add_paragraph("Officials met in Baku. They agreed.")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Cell."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ARTICLE_SEEDS = {
    "txt": "Talks end\nBy Jane Doe\nOfficials met in Baku on Nov. 10. They agreed.\n".encode(),
    "md": "# Talks end\n\n*By Jane Doe*\n\nOfficials **met** in [Baku](http://x).\n\n- one\n- two\n".encode(),
    "html": (Path(__file__).parent / "data" / "news-page.html").read_bytes()[:1500]
            + b"<p>Officials <b>met</b>.</p></article></body></html>",
}


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_article_import(fuzz_db, fmt):
    name = f"fuzz.{fmt}"

    @FUZZ
    @given(inputs(ARTICLE_SEEDS[fmt]))
    def run(data):
        attempt(fuzz_db, name, lambda: store_article(fuzz_db, FUZZER, parse_article(data, name)))

    run()


def _rezip(seed: bytes, part: str, mutate) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, mutate(data) if info.filename == part else data)
    return out.getvalue()


def test_docx_import(fuzz_db):
    seed = _docx_seed()
    document_xml = zipfile.ZipFile(io.BytesIO(seed)).read("word/document.xml")
    # Mutating the zip mostly tests zipfile's checks; mutating document.xml inside a valid zip
    # reaches the XML reader.
    inner = mutations(document_xml).map(lambda xml: _rezip(seed, "word/document.xml", lambda _: xml))

    @FUZZ
    @given(st.one_of(inputs(seed), inner))
    def run(data):
        attempt(fuzz_db, "fuzz.docx", lambda: store_article(fuzz_db, FUZZER, parse_article(data, "fuzz.docx")))

    run()


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


def _package(metadata: bytes, names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("translate-en_az-1_0/metadata.json", metadata)
        for name in names:
            archive.writestr(name, b"x")
    return out.getvalue()


GOOD_METADATA = json.dumps({"package_version": "1.0", "from_code": "en", "to_code": "az",
                            "argos_version": "1.0"}).encode()
GOOD_NAMES = ["translate-en_az-1_0/model/model.bin", "translate-en_az-1_0/sentencepiece.model"]


def test_argosmodel_install(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "en_tr").mkdir()
    (models / "en_tr" / "metadata.json").write_text(json.dumps({"from_code": "en", "to_code": "tr"}))
    (tmp_path / "victim" / "x_az").mkdir(parents=True)  # what from_code "../victim/x" would replace
    (tmp_path / "victim" / "keep.txt").write_text("keep")
    (tmp_path / "victim" / "x_az" / "keep.txt").write_text("keep")
    seed = _package(GOOD_METADATA, GOOD_NAMES)
    names = st.lists(st.sampled_from(["../evil.txt", "/abs.txt", "translate-en_az-1_0/../../x",
                                                   "other/model.bin", "C:/x", "translate-en_az-1_0/\x00",
                                                   "translate-en_az-1_0/model/../model.bin"]),
                     max_size=4, unique=True)
    # Language codes: well-formed, missing, of the wrong type, or naming other folders.
    code = st.one_of(st.sampled_from(["en", "az", "tr", "ru"]), st.from_regex(r"\A[a-z]{2,3}\Z"),
                     st.sampled_from(["", None, 5, ["en"], {"x": 1}, "../victim/x", "..", ".", "a/b",
                                      "/tmp", ".hidden", "en\x00", "..\\x"]),
                     st.text(max_size=8))
    metadata = st.one_of(
        st.fixed_dictionaries({"from_code": code, "to_code": code}).map(lambda d: json.dumps(d).encode()),
        st.sampled_from([b"", b"{", b"[]", b"null", b'{"from_code": "en"}', "\u00e9".encode("latin-1"),
                         b'{"from_code": "en", "to_code": "az", "package_version": {"x": []}}']))
    structured = st.builds(lambda meta, extra: _package(meta, GOOD_NAMES + extra), metadata, names)

    def check(data):
        file = tmp_path / "fuzz.argosmodel"
        file.write_bytes(data)
        before = _tree(models)
        try:
            installed = packages.install(file, models)
        except UserError as err:
            assert "fuzz.argosmodel" in str(err)
            assert _tree(models) == before, "a refused package changed the models folder"
        else:
            assert installed.path.resolve().parent == models.resolve()
            packages.remove(models, installed.pair)
        assert _tree(tmp_path / "victim") == {"keep.txt": 4, "x_az/keep.txt": 4}
        assert not any(p.name.startswith(".installing-") for p in models.iterdir())

    for hostile in ["../victim/x", "../../victim", "..", "a/b", "/tmp"]:  # always tried, whatever is drawn
        check(_package(json.dumps({"from_code": hostile, "to_code": "az"}).encode(), GOOD_NAMES))

    @FUZZ
    @given(st.one_of(inputs(seed), structured))
    def run(data):
        check(data)

    run()
