"""Is the imported article English? The workbench translates from English: an article that is
already Turkish, Russian or Azerbaijani (an old translation uploaded by mistake) is said so at import.

Two witnesses: py3langid (langid.py's model, offline, 97 languages) on the article's text, and the
language the file declares (<html lang>, a .docx's w:lang). A guess on a short text is weak (a
headline of names reads as Tagalog or Turkish), so the identifier speaks only from MIN_LETTERS
letters and a normalised probability of MIN_CONFIDENCE (measured in tests/test_source_language.py:
two news sentences come out at 0.95-1.0, a few words at 0.06-0.16).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import langcodes
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from workbench.core import codes

MIN_LETTERS = 60
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 4000  # the first few paragraphs say the language; the whole text costs time
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
NOT_A_LANGUAGE = {"zxx", "und", "mul", "mis"}  # "no linguistic content" and the like: no guess


@dataclass(frozen=True)
class SourceLanguage:
    detected: str | None  # a language code, or None when the text is too short to tell
    confidence: float
    declared: str | None  # the file's own language tag's language ("en" for en-GB), if any

    def to_json(self) -> dict:
        return {"detected": self.detected, "declared": self.declared}


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # 1 s, once a process


def name(code: str) -> str:
    try:
        return langcodes.Language.get(code).display_name()
    except (ValueError, LookupError):
        return code


def declared_code(tag: str | None) -> str | None:
    """The language of a tag such as "en-GB", "tr_TR" or "ru"; None when empty or not a tag."""
    if not tag or not tag.strip():
        return None
    try:
        return langcodes.Language.get(tag.strip().replace("_", "-")).language or None
    except (ValueError, LookupError):
        return None


def identify(text: str, declared_tag: str | None = None) -> SourceLanguage:
    sample = codes.plain(text)[:SAMPLE_CHARS]
    declared = declared_code(declared_tag)
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return SourceLanguage(None, 0.0, declared)
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or code in NOT_A_LANGUAGE:
        return SourceLanguage(None, float(confidence), declared)
    return SourceLanguage(code, float(confidence), declared)


def warning(found: SourceLanguage, filename: str) -> str | None:
    """The warning for an article that is not English, naming the language found, or None."""
    if found.detected and found.detected != "en":
        declared = (f"; the file says {name(found.declared)} ({found.declared})"
                    if found.declared and found.declared != found.detected else "")
        return (f"{filename}: this article looks like {name(found.detected)} ({found.detected}), not English"
                f"{declared}: check it is the English original before translating it")
    if found.detected is None and found.declared and found.declared != "en":
        return (f"{filename}: the file says its language is {name(found.declared)} ({found.declared}), not "
                "English (the text is too short to tell): check it is the English original")
    return None
