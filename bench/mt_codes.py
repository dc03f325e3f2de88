"""What inline codes cost machine translation, in one run: the same article with and without markup.

    uv run python bench/mt_codes.py            # Argos-sized model (as bench/mt_throughput.py), 100 sentences
    uv run python bench/mt_codes.py --quick    # tiny model (as the tests build it), 100 sentences

Two articles with the same sentences, one paragraph each: one plain, one tagged (every sentence has
a bold word, a link around a phrase with an italic word inside, or a standalone code; issue 20's
markup). Both are translated by translate_pending() as `workbench translate` runs it (shipped
glossaries, the glossary choice of the hypothesis, findings on every write), with the same engine,
alternately, `--repeat` times each; the tagged run also asks CTranslate2 for the attention weights
and places the codes in every hypothesis (core/mt/codes_placement.py). Prints both medians and the
ratio (target: tagged <= 1.10 x plain; also the median of each repetition's own ratio, whose two
runs met the same load), the same for the process's CPU time (steadier on a shared machine), and
the CPU time the tagged runs spent in code handling proper (attention weights to word pairs,
placing the codes), measured inside them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.core import codes  # noqa: E402
from workbench.core.document import Block  # noqa: E402
from workbench.core.mt import packages  # noqa: E402
from workbench.core.mt import engine as engine_module  # noqa: E402
from workbench.core.mt.engine import MTSettings  # noqa: E402
from workbench.core.mt.synthetic import ARGOS_SIZED, TINY, build_argos_package, news_like_sentences  # noqa: E402
from workbench.core.segment import segment_blocks  # noqa: E402
from workbench.data import store  # noqa: E402
from workbench.data.instance import Instance  # noqa: E402
from workbench.services import setup  # noqa: E402
from workbench.services.findings import glossary_chooser  # noqa: E402
from workbench.services import machine_translation  # noqa: E402
from workbench.services.machine_translation import engines_for, translate_pending  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
O, C, P = codes.open_char, codes.close_char, codes.ph_char


def tag(sentence: str, index: int) -> str:
    """The sentence with markup inside it (never around all of it): a bold word; a link round three
    words with an italic one inside; a bold word and a standalone code (a footnote mark)."""
    words = sentence.split()
    k = 1 + index % max(1, len(words) - 4)
    if index % 3 == 0:
        words[k] = f"{O(1)}{words[k]}{C(1)}"
    elif index % 3 == 1:
        words[k], words[k + 1], words[k + 2] = (f"{O(1)}{words[k]}", f"{O(2)}{words[k + 1]}{C(2)}",
                                                f"{words[k + 2]}{C(1)}")
    else:
        words[k] = f"{O(1)}{words[k]}{C(1)}{P(2)}"
    return " ".join(words)


def article(db, sentences: list[str]) -> int:
    return store.create_article(db, title="bench", byline=None, filename=None, fmt="html",
                                segmentation=segment_blocks([Block("paragraph", s) for s in sentences]))


spent = {"seconds": 0.0}


def timed(function):
    """`function`, adding the CPU time its calls take (in the calling thread) to spent["seconds"]."""
    def wrapper(*args, **kwargs):
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent["seconds"] += time.thread_time() - started
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the tiny model the tests build")
    parser.add_argument("--count", type=int, default=100, help="sentences (default 100)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each article, alternating (default 5)")
    args = parser.parse_args()

    shape = TINY if args.quick else ARGOS_SIZED
    package = CACHE / f"translate-en_az-{'tiny' if args.quick else 'argos_sized'}.argosmodel"
    if not package.exists():
        started = time.perf_counter()
        print(f"Building {package.name} (once; cached) ...", flush=True)
        build_argos_package(package, "en", "az", shape=shape, seed=1)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)

    instance = Instance(Path(tempfile.mkdtemp()) / "instance")
    setup.prepare_instance(instance)  # with the shipped glossaries
    packages.install(package, instance.models_dir)
    db = instance.db()
    sentences = news_like_sentences(args.count, seed=7)
    tagged_sentences = [tag(s, i) for i, s in enumerate(sentences)]
    assert [codes.plain(t) for t in tagged_sentences] == sentences
    plain_id, tagged_id = article(db, sentences), article(db, tagged_sentences)
    engines = engines_for(instance.models_dir, ["az"], MTSettings())
    engines["az"].translate(sentences[:2])  # loaded and warmed up before the clock starts
    choose = glossary_chooser(db)
    machine_translation.place = timed(machine_translation.place)
    engine_module.attention_alignment = timed(engine_module.attention_alignment)

    def run(article_id: int) -> tuple[float, float]:
        """(wall seconds, CPU seconds of the whole process: CTranslate2's threads too)."""
        started, cpu = time.perf_counter(), time.process_time()
        result = translate_pending(db, engines, article_ids=[article_id], force=True, choose=choose)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.results[0].translated == args.count, result.to_json()
        return seconds, cpu

    times: dict[str, list[float]] = {"plain": [], "tagged": []}
    cpus: dict[str, list[float]] = {"plain": [], "tagged": []}
    code_time: list[float] = []
    print(f"{args.count} sentences, {'tiny' if args.quick else 'Argos-sized'} model, beam 4 x 4 hypotheses, "
          f"{args.repeat} runs of each article, alternating", flush=True)
    for repetition in range(args.repeat):
        order = ("plain", "tagged") if repetition % 2 == 0 else ("tagged", "plain")
        for name in order:
            spent["seconds"] = 0.0
            seconds, cpu = run(plain_id if name == "plain" else tagged_id)
            times[name].append(seconds)
            cpus[name].append(cpu)
            if name == "tagged":
                code_time.append(spent["seconds"])
        print(f"  run {repetition + 1}: plain {times['plain'][-1]:6.2f} s (CPU {cpus['plain'][-1]:6.2f} s), "
              f"tagged {times['tagged'][-1]:6.2f} s (CPU {cpus['tagged'][-1]:6.2f} s)", flush=True)

    rows = store.article_translations(db, tagged_id, "az")
    segments = {s["id"]: s["text"] for s in store.segments(db, tagged_id)}
    assert all(not codes.problems(segments[r["segment_id"]], r["text"]) for r in rows.values())
    by_position = sum(1 for r in rows.values() if r["alternatives"][0].get("codes") == "position")

    plain, tagged = statistics.median(times["plain"]), statistics.median(times["tagged"])
    plain_cpu, tagged_cpu = statistics.median(cpus["plain"]), statistics.median(cpus["tagged"])
    paired = statistics.median(t / p for t, p in zip(times["tagged"], times["plain"]))
    inside = statistics.median(code_time)
    print(f"\nplain article   {plain:7.2f} s wall, {plain_cpu:7.2f} s CPU (medians)")
    print(f"tagged article  {tagged:7.2f} s wall, {tagged_cpu:7.2f} s CPU (medians)")
    print(f"tagged / plain  = {tagged / plain:.3f} wall (medians), {paired:.3f} wall (median of each repetition's "
          f"ratio), {tagged_cpu / plain_cpu:.3f} CPU   (target <= 1.10)")
    print(f"code handling inside a tagged run (attention to word pairs, placing codes in "
          f"{sum(len(r['alternatives']) for r in rows.values())} hypotheses): {inside:.3f} s CPU "
          f"= {inside / plain_cpu * 100:.1f} % of the plain run's CPU time")
    print(f"drafts whose codes were placed by position (QA warning): {by_position} of {len(rows)}")


if __name__ == "__main__":
    main()
