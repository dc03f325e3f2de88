"""Issue 21 item 2: role capabilities as settings ([permissions] in workbench.toml) with the
newsroom's defaults, enforced in the services whatever the door."""

from __future__ import annotations

import pytest

from workbench.core import permissions
from workbench.core.errors import Forbidden
from workbench.core.formats.articles import parse_article
from workbench.data import users
from workbench.data.instance import SettingsError, permissions_for
from workbench.services import articles, assignments, machine_translation, story_versions
from workbench.services.actor import Actor, require_capability

TEXT = b"Talks in Baku\nThe ministers met in Baku on Monday.\n"


@pytest.fixture
def newsroom(instance):
    """An instance with no [permissions]: the defaults."""
    instance.settings_file.write_text("# our newsroom\n", encoding="utf-8")
    db = instance.db()
    for name, role in (("tina", "translator"), ("tom", "translator"), ("rita", "reviewer"), ("adam", "admin")):
        users.add_user(db, name, "correct horse", role)
    yield instance, db, {n: Actor.person(users.get_user(db, n)) for n in ("tina", "tom", "rita", "adam")}
    db.close()


def _doc():
    return parse_article(TEXT, "talks.txt", "txt")


def test_defaults_translators_edit_reviewers_import_upload_translate_and_assign(newsroom):
    instance, db, people = newsroom
    tina, rita, adam = people["tina"], people["rita"], people["adam"]
    with pytest.raises(Forbidden, match=r"tina may not import articles: reviewers and admins may "
                                        r"\(\[permissions\] import in workbench.toml\)"):
        articles.create_article(db, tina, _doc())
    article = articles.create_article(db, rita, _doc())["article"]
    with pytest.raises(Forbidden, match="tina may not upload new versions of a story"):
        story_versions.store_version(db, tina, article, _doc())
    with pytest.raises(Forbidden, match="tina may not start machine translation"):
        machine_translation.start_job(instance, db, article, ["az"], tina)
    with pytest.raises(Forbidden, match="tina may not assign work"):
        assignments.assign(db, tina, article, "az", translator="tom")
    assert assignments.take(db, tina, article, "az")["translator"] == "tina"  # Take stays a translator's
    assert assignments.assign(db, rita, article, "az", translator="tom")["translator"] == "tom"
    require_capability(db, rita, "start_mt")
    require_capability(db, rita, "upload_versions")
    with pytest.raises(Forbidden, match="rita may not change glossaries: admins may"):
        require_capability(db, rita, "manage_glossaries")
    for capability in permissions.DEFAULTS:
        require_capability(db, adam, capability)


def test_an_override_in_workbench_toml(newsroom):
    instance, db, people = newsroom
    instance.settings_file.write_text('[permissions]\nimport = ["translator", "reviewer"]\n'
                                      'manage_glossaries = ["reviewer"]\nassign = []\n', encoding="utf-8")
    assert articles.create_article(db, people["tina"], _doc())["article"]
    require_capability(db, people["rita"], "manage_glossaries")
    require_capability(db, people["adam"], "assign")  # admins hold everything, listed or not
    with pytest.raises(Forbidden, match="rita may not assign work: admins may"):
        require_capability(db, people["rita"], "assign")
    with pytest.raises(Forbidden):  # not named: the default stays
        require_capability(db, people["tina"], "start_mt")


@pytest.mark.parametrize("table, message", [
    ('[permissions]\nimprot = ["reviewer"]\n', "has no setting improt; use import, upload_versions"),
    ('[permissions]\nimport = ["editor"]\n', "import names 'editor'; the roles are translator, reviewer, admin"),
    ('[permissions]\nimport = "reviewer"\n', "import must be a list of roles"),
])
def test_a_wrong_setting_names_the_file_key_and_fix(newsroom, table, message):
    instance, db, _ = newsroom
    instance.settings_file.write_text(table, encoding="utf-8")
    with pytest.raises(SettingsError, match="workbench.toml") as refused:
        permissions_for(db)
    assert message in str(refused.value)

