"""BCP 47 target languages from other CAT tools: normalised to ours, foreign ones refused whole."""

import pytest

from workbench.services.actor import Actor
from workbench.services import interchange
from workbench.data import store
from workbench.core.formats.xliff import XLIFFError
from workbench.services.machine_translation import translate_pending
from workbench.core.langs import target_lang
from workbench.core.segment import segment_text


@pytest.mark.parametrize("tag, ours", [
    ("az", "az"), ("az-AZ", "az"), ("az-Latn", "az"), ("az-Latn-AZ", "az"), ("az_AZ", "az"), ("AZ", "az"),
    ("aze", "az"), ("tr-TR", "tr"), ("tur", "tr"), ("ru-RU", "ru"), ("rus", "ru"), ("ru-Cyrl", "ru"),
    ("az-Arab", None), ("az-IR", None), ("az-Cyrl", None), ("ru-Latn", None), ("de", None), ("de-DE", None),
    ("en", None), ("xx", None), ("", None), ("az\n", None), ("az-x-private", None), ("x-az", None),
    ("azb", None), ("../az", None),
])
def test_target_lang(tag, ours):
    assert target_lang(tag) == ours


def _exported(db, fake_engine, version="1.2"):
    article_id = store.create_article(db, title="T", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("Talks\nOne sentence.\n"))
    translate_pending(db, {"az": fake_engine("az")})
    return article_id, interchange.export_xliff(db, article_id, "az", version)


@pytest.mark.parametrize("version, attribute", [("1.2", b'target-language="az"'), ("2.0", b'trgLang="az"')])
@pytest.mark.parametrize("tag", ["az-AZ", "az-Latn"])
def test_an_xliff_in_az_AZ_updates_the_az_segments_the_editor_shows(db, fake_engine, version, attribute, tag):
    article_id, data = _exported(db, fake_engine, version)
    assert attribute in data
    data = data.replace(attribute, attribute.replace(b'"az"', f'"{tag}"'.encode())).replace(
        b"[az] One sentence.", b"Bir c\xc3\xbcml\xc9\x99.")
    counts = interchange.import_xliff(db, data, "cat.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert (counts["lang"], counts["updated"]) == ("az", 1)
    texts = {t["text"] for t in store.article_translations(db, article_id, "az").values()}
    assert "Bir cümlə." in texts
    assert db.execute("SELECT DISTINCT lang FROM translations").fetchall() == [("az",)]


@pytest.mark.parametrize("version, attribute", [("1.2", b'target-language="az"'), ("2.0", b'trgLang="az"')])
@pytest.mark.parametrize("tag", ["de", "xx", "az-Arab", "en"])
def test_an_xliff_into_a_language_we_do_not_translate_into_is_refused(db, fake_engine, version, attribute, tag):
    _, data = _exported(db, fake_engine, version)
    data = data.replace(attribute, attribute.replace(b'"az"', f'"{tag}"'.encode())).replace(
        b"[az] One sentence.", b"Eins.")
    with pytest.raises(XLIFFError, match=rf"cat.xlf: line \d+: .*'{tag}' is not a language this workbench "
                                         r"translates into \(az, tr, ru\)"):
        interchange.import_xliff(db, data, "cat.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert db.execute("SELECT DISTINCT lang FROM translations").fetchall() == [("az",)]
    assert db.execute("SELECT COUNT(*) FROM translations WHERE text = 'Eins.'").fetchone()[0] == 0


def test_exporting_into_a_language_we_do_not_translate_into_is_refused(cli, db):
    article_id = store.create_article(db, title="T", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("Talks\nOne sentence.\n"))
    result = cli("export", str(article_id), "--lang", "xx", ok=False)
    assert result.exit_code == 2 and "'xx' is not one of 'az', 'tr', 'ru'" in result.output
    assert "One sentence." not in result.output
