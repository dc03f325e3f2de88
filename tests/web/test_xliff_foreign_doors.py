"""A foreign XLIFF comes in the same through every door: the web upload, the API and the CLI."""

import io
from pathlib import Path

from workbench.data import store

FILE = Path(__file__).parent.parent / "data" / "xliff-foreign" / "trados-style.sdlxliff"


def _stored(instance, article_id):
    db = instance.db()
    segments = store.segments(db, article_id)
    first = store.get_translation(db, segments[0]["id"], "ru")
    db.close()
    return len(segments), first["text"] if first else None


def test_every_door_imports_the_same_article(instance, browser, api, cli):
    expected = (2, "Официальные лица встретились в Баку.")
    web = browser("rita").post("/articles", htmx=False, content_type="multipart/form-data",
                               data={"file": (io.BytesIO(FILE.read_bytes()), FILE.name)})
    assert web.status_code == 302, web.text
    via_api = api("POST", "/articles", token="reviewer", content_type="multipart/form-data",
                  data={"file": (io.BytesIO(FILE.read_bytes()), FILE.name)})
    assert via_api.status_code == 201, via_api.text
    via_cli = cli.json("import", str(FILE))
    ids = sorted([via_api.get_json()["article"], via_cli["article"]])
    db = instance.db()
    all_ids = [a["id"] for a in store.list_articles(db)]
    db.close()
    assert len(all_ids) == 3
    for article_id in all_ids:
        assert _stored(instance, article_id) == expected
    assert set(ids) <= set(all_ids)
