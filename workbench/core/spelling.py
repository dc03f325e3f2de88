"""Spelling check of translations with Hunspell dictionaries, as a QA warning.

Hunspell itself (Debian's libhunspell-1.7-0) is called through ctypes: a check is a few
microseconds a word and a dictionary loads in about a second, where the pure-Python reader spylls
took 18 s (ru) and 60 s (tr) to load on this machine — too slow for a save. Dictionaries come from
the system (Debian's hunspell-tr and hunspell-ru, installed by .ci/run) or from the folders in
WORKBENCH_HUNSPELL_PATH; nothing is downloaded. Debian ships no Azerbaijani dictionary: for az (or
when the library is missing) the check is skipped, and `status()` says why.

To keep the warnings worth reading, capitalised and all-capital words (names, places, acronyms,
and the first word of a sentence) and words with digits are not checked.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import threading
from pathlib import Path

from workbench.core.qa import QAFinding

SYSTEM_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
DICTIONARY_NAMES = {"az": ("az_AZ", "az"), "tr": ("tr_TR", "tr"), "ru": ("ru_RU", "ru")}
LIBRARY_NAMES = ("libhunspell-1.7.so.0", "libhunspell-1.7.so", "libhunspell.so")
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
MAX_WORDS = 5  # per segment: a wrong-language paste is one problem, not forty warnings

_lock = threading.Lock()
_library: ctypes.CDLL | None | bool = False  # False: not looked for yet
_dictionaries: dict[str, "_Dictionary | None"] = {}


def _load_library() -> ctypes.CDLL | None:
    global _library
    if _library is not False:
        return _library
    names = [ctypes.util.find_library("hunspell-1.7"), ctypes.util.find_library("hunspell"), *LIBRARY_NAMES]
    _library = None
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.Hunspell_create.restype = ctypes.c_void_p
        lib.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.Hunspell_spell.restype = ctypes.c_int
        lib.Hunspell_get_dic_encoding.argtypes = [ctypes.c_void_p]
        lib.Hunspell_get_dic_encoding.restype = ctypes.c_char_p
        _library = lib
        break
    return _library


def dictionary_path(lang: str) -> Path | None:
    """The .dic file (with its .aff beside it) for `lang`, or None."""
    extra = [d for d in os.environ.get("WORKBENCH_HUNSPELL_PATH", "").split(os.pathsep) if d]
    for folder in (*extra, *SYSTEM_DIRS):
        for name in DICTIONARY_NAMES.get(lang, ()):
            dic = Path(folder) / f"{name}.dic"
            if dic.is_file() and dic.with_suffix(".aff").is_file():
                return dic
    return None


class _Dictionary:
    def __init__(self, lib: ctypes.CDLL, dic: Path):
        self.lib, self.lock = lib, threading.Lock()  # a Hunspell handle is not thread-safe
        self.handle = lib.Hunspell_create(str(dic.with_suffix(".aff")).encode(), str(dic).encode())
        self.encoding = (lib.Hunspell_get_dic_encoding(self.handle) or b"UTF-8").decode("ascii")

    def correct(self, word: str) -> bool:
        try:
            encoded = word.encode(self.encoding)
        except (UnicodeEncodeError, LookupError):
            return False  # a letter the dictionary's alphabet does not have
        with self.lock:
            return bool(self.lib.Hunspell_spell(self.handle, encoded))


def _dictionary(lang: str) -> _Dictionary | None:
    with _lock:
        if lang not in _dictionaries:
            lib, dic = _load_library(), dictionary_path(lang)
            _dictionaries[lang] = _Dictionary(lib, dic) if lib and dic else None
        return _dictionaries[lang]


def preload(langs) -> None:
    """Load the dictionaries now (the server does this in the background at start), so the first
    save in a language does not wait a second or more for its dictionary."""
    for lang in langs:
        _dictionary(lang)


def status(lang: str) -> str | None:
    """None when `lang` is checked; otherwise why not (shown where findings are listed)."""
    if _load_library() is None:
        return "Spelling not checked: the Hunspell library (libhunspell-1.7-0) is not installed."
    if dictionary_path(lang) is None:
        # Translators read this beside every segment: no server paths (the README says where
        # dictionaries are looked for).
        return f"Spelling not checked: no Hunspell dictionary for {lang} is installed on this server."
    return None


def misspelled(text: str, lang: str) -> list[str]:
    """The words of `text` the dictionary does not know (names and acronyms are not checked)."""
    dictionary = _dictionary(lang)
    if dictionary is None:
        return []
    found: list[str] = []
    for word in WORD.findall(text):
        if word[0].isupper() or word in found or dictionary.correct(word):
            continue
        if "-" in word and all(dictionary.correct(part) for part in word.split("-") if part):
            continue
        found.append(word)
        if len(found) == MAX_WORDS:
            break
    return found


def check(target: str, lang: str) -> list[QAFinding]:
    words = misspelled(target, lang)
    if not words:
        return []
    return [QAFinding("spelling", "warning",
                      f"Possible misspelling{'s' if len(words) > 1 else ''} ({lang} dictionary): "
                      + ", ".join(f"“{w}”" for w in words) + ".")]
