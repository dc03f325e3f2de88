"""Term check speed: the workbench's checker vs a naive loop with one regular expression per term.

    uv run python bench/term_check.py

A generated glossary of 20,000 concepts (en, az, tr, ru) and 5,000 English segments, each with
three translations that carry the terms in inflected forms (15,000 checks). The naive loop is
what a first version would do: for every concept, search each English term in the source, then
each target term in the translation. It is far too slow to run over all 15,000 translations, so
it is timed on a sample and scaled linearly (printed as such).

Second part: how often the term-aware choice among MT hypotheses changes the model's first
choice, on a fake engine whose alternatives sometimes carry the glossary terms, and on the tests'
tiny real package.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.core.mt.engine import Hypothesis  # noqa: E402
from workbench.core.terms.check import TermChecker  # noqa: E402
from workbench.core.terms.model import Concept, Term  # noqa: E402

SYLLABLES = "ba ka ra ta na sa la ma da ga ze ri mo lu vi ne ko ta pe ru shi zan dor mir gol".split()
# Azerbaijani terms end in ə (a front vowel), so their suffixes are front too (vowel harmony).
SUFFIXES = {"az": ["", "də", "yə", "nin", "dən"], "tr": ["", "'da", "'ya", "'nın", "'dan"],
            "ru": ["", "а", "е", "ом", "у"]}
FILLER = "officials said on Monday that talks were held about the plans of both sides".split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def make_glossary(count: int, rng: random.Random) -> list[Concept]:
    concepts, seen = [], set()
    while len(concepts) < count:
        en = " ".join(word(rng).capitalize() for _ in range(rng.randint(1, 2)))
        if en.lower() in seen:
            continue
        seen.add(en.lower())
        base = en.replace(" ", "")
        concepts.append(Concept(f"c{len(concepts)}", "place", glossary="bench", terms=[
            Term("en", en), Term("az", base.capitalize() + "ə"), Term("tr", base.capitalize() + "e"),
            Term("ru", base.capitalize() + "ов")]))
    return concepts


def make_segments(concepts, count: int, rng: random.Random):
    rows = []
    for _ in range(count):
        chosen = rng.sample(concepts, 3)
        source = " ".join(rng.sample(FILLER, 6)) + " " + ", ".join(c.terms_in("en")[0].text for c in chosen) + "."
        targets = {}
        for lang in ("az", "tr", "ru"):
            parts = []
            for concept in chosen:
                term = concept.terms_in(lang)[0].text
                parts.append(term + rng.choice(SUFFIXES[lang]) if rng.random() < 0.85 else "başqa")
            targets[lang] = "mətn " + " ".join(parts) + " son."
        rows.append((source, targets))
    return rows


def naive_check(concepts, source: str, target: str, lang: str) -> list[tuple[str, str]]:
    """One regular expression per term, compiled anew each time as simple tools do."""
    found = []
    for concept in concepts:
        if any(re.search(r"\b" + re.escape(t.text) + r"\b", source, re.IGNORECASE)
               for t in concept.terms_in("en")):
            ok = any(re.search(r"\b" + re.escape(t.text), target, re.IGNORECASE)
                     for t in concept.terms_in(lang))
            found.append((concept.id, "ok" if ok else "missing"))
    return found


def choice_rates(checker: TermChecker, rows, rng: random.Random) -> tuple[float, int]:
    """Fake engine: four hypotheses; the glossary term survives in a random subset of them."""
    changed = 0
    for source, targets in rows:
        correct = targets["az"]
        hypotheses = [Hypothesis(correct if rng.random() < 0.5 else "mətn başqa söz son.", -i)
                      for i in range(4)]
        index, _ = checker.choose(source, hypotheses, "az")
        changed += index != 0
    no_concept = sum(checker.choose("Officials met on Monday.", [Hypothesis("a", 0), Hypothesis("b", -1)],
                                    "az")[0] != 0 for _ in range(100))
    return changed / len(rows), no_concept


def tiny_package_rate(checker: TermChecker, rows) -> float:
    from workbench.core.mt import packages
    from workbench.core.mt.engine import MTSettings, get_engine
    from workbench.core.mt.synthetic import build_argos_package

    folder = Path(tempfile.mkdtemp())
    packages.install(build_argos_package(folder / "tiny.argosmodel", "en", "az"), folder / "models")
    engine = get_engine(folder / "models", "en", "az", MTSettings(beam_size=4, num_hypotheses=4))
    sources = [source for source, _ in rows]
    results = engine.translate(sources)
    return sum(checker.choose(s, h, "az")[0] != 0 for s, h in zip(sources, results)) / len(sources)


def main() -> None:
    rng = random.Random(42)
    concepts = make_glossary(20000, rng)
    rows = make_segments(concepts, 5000, rng)
    pairs = [(source, target, lang) for source, targets in rows for lang, target in targets.items()]

    started = time.perf_counter()
    checker = TermChecker(concepts)
    build = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    results = [checker.check(source, target, lang) for source, target, lang in pairs]
    ours = time.perf_counter() - started
    ours_cpu = time.process_time() - cpu_started  # what the check costs, even on a loaded machine
    statuses = [f.status for findings in results for f in findings]

    sample = pairs[:60]
    started = time.perf_counter()
    naive_results = [naive_check(concepts, s, t, lang) for s, t, lang in sample]
    naive_sample = time.perf_counter() - started
    naive = naive_sample * len(pairs) / len(sample)
    ours_sample = {(i, f.concept, f.status) for i, found in enumerate(results[:len(sample)]) for f in found}
    naive_sample_set = {(i, c, status) for i, found in enumerate(naive_results) for c, status in found}

    print(f"glossary: {len(concepts)} concepts; {len(rows)} segments x 3 languages = {len(pairs)} checks")
    print(f"workbench: build {build:.2f} s, check {ours:.2f} s ({len(pairs) / ours:,.0f} checks/s, one core); "
          f"findings: {statuses.count('ok')} ok, {statuses.count('missing')} missing")
    print(f"workbench check CPU time: {ours_cpu:.2f} s (wall {ours:.2f} s; they differ when the machine is shared)")
    print(f"naive loop: {naive_sample:.1f} s for {len(sample)} checks -> {naive:,.0f} s for all (scaled)")
    print(f"ratio naive / workbench = {naive / ours:,.0f}x   (target >= 50x; whole check target < 2 s)")
    print(f"on the sample, {len(ours_sample & naive_sample_set)} of our {len(ours_sample)} findings are also the "
          f"naive loop's; it reports {len(naive_sample_set - ours_sample)} more: shorter terms inside longer "
          "ones (it has no longest match)")

    rate, no_concept = choice_rates(checker, rows[:1000], rng)
    print(f"\nterm-aware choice, fake engine (term kept in ~half the hypotheses): changed the model's "
          f"first choice in {rate:.0%} of 1000 segments; with no concept in the source: {no_concept} changes of 100")
    small = TermChecker(concepts[:2000])
    tiny_rows = make_segments(concepts[:2000], 40, random.Random(1))
    print(f"term-aware choice, tiny random-weight package: changed {tiny_package_rate(small, tiny_rows):.0%} "
          "of 40 (its junk output holds no glossary term, so the model's order stands)")


if __name__ == "__main__":
    main()
