"""The web import forms' "Skip invalid entries" checkbox (TMX and glossary files)."""

from __future__ import annotations

import io

from pathlib import Path

from workbench.data import tm

DATA = Path(__file__).parents[1] / "data" / "interop"
BAD = (DATA / "invalid-units.tmx").read_bytes()

def test_memory_import_refuses_a_file_with_invalid_units_unless_skip_invalid(browser, instance):
    adam = browser("adam")
    page = adam.get("/memory").text
    assert 'name="skip_invalid"' in page and "Skip invalid entries" in page
    refused = adam.post("/memory/import", {"file": (io.BytesIO(BAD), "bad.tmx")}, htmx=False,
                        content_type="multipart/form-data")
    assert refused.status_code == 400 and "nothing was imported" in refused.text
    assert "tu &#39;b&#39; (line 3)" in refused.text
    db = instance.db()
    assert tm.units(db) == []
    done = adam.post("/memory/import", {"file": (io.BytesIO(BAD), "bad.tmx"), "skip_invalid": "1"}, htmx=False,
                     content_type="multipart/form-data")
    assert done.status_code == 302
    shown = adam.get(done.headers["Location"]).text
    assert "stored 2 (az, tr)" in shown and "tu &#39;c&#39; (line 4)" in shown
    assert len(tm.units(db)) == 2
