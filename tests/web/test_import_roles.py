"""An XLIFF import applies the importing user's role and the editor's reason-for-errors rule."""

import io
import re

from workbench.services.actor import Actor
from workbench.services import interchange
from workbench.data import store, tm
from workbench.core.segment import segment_text


def _article(db):
    article_id = store.create_article(
        db, title="t", byline=None, filename="a.txt", fmt="txt",
        segmentation=segment_text("Talks\nThe talks ended on Monday. They agreed.\n"))
    return article_id, store.segments(db, article_id)


def _final(db, article_id, targets: dict[str, str], version="1.2"):
    """An exported XLIFF whose units get these targets, marked final (state="final"), in place of the
    copy of the source an untranslated unit carries."""
    data = interchange.export_xliff(db, article_id, "az", version).decode()
    for source, target in targets.items():
        found = re.escape(source)
        if version == "1.2":
            data, n = re.subn(rf'(<source>{found}</source>\s*)<target state="new">{found}</target>',
                              rf'\1<target state="final">{target}</target>', data)
        else:
            data, n = re.subn(rf'<segment state="initial">(\s*<source xml:space="preserve">{found}</source>\s*)'
                              rf'<target xml:space="preserve">{found}</target>',
                              rf'<segment state="final">\1<target xml:space="preserve">{target}</target>', data)
        assert n == 1, data
    return data.encode()


def test_a_translators_import_never_approves(db):
    article_id, segments = _article(db)
    data = _final(db, article_id, {"The talks ended on Monday.": "Danışıqlar bazar ertəsi başa çatdı."})
    counts = interchange.import_xliff(db, data, "final.xlf", actor=Actor.person({"name": "tina", "role": "translator"}))
    row = store.get_translation(db, segments[1]["id"], "az")
    assert (row["text"], row["status"]) == ("Danışıqlar bazar ertəsi başa çatdı.", "edited")
    assert tm.exact(db, "The talks ended on Monday.", "az") is None
    assert counts["updated"] == 1
    assert counts["not_approved"] == [{"segment": segments[1]["id"], "number": 2,
                                       "reason": "the role translator may not approve"}]
    assert "not approved" in store.history(db, segments[1]["id"], "az")[0]["note"]
    assert "segment 2 not approved: the role translator may not approve" in interchange.xliff_summary(counts)


def test_approved_yes_and_xliff2_final_are_ignored_for_translators_too(db):
    article_id, segments = _article(db)
    data = interchange.export_xliff(db, article_id, "az").decode().replace(
        '<target state="new">They agreed.</target>', '<target>Razılaşdılar.</target>')
    data = data.replace(f'<trans-unit id="{segments[2]["id"]}"', f'<trans-unit approved="yes" id="{segments[2]["id"]}"')
    interchange.import_xliff(db, data.encode(), "yes.xlf", actor=Actor.person({"name": "tina", "role": "translator"}))  # role defaults to translator
    assert store.get_translation(db, segments[2]["id"], "az")["status"] == "edited"
    data2 = _final(db, article_id, {"Talks": "Danışıqlar"}, "2.0")
    counts = interchange.import_xliff(db, data2, "final.xlf", actor=Actor.person({"name": "tina", "role": "translator"}))
    assert store.get_translation(db, segments[0]["id"], "az")["status"] == "edited"
    assert [r["number"] for r in counts["not_approved"]] == [1]


def test_a_reviewer_approves_by_import_only_without_errors(db):
    article_id, segments = _article(db)
    data = _final(db, article_id, {"The talks ended on Monday.": "Danışıqlar bazar ertəsi başa çatdı.",
                                   "They agreed.": "They agreed."})  # left in English: an error that needs a reason
    counts = interchange.import_xliff(db, data, "final.xlf", actor=Actor.person({"name": "rita", "role": "reviewer"}))
    assert store.get_translation(db, segments[1]["id"], "az")["status"] == "approved"
    assert tm.exact(db, "The talks ended on Monday.", "az")["target"] == "Danışıqlar bazar ertəsi başa çatdı."
    blocked = store.get_translation(db, segments[2]["id"], "az")
    assert (blocked["text"], blocked["status"]) == ("They agreed.", "edited")
    assert [(r["number"], "needs a reason" in r["reason"]) for r in counts["not_approved"]] == [(3, True)]
    assert "same as the English source" in counts["not_approved"][0]["reason"]


def test_cli_import_acts_as_a_translator_unless_a_user_is_named(cli, db):
    from workbench.data import users

    users.add_user(db, "rita", "correct horse", "reviewer")
    article_id, segments = _article(db)
    xlf = cli.instance.path.parent / "final.xlf"
    xlf.write_bytes(_final(db, article_id, {"Talks": "Danışıqlar"}))
    counts = cli.json("import-xliff", str(xlf))
    assert store.get_translation(db, segments[0]["id"], "az")["status"] == "edited"
    assert counts["not_approved"][0]["number"] == 1
    xlf.write_bytes(_final(db, article_id, {}).replace(b'state="translated"', b'state="final"'))  # re-exported
    counts = cli.json("import-xliff", str(xlf), "--user", "rita")
    row = store.get_translation(db, segments[0]["id"], "az")
    assert (row["status"], row["updated_by"], counts["not_approved"]) == ("approved", "import of final.xlf by rita", [])
    missing = cli("import-xliff", str(xlf), "--user", "nobody", ok=False)
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output
    users.set_disabled(db, "rita", True)
    disabled = cli("import-xliff", str(xlf), "--user", "rita", ok=False)
    assert disabled.exit_code == 1 and "is disabled" in disabled.output


def test_web_import_applies_the_signed_in_role(browser, instance):  # noqa: F811
    db = instance.db()
    article_id, segments = _article(db)
    data = _final(db, article_id, {"Talks": "Danışıqlar"})
    tina = browser("tina")
    back = tina.post("/articles/import-xliff", {"file": (io.BytesIO(data), "a.xlf")}, htmx=False,
                     content_type="multipart/form-data")
    assert back.status_code == 302
    assert "segment 1 not approved" in tina.get(back.headers["Location"]).text
    assert store.get_translation(db, segments[0]["id"], "az")["status"] == "edited"
    data = _final(db, article_id, {}).replace(b'state="translated"', b'state="final"')  # re-exported
    rita = browser("rita")
    rita.post("/articles/import-xliff", {"file": (io.BytesIO(data), "a.xlf")}, htmx=False,
              content_type="multipart/form-data")
    assert store.get_translation(db, segments[0]["id"], "az")["status"] == "approved"
