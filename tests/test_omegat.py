"""Issue 22 item 3: OmegaT (Debian's package, run headless with --mode=console-translate) works on
the workbench's XLIFF export: every unit is offered to it, the units its project memory fills come
back, and a unit it leaves alone (its target still the copy of the source, state "new") stays
untranslated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from workbench.core.formats.articles import parse_article
from workbench.data import store
from workbench.services import articles, exports, interchange
from workbench.services.actor import Actor

OMEGAT = shutil.which("omegat")
pytestmark = pytest.mark.skipif(OMEGAT is None, reason="OmegaT is not installed (Debian package omegat; .ci/run installs it)")

STORY = ("Talks in Baku\nThe ministers met in Baku on Monday. They signed two agreements.\n"
         "Officials declined to comment.\n")
PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes/>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>en</source_lang>
        <target_lang>az</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""
# The project memory a freelancer's OmegaT project holds (OmegaT writes TMX 1.1 like this).
MEMORY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="3.6.0" segtype="sentence" srclang="en"/>
  <body>
    <tu>
      <tuv lang="en"><seg>The ministers met in Baku on Monday.</seg></tuv>
      <tuv lang="az" changeid="freelancer" changedate="20261207T120000Z"><seg>Nazirlər bazar ertəsi Bakıda görüşdülər.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="en"><seg>Officials declined to comment.</seg></tuv>
      <tuv lang="az" changeid="freelancer" changedate="20261207T120000Z"><seg>Rəsmilər şərh verməkdən imtina etdilər.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def _omegat_project(root: Path, xliff: bytes, name: str) -> Path:
    for folder in ("source", "target", "tm", "omegat", "glossary", "dictionary"):
        (root / folder).mkdir(parents=True)
    (root / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (root / "omegat" / "project_save.tmx").write_text(MEMORY, encoding="utf-8")
    (root / "source" / name).write_bytes(xliff)
    return root


def test_omegat_fills_what_its_memory_knows_and_nothing_else_comes_back_as_translated(db, tmp_path):
    reviewer = Actor.person({"name": "rita", "role": "reviewer"})
    created = articles.create_article(db, reviewer, parse_article(STORY.encode(), "talks.txt"))
    exported = exports.export(db, created["article"], "az", "xliff")
    project = _omegat_project(tmp_path / "project", exported.data, exported.filename)
    run = subprocess.run([OMEGAT, "--mode=console-translate", str(project)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    translated = (project / "target" / exported.filename).read_bytes()
    counts = interchange.import_xliff(db, translated, exported.filename, Actor.importer(exported.filename, reviewer))
    assert counts["updated"] == 2
    segments = store.segments(db, created["article"])
    stored = {s["text"]: store.get_translation(db, s["id"], "az") for s in segments}
    assert stored["The ministers met in Baku on Monday."]["text"] == "Nazirlər bazar ertəsi Bakıda görüşdülər."
    assert stored["Officials declined to comment."]["text"] == "Rəsmilər şərh verməkdən imtina etdilər."
    for untouched in ("Talks in Baku", "They signed two agreements."):  # left alone by OmegaT
        assert stored[untouched] is None or stored[untouched]["status"] == "untranslated"
