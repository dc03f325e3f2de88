"""The source language is checked at import (core/source_language.py): an article that is not
English is imported with a warning naming the language, from the text (py3langid) and from the
file's own language (<html lang>, .docx w:lang); a few words never warn on a weak guess."""

from __future__ import annotations

import io
import re

import docx
import pytest

from workbench.core import source_language
from workbench.core.formats.articles import parse_article

TEXTS = {
    "tr": ("Bakü'de bakanlar görüştü\nSavunma bakanları salı günü Bakü'de üç saat süren bir toplantı yaptı. "
           "Toplantıda iki ülke arasındaki askeri işbirliği ve haziran ayında yapılacak ortak tatbikat ele alındı."),
    "ru": ("Министры встретились в Баку\nМинистры обороны во вторник провели в Баку трёхчасовую встречу. "
           "Стороны обсудили военное сотрудничество двух стран и совместные учения, запланированные на июнь."),
    "az": ("Nazirlər Bakıda görüşüb\nMüdafiə nazirləri çərşənbə axşamı Bakıda üç saat davam edən görüş keçiriblər. "
           "Görüşdə iki ölkə arasında hərbi əməkdaşlıq və iyun ayında keçiriləcək birgə təlimlər müzakirə olunub."),
    "en": ("Ministers meet in Baku\nThe defence ministers met in Baku on Tuesday for three hours. They discussed "
           "military cooperation between the two countries and a joint exercise planned for June."),
}
NAMES = {"tr": "Turkish", "ru": "Russian", "az": "Azerbaijani"}


@pytest.mark.parametrize("lang", ["tr", "ru", "az"])
def test_a_non_english_article_is_named_in_a_warning(lang):
    doc = parse_article(TEXTS[lang].encode(), "story.txt")
    assert doc.source_language.detected == lang and doc.source_language.confidence >= 0.9
    assert doc.warnings == [f"story.txt: this article looks like {NAMES[lang]} ({lang}), not English: check it is "
                            "the English original before translating it"]


def test_an_english_article_is_not_warned_about():
    doc = parse_article(TEXTS["en"].encode(), "story.txt")
    assert doc.source_language.detected == "en" and doc.warnings == []


@pytest.mark.parametrize("text", ["Bakü görüşmesi", "Встреча в Баку", "Ilham Aliyev meets Recep Tayyip Erdogan",
                                  "Baku", "Nagorno-Karabakh talks resume in Baku"])
def test_a_few_words_never_warn_on_a_weak_guess(text):
    doc = parse_article(text.encode(), "short.txt")
    assert doc.source_language.detected is None and doc.warnings == []


def test_the_identifier_alone_is_unsure_on_a_few_words():
    """Why the minimum length: py3langid's guess on names and headlines is weak (and often wrong)."""
    identifier = source_language._identifier()
    for text in ["Baku", "Ilham Aliyev meets Recep Tayyip Erdogan in Baku", "Ankara Istanbul"]:
        _, confidence = identifier.classify(text)
        assert confidence < source_language.MIN_CONFIDENCE
    for text in TEXTS.values():
        _, confidence = identifier.classify(text)
        assert confidence >= 0.95


def _html(lang_attr: str, text: str) -> bytes:
    title, body = text.split("\n")
    return f'<!DOCTYPE html><html {lang_attr}><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>'.encode()


def test_html_lang_attribute_is_the_declared_language():
    doc = parse_article(_html('lang="tr"', TEXTS["tr"]), "story.html")
    assert doc.source_language.to_json() == {"detected": "tr", "declared": "tr"}
    assert doc.warnings == ["story.html: this article looks like Turkish (tr), not English: check it is the English "
                            "original before translating it"]
    english = parse_article(_html("lang='en-GB' class=x", TEXTS["en"]), "story.html")
    assert english.source_language.to_json() == {"detected": "en", "declared": "en"} and english.warnings == []
    # a Russian text on a page declared English: both said
    mixed = parse_article(_html('class="no-js" lang="en"', TEXTS["ru"]), "story.html")
    assert mixed.warnings == ["story.html: this article looks like Russian (ru), not English; the file says English "
                              "(en): check it is the English original before translating it"]
    # too short to tell, but the page says Azerbaijani: the declaration alone warns
    short = parse_article(b'<html lang="az"><body><p>Baku talks</p></body></html>', "short.html")
    assert short.source_language.to_json() == {"detected": None, "declared": "az"}
    assert short.warnings == ["short.html: the file says its language is Azerbaijani (az), not English (the text is "
                              "too short to tell): check it is the English original"]


def _docx(text: str, lang: str | None) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    if lang is None:
        return data
    # the document's default language, as Word writes it in styles.xml
    import zipfile

    source, result = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "word/styles.xml":
                body = re.sub(rb'<w:lang w:val="[^"]+"', f'<w:lang w:val="{lang}"'.encode(), body)
            target.writestr(item, body)
    return result.getvalue()


def test_docx_language_is_the_declared_language():
    doc = parse_article(_docx(TEXTS["ru"], "ru-RU"), "story.docx")
    assert doc.source_language.to_json() == {"detected": "ru", "declared": "ru"}
    assert "looks like Russian (ru)" in doc.warnings[0]
    english = parse_article(_docx(TEXTS["en"], None), "story.docx")  # python-docx's template: en-US
    assert english.source_language.to_json() == {"detected": "en", "declared": "en"} and english.warnings == []


def test_api_returns_the_language_and_the_warning(api):
    created = api("POST", "/articles", json={"text": TEXTS["tr"], "format": "txt"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["source_language"] == {"detected": "tr", "declared": None}
    assert body["warnings"] == ["api.txt: this article looks like Turkish (tr), not English: check it is the English "
                                "original before translating it"]
    page = api("POST", "/articles", data={"file": (io.BytesIO(_html('lang="ru"', TEXTS["ru"])), "story.html")},
               content_type="multipart/form-data").get_json()
    assert page["source_language"] == {"detected": "ru", "declared": "ru"} and "Russian (ru)" in page["warnings"][0]
    english = api("POST", "/articles", json={"text": TEXTS["en"], "format": "txt"}).get_json()
    assert english["source_language"] == {"detected": "en", "declared": None} and english["warnings"] == []
    # a new version by external id says it too
    api("PUT", "/articles/by-external-id/s1", json={"text": TEXTS["en"], "format": "txt"})
    updated = api("PUT", "/articles/by-external-id/s1", json={"text": TEXTS["az"], "format": "txt"}).get_json()
    assert updated["source_language"]["detected"] == "az" and "Azerbaijani (az)" in updated["warnings"][0]


def test_cli_warns(cli, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(TEXTS["az"], encoding="utf-8")
    result = cli("import", str(path))
    assert result.stderr == ("Warning: story.txt: this article looks like Azerbaijani (az), not English: check it is "
                             "the English original before translating it\n")
    assert cli.json("import", str(path))["warnings"] == [result.stderr.removeprefix("Warning: ").strip()]
    path.write_text(TEXTS["en"], encoding="utf-8")
    assert cli("import", str(path)).stderr == ""


def test_text_without_language_is_no_language():
    doc = parse_article(("<article><p>" + " ".join(f"<b>w{i}</b>" for i in range(300)) + "</p></article>").encode(),
                        "many.html")
    assert doc.source_language.detected is None and not any("looks like" in w for w in doc.warnings)
