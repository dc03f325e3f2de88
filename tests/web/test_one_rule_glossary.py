"""One rule, one place: glossary writes (form, file import, suggestions, candidates, shipped
glossaries) share one validation, credit their actor and recheck the translations; comments share
one role rule."""

from __future__ import annotations

import getpass
import io

from workbench.data import instance as instance_module

NO_ENGLISH = "id,domain,note,en,az\nplace.lankaran,place,,Lankaran,Lənkəran\nplace.x,place,,,Xaçmaz\n".encode()
FORM = {"id": "place.x", "domain": "place", "terms_en": "", "terms_az": "Xaçmaz", "terms_tr": "", "terms_ru": ""}


def _concept_ids(cli, name):
    return {c["id"] for c in cli.json("terms", "search", name)["concepts"]}


def _history(instance, concept_id):
    db = instance.db()
    try:
        return [(row["action"], row["changed_by"]) for row in db.query(
            "SELECT action, changed_by FROM concept_history WHERE concept_id = ? ORDER BY id", [concept_id])]
    finally:
        db.close()


def test_a_concept_without_an_english_term_is_refused_through_every_door(browser, cli, tmp_path):
    adam = browser("adam")
    form = adam.post("/glossary/places-organisations/concepts/new", FORM, htmx=False)
    assert form.status_code == 400 and "no English term" in form.text
    web_import = adam.post("/glossary/import", {"file": (io.BytesIO(NO_ENGLISH), "south.csv")}, htmx=False,
                           content_type="multipart/form-data")
    assert web_import.status_code == 400 and "place.x" in web_import.text and "no English term" in web_import.text
    (tmp_path / "south.csv").write_bytes(NO_ENGLISH)
    cli_import = cli("glossary", "import", str(tmp_path / "south.csv"), ok=False)
    assert cli_import.exit_code == 1 and "'place.x'" in cli_import.output and "no English term" in cli_import.output
    suggestion = cli("terms", "suggest", "--glossary", "places-organisations", "--id", "place.x", "--domain",
                     "place", "--term", "az=Xaçmaz", "--by", "tina", ok=False)
    assert suggestion.exit_code == 1 and "no English term" in suggestion.output
    # All or nothing: the file's good concept was not imported either.
    assert "south" not in {g["name"] for g in cli.json("glossary", "list")["glossaries"]}


def test_cli_glossary_writes_credit_their_actor_and_need_an_admin(browser, cli, tmp_path):
    good = tmp_path / "south.csv"
    good.write_bytes(b"id,domain,note,en,az\nplace.lankaran,place,,Lankaran,L\xc9\x99nk\xc9\x99ran\n")
    refused = cli("glossary", "import", str(good), "--user", "tina", ok=False)
    assert refused.exit_code == 1 and "tina" in refused.output and "admin" in refused.output
    assert cli.json("glossary", "import", str(good), "--user", "adam")["added"] == 1
    good.write_bytes(b"id,domain,note,en,az\nplace.lankaran,place,,Lankaran,L\xc9\x99nk\xc9\x99ran | Lenkeran\n")
    assert cli.json("glossary", "import", str(good))["updated"] == 1  # no --user: the OS account
    assert _history(cli.instance, "place.lankaran") == [("import", "adam"), ("import", getpass.getuser())]
    number = cli("terms", "suggest", "--glossary", "south", "--id", "place.masalli", "--domain", "place",
                 "--term", "en=Masalli", "--term", "az=Masallı", "--user", "tina").stdout.split()[1]
    cli("terms", "accept", number)  # no --by: the OS account decides
    assert _history(cli.instance, "place.masalli") == [(f"suggestion {number} by tina accepted", getpass.getuser())]


def test_shipped_glossaries_follow_the_import_rule_and_recheck_translations(browser, cli, tmp_path, monkeypatch):
    tina = browser("tina")
    tina.post("/articles", {"text": "Meeting\nThe officials met in Lankaran.\n", "format": "txt"}, htmx=False)
    db = cli.instance.db()
    segment_id = db.execute("SELECT id FROM segments WHERE text = 'The officials met in Lankaran.'").fetchone()[0]
    db.close()
    saved = tina.post(f"/articles/1/az/segments/{segment_id}", {"text": "Rəsmilər görüşdü.", "base_version": 0})
    assert saved.status_code == 200
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "south.tsv").write_bytes(b"id\tdomain\tnote\ten\taz\nplace.lankaran\tplace\t\tLankaran\tL\xc9\x99nk\xc9\x99ran\n")
    monkeypatch.setattr(instance_module, "GLOSSARIES_DIR", shipped)
    cli("init")
    assert "south" in {g["name"] for g in cli.json("glossary", "list")["glossaries"]}
    # The translation written before the glossary came is checked against it now.
    findings = _findings(cli.instance, segment_id)
    assert ("place.lankaran", "missing") in findings
    # A shipped glossary is held to the rule of any import.
    (shipped / "broken.tsv").write_bytes(b"id\tdomain\tnote\ten\taz\nplace.y\tplace\t\t\tY\n")
    failed = cli("init", ok=False)
    assert failed.exit_code == 1 and "'place.y'" in failed.output and "no English term" in failed.output
    assert "broken" not in {g["name"] for g in cli.json("glossary", "list")["glossaries"]}


def _findings(instance, segment_id):
    db = instance.db()
    try:
        return [(row["concept"], row["status"]) for row in db.query(
            "SELECT f.concept, f.status FROM term_findings f JOIN translations t ON t.id = f.translation_id "
            "WHERE t.segment_id = ? AND t.lang = 'az'", [segment_id])]
    finally:
        db.close()


def test_comment_rules_hold_for_every_actor(app, article, instance):
    from workbench.core.errors import Forbidden
    from workbench.data import users
    from workbench.services import comments
    from workbench.services.actor import Actor

    db = instance.db()
    tina, rita = (Actor.person(users.get_user(db, name)) for name in ("tina", "rita"))
    cli_actor = Actor.cli()
    first = comments.add(db, rita, article["segments"][0]["id"], "az", "Check the title.")
    mine = comments.add(db, tina, article["segments"][0]["id"], "az", "Done.")
    try:
        comments.resolve(db, tina, first["id"])
    except Forbidden as err:
        assert err.status == 403
    else:
        raise AssertionError("a translator resolved someone else's comment")
    assert comments.resolve(db, tina, mine["id"])["resolved_by"] == "tina"
    assert comments.resolve(db, cli_actor, first["id"])["resolved_by"] == cli_actor.name
    assert comments.reopen(db, rita, first["id"])["resolved_at"] is None
    db.close()
