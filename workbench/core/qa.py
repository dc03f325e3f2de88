"""QA checks on one translation: mechanical errors a reviewer should not have to find.

Each check returns findings with a severity (error / warning) and a message a translator can act
on. Pure functions: no database, no web. Term findings come from the terminology checker and are
merged by the caller.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from workbench.core import codes, spelling
from workbench.core import codes as inline

# Month names by language: a date's month must be translated, its day and year kept.
MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"],
    "az": ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr",
           "oktyabr", "noyabr", "dekabr"],
    "tr": ["ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül",
           "ekim", "kasım", "aralık"],
    "ru": ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
           "ноябр", "декабр"],
}
EN_MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                          "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
# Target/source length ratios outside these bounds are suspicious (characters, per language).
LENGTH_RATIO = {"az": (0.6, 1.9), "tr": (0.6, 1.9), "ru": (0.6, 2.0)}
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?")
DATE_EN = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                     r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+(\d{1,2})\b"
                     r"|\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|"
                     r"October|November|December)\b", re.IGNORECASE)
END_PUNCTUATION = ".!?…:;"
PAIRS = [("(", ")"), ("[", "]"), ("{", "}"), ("«", "»"), ("“", "”")]


@dataclass(frozen=True)
class QAFinding:
    check: str
    severity: str
    message: str

    def to_json(self) -> dict:
        return asdict(self)


def _number_value(text: str) -> str:
    """"1,000", "1.000", "1 000" -> "1000"; "3.5" and "3,5" -> "3.5"."""
    grouped = re.fullmatch(r"(\d{1,3})((?:[,.\u00a0\u202f ]\d{3})+)(?:[.,](\d+))?", text)
    if grouped:
        whole = grouped.group(1) + re.sub(r"\D", "", grouped.group(2))
        return whole + (f".{grouped.group(3)}" if grouped.group(3) else "")
    return text.replace(",", ".")


def numbers(text: str) -> list[str]:
    return [_number_value(m.group()) for m in NUMBER.finditer(text)]


def check_numbers(source: str, target: str) -> list[QAFinding]:
    found = numbers(target)
    missing = []
    for value in numbers(source):
        if value in found:
            found.remove(value)
        else:
            missing.append(value)
    return [QAFinding("numbers", "error", f"The number {value} from the source is missing in the "
                      "translation (or was changed).") for value in missing]


def check_dates(source: str, target: str, lang: str) -> list[QAFinding]:
    findings = []
    target_folded = target.lower()
    for match in DATE_EN.finditer(source):
        month_name = (match.group(1) or match.group(4)).lower().rstrip(".")
        month = (MONTHS["en"].index(month_name) + 1 if month_name in MONTHS["en"]
                 else EN_MONTH_ABBREVIATIONS[month_name])
        wanted = MONTHS.get(lang, [])
        if wanted and wanted[month - 1] not in target_folded:
            findings.append(QAFinding("dates", "warning", f"The date “{match.group(0)}” needs the month "
                                      f"in {lang}: “{wanted[month - 1]}…” is not in the translation."))
    return findings


def check_end_punctuation(source: str, target: str) -> list[QAFinding]:
    s, t = source.rstrip(), target.rstrip()
    if not s or not t:
        return []
    # Closing quotes and brackets may follow the full stop: look past them.
    s_end, t_end = s.rstrip("”\"'»)")[-1:], t.rstrip("”\"'»)")[-1:]
    s_end = s_end if s_end in END_PUNCTUATION else ""
    t_end = t_end if t_end in END_PUNCTUATION else ""
    if s_end != t_end:
        what = f"ends with “{s_end}”" if s_end else "has no end punctuation"
        return [QAFinding("punctuation", "warning", f"The source {what} but the translation "
                          + (f"ends with “{t_end}”." if t_end else "has none."))]
    return []


def check_untranslated(source: str, target: str) -> list[QAFinding]:
    if not target.strip():
        return [QAFinding("untranslated", "error", "The translation is empty.")]
    if target.strip() == source.strip() and re.search(r"[^\W\d_]{2,}", source) and " " in source.strip():
        return [QAFinding("untranslated", "error", "The translation is the same as the English source.")]
    return []


def check_brackets(target: str) -> list[QAFinding]:
    findings = []
    for opening, closing in PAIRS:
        if target.count(opening) != target.count(closing):
            findings.append(QAFinding("brackets", "warning", f"Unbalanced “{opening}{closing}”: "
                                      f"{target.count(opening)} opening, {target.count(closing)} closing."))
    if target.count('"') % 2:
        findings.append(QAFinding("brackets", "warning", "An odd number of straight quotes (\")."))
    return findings


def check_spaces(target: str) -> list[QAFinding]:
    findings = []
    if "  " in target.strip():
        findings.append(QAFinding("spaces", "warning", "Double space inside the translation."))
    if target != target.strip():
        findings.append(QAFinding("spaces", "warning", "Leading or trailing whitespace."))
    return findings


def check_length(source: str, target: str, lang: str) -> list[QAFinding]:
    low, high = LENGTH_RATIO.get(lang, (0.5, 2.0))
    if len(source) < 20 or not target.strip():
        return []
    ratio = len(target) / len(source)
    if not low <= ratio <= high:
        return [QAFinding("length", "warning", f"The translation is {ratio:.1f}× the length of the "
                          f"source; {low}–{high}× is usual for en→{lang}.")]
    return []


def check_spelling(target: str, lang: str) -> list[QAFinding]:
    """Words the language's Hunspell dictionary does not know (spelling.py), as one warning."""
    words = spelling.misspelled(target, lang)
    if not words:
        return []
    return [QAFinding("spelling", "warning",
                      f"Possible misspelling{'s' if len(words) > 1 else ''} ({lang} dictionary): "
                      + ", ".join(f"“{w}”" for w in words) + ".")]


CODES_PLACED_BY_POSITION = ("Inline codes placed by position, not by word alignment: check that each "
                            "code marks the right words (move the chips if not), then save.")


def check_code_placement(target: str, status: str, alternatives: list[dict]) -> list[QAFinding]:
    """A machine or memory draft nobody has saved yet whose inline codes MT could not align to the
    words (core/mt/codes_placement.py marks that hypothesis {"codes": "position"})."""
    if status != "mt_draft" or not inline.has_codes(target):
        return []
    if any(alt.get("codes") == "position" and alt.get("text") == target for alt in alternatives or ()):
        return [QAFinding("codes", "warning", CODES_PLACED_BY_POSITION)]
    return []


def check_codes(source: str, target: str) -> list[QAFinding]:
    """The inline codes (bold, links, line breaks: core/codes.py) the translation must carry: each
    code of the source once, none other, pairs nested as in the source. Errors: an export would
    lose or break the markup."""
    return [QAFinding("codes", "error", f"{problem[0].upper()}{problem[1:]}: the translation needs each code "
                      "of the source once, in the same nesting (Ctrl+Alt+Shift+C in the editor inserts the "
                      "next missing one).") for problem in codes.problems(source, target)]


def check(source: str, target: str, lang: str) -> list[QAFinding]:
    """Every QA check for one segment; an empty target reports only that it is empty. Inline codes
    are checked on their own; every other check reads the texts without them."""
    found_codes = check_codes(source, target)
    source, target = codes.plain(source), codes.plain(target)
    untranslated = check_untranslated(source, target)
    if untranslated and not target.strip():
        return untranslated
    return (untranslated + found_codes + check_numbers(source, target) + check_dates(source, target, lang)
            + check_end_punctuation(source, target) + check_brackets(target) + check_spaces(target)
            + check_length(source, target, lang) + check_spelling(target, lang))
