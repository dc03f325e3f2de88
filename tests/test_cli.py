"""The `workbench` command line, through click's runner, on a temporary instance."""

import click
import pytest

from workbench.data import store
from workbench.console import main


def _all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path,command", list(_all_commands(main)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_with_an_example(path, command):
    assert command.help and "Example:" in command.help, f"`workbench {' '.join(path)}` lacks an example"
    assert "-" not in "".join(path).replace("-", "") and path[-1] == path[-1].lower()


def test_init_is_idempotent(cli, instance):
    assert "Checked instance" in cli("init").output
    assert cli.instance.db_path.exists() and (instance.path / "secret_key").exists()


def test_import_segment_translate_export(cli, tiny_packages, tmp_path, demo_article):
    assert cli.json("segment", str(demo_article))["segments"][0] == {
        "index": 0, "paragraph": 0, "text": "Baku and Ankara review joint defence training plans",
        "start": 0, "end": 51}
    imported = cli.json("import", str(demo_article))
    assert imported == {"article": 1, "segments": 13, "paragraphs": 10}
    failed = cli("translate", "--to", "az", ok=False)
    assert failed.exit_code != 0
    assert "en->az" in failed.output and "workbench models install" in failed.output
    assert "Traceback" not in failed.output
    installed = cli.json("models", "install", str(tiny_packages["en_az"]))
    assert installed["installed"][0]["to"] == "az"
    listed = cli.json("models", "list")["models"]
    assert [(m["from"], m["to"], m["version"]) for m in listed] == [("en", "az", "1.0")]
    assert listed[0]["path"].endswith("models/en_az")
    summary = cli.json("translate", "--to", "az", "--article", str(imported["article"]),
                       "--beam-size", "2", "--hypotheses", "2")
    assert summary["languages"]["az"]["translated"] == 13 and summary["interrupted"] is False
    assert cli.json("translate", "--to", "az")["translated"] == 0
    out = tmp_path / "out.html"
    cli("export", str(imported["article"]), "--lang", "az", "--format", "html", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    cli("models", "remove", "en-az")
    assert cli.json("models", "list") == {"models": []}


def test_missing_model_is_reported_before_any_work(cli, tiny_packages, db, demo_article):
    cli.json("import", str(demo_article))
    cli("models", "install", str(tiny_packages["en_az"]))
    result = cli("translate", "--to", "az,tr", ok=False)
    assert result.exit_code == 1 and "en->tr" in result.output
    assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 0


def test_import_is_all_or_nothing(cli, tmp_path, db):
    good = tmp_path / "good.txt"
    good.write_text("Title\nBody.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\xff\xfe\n")
    result = cli("import", str(good), str(bad), ok=False)
    assert result.exit_code == 1 and "bad.txt: line 2: not valid UTF-8" in result.output
    assert "Traceback" not in result.output
    assert store.list_articles(db) == []


def test_several_files_import_together(cli, tmp_path):
    paths = []
    for name in ("a.txt", "b.md"):
        path = tmp_path / name
        path.write_text("# Title\n\nOne. Two.\n" if name.endswith(".md") else "Title\nOne. Two.\n")
        paths.append(str(path))
    data = cli.json("import", *paths)
    assert [a["segments"] for a in data["articles"]] == [3, 3]


def test_export_of_unknown_article(cli):
    result = cli("export", "99", "--lang", "az", ok=False)
    assert result.exit_code == 1 and "article 99 does not exist" in result.output


def test_demo_without_models_says_how_to_install_them(cli):
    result = cli("demo", "--no-serve")
    assert "No MT package for en->az, en->tr, en->ru" in result.output
    assert "workbench models install translate-en_az" in result.output
    assert "===== az =====\nBaku and Ankara review joint defence training plans" in result.output
    cli("demo", "--no-serve")  # a second run reuses the demo article
    assert len(store.list_articles(cli.instance.db())) == 1


def test_demo_translates_with_installed_models(cli, tiny_packages):
    for pair in ("en_az", "en_tr", "en_ru"):
        cli("models", "install", str(tiny_packages[pair]))
    result = cli("demo", "--no-serve")
    assert "az: 13 segments machine-translated with mt:translate-en_az-1_0" in result.output
    assert "No MT package" not in result.output


def test_xliff_tm_qa_and_stats_commands(cli, tmp_path, db, fake_engine, demo_article, save_as):
    from workbench.services.machine_translation import translate_pending

    imported = cli.json("import", str(demo_article))
    translate_pending(db, {"az": fake_engine("az")})
    xlf = tmp_path / "a.xlf"
    cli("export", str(imported["article"]), "--lang", "az", "--format", "xliff", "-o", str(xlf))
    edited = xlf.read_bytes().replace(b"[az] By Workbench Newsroom", "Workbench redaksiyası".encode())
    xlf.write_bytes(edited)
    xlf2 = tmp_path / "a2.xlf"
    cli("export", str(imported["article"]), "--lang", "az", "--format", "xliff2", "-o", str(xlf2))
    assert b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"' in xlf2.read_bytes()
    counts = cli.json("import-xliff", str(xlf))
    assert counts["updated"] == 1 and counts["article"] == imported["article"] and counts["lang"] == "az"
    first = store.segments(db, imported["article"])[1]
    assert store.get_translation(db, first["id"], "az")["text"] == "Workbench redaksiyası"
    save_as(db, first["id"], "az", "Workbench redaksiyası", user="rita", status="approved",
            base_version=store.get_translation(db, first["id"], "az")["version"])
    tmx = tmp_path / "m.tmx"
    cli("tm", "export", "--lang", "az", "-o", str(tmx))
    assert "Workbench redaksiyası" in tmx.read_text(encoding="utf-8")
    counts = cli.json("tm", "import", str(tmx))  # the memory's own unit again: merged, not stored twice
    assert (counts["read"], counts["stored"], counts["merged"], counts["skipped"]) == (1, 0, 1, {})
    findings = cli.json("qa", str(imported["article"]), "--lang", "az")["findings"]
    assert findings and set(findings[0]) == {"segment", "check", "severity", "message"}
    assert cli.json("stats")["groups"][0]["approved"] == 1
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx>")
    failed = cli("tm", "import", str(bad), ok=False)
    assert failed.exit_code == 1 and "bad.tmx: line" in failed.output


def test_users_add_list_and_set_password(cli, tmp_path, db):
    from workbench.data import users

    secret = tmp_path / "pw.txt"
    secret.write_text("first password\n")
    assert "Added ana (reviewer)" in cli("users", "add", "ana", "--role", "reviewer", "--password-file", str(secret)).output
    assert users.authenticate(db, "ana", "first password")["role"] == "reviewer"
    assert "ana" in cli("users", "list").output
    cli("users", "set-password", "ana", input="second password\nsecond password\n")
    assert users.authenticate(db, "ana", "second password") and not users.authenticate(db, "ana", "first password")
    short = cli("users", "add", "bob", "--role", "admin", input="short\nshort\n", ok=False)
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    assert cli("users", "add", "ana", "--role", "admin", "--password-file", str(secret), ok=False).exit_code == 1
