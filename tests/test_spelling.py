"""Spelling warnings from Hunspell dictionaries (Debian's hunspell-tr / hunspell-ru), skipped with a
reason where no dictionary is installed (az: Debian ships none)."""

from __future__ import annotations

import pytest

from workbench.core import qa, spelling

needs = {lang: pytest.mark.skipif(spelling.status(lang) is not None, reason=spelling.status(lang) or "")
         for lang in ("tr", "ru")}


@needs["tr"]
def test_turkish_misspelling_is_a_qa_warning():
    assert spelling.misspelled("Generaller yetkililerle görüşştü ve anlaşmaya vardılar.", "tr") == ["görüşştü"]
    findings = [f for f in qa.check("They met officials.", "Yetkililerle görüşştü.", "tr") if f.check == "spelling"]
    assert [(f.severity, f.message) for f in findings] == [
        ("warning", "Possible misspelling (tr dictionary): “görüşştü”.")]


@needs["ru"]
def test_russian_words_hyphens_names_and_digits():
    assert spelling.misspelled("Генерал-полковник встретился с чиновниками в 2024 году.", "ru") == []
    assert spelling.misspelled("Рахимов встретилсся с Hasanov и НАТО.", "ru") == ["встретилсся"]
    assert spelling.misspelled("Латиница hello и опечаткаа.", "ru") == ["hello", "опечаткаа"]


def test_missing_dictionary_is_skipped_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(spelling, "SYSTEM_DIRS", (str(tmp_path),))
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", "")
    monkeypatch.setattr(spelling, "_dictionaries", {})
    assert spelling.check("Bakıda görüşdüüü", "az") == []
    assert "no Hunspell dictionary for az" in (spelling.status("az") or "")
    # A dictionary in WORKBENCH_HUNSPELL_PATH is found (here a tiny one written by the test).
    (tmp_path / "az_AZ.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (tmp_path / "az_AZ.dic").write_text("2\nbakıda\ngörüşdü\n", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    monkeypatch.setattr(spelling, "_dictionaries", {})  # dictionaries are looked for once per process
    if spelling._load_library() is None:
        assert "libhunspell" in spelling.status("az")
        return
    assert spelling.status("az") is None
    assert spelling.misspelled("bakıda görüşdüüü görüşdü", "az") == ["görüşdüüü"]
