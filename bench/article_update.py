"""Story updates: aligning a 500-segment article whose new version changed 10 % of its sentences.

    uv run python bench/article_update.py

Times, side by side on the same two versions:
  * `versions.align` (difflib anchors on equal sentences, similarity pairing only between them);
  * a naive alignment that scores every old sentence against every new one (one order-preserving
    pairing over the whole article, the same scorer and threshold);
  * the whole `workbench import --update` data path (`article_versions.update_article`) on a
    temporary instance where the article has translations in az, tr and ru.
Target (issue 9): aligning takes under a second.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.services import translations
from workbench.services import story_versions as article_versions
from workbench.data import store
from workbench.core import alignment as versions  # noqa: E402
from workbench.data.instance import Instance  # noqa: E402
from workbench.core.mt.synthetic import news_like_sentences  # noqa: E402
from workbench.core.segment import segment_text  # noqa: E402
from workbench.services import setup

SEGMENTS = 500
SHARE_CHANGED = 0.10


def two_versions(seed: int = 9) -> tuple[str, str, dict]:
    rng = random.Random(seed)
    sentences = [f"{s[:-1]} in report {i}." for i, s in enumerate(news_like_sentences(SEGMENTS, seed=seed))]
    new, planned = [], {"changed": 0, "added": 0, "removed": 0}
    touched = set(rng.sample(range(SEGMENTS), int(SEGMENTS * SHARE_CHANGED)))
    for i, sentence in enumerate(sentences):
        if i not in touched:
            new.append(sentence)
            continue
        kind = rng.choice(["changed", "changed", "changed", "added", "removed"])
        planned[kind] += 1
        if kind == "changed":  # one word edited, as a corrected figure or name would be
            words = sentence.split()
            words[rng.randrange(1, len(words) - 1)] = "corrected"
            new.append(" ".join(words))
        elif kind == "added":
            new += [sentence, f"A new paragraph about item {i} was added by the desk."]
        # removed: dropped
    as_text = lambda items: "Title\n" + "\n".join(items) + "\n"  # noqa: E731  one sentence a paragraph
    return as_text(sentences), as_text(new), planned


def naive_align(old: list[str], new: list[str]):
    """Every old sentence scored against every new one, one pairing over the whole article."""
    a = [versions.normalise(t) for t in old]
    b = [versions.normalise(t) for t in new]
    return versions._pair_block(a, b, range(len(a)), range(len(b)), versions.CHANGED_THRESHOLD)


def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    v1, v2, planned = two_versions()
    old = [s.text for s in segment_text(v1).segments]
    new = [s.text for s in segment_text(v2).segments]
    print(f"{len(old)} segments in version 1, {len(new)} in version 2; planned edits: {planned}")
    fast, ops = timed(lambda: versions.align(old, new), 5)
    print(f"versions.align:      {fast * 1000:8.1f} ms (median of 5)  -> {versions.summary(ops)}")
    slow, slow_ops = timed(lambda: naive_align(old, new), 1)
    counts = {k: sum(op.kind == k for op in slow_ops) for k in ("changed", "added", "removed")}
    print(f"naive all-pairs:     {slow * 1000:8.1f} ms (one run)       -> {counts} (equal text counted as changed)")
    print(f"ratio naive / align: {slow / fast:8.1f}x")
    with tempfile.TemporaryDirectory() as folder:
        instance = Instance(Path(folder) / "instance")
        setup.prepare_instance(instance)  # with the shipped glossaries
        db = instance.db()
        article_id = store.create_article(db, title="Title", byline=None, filename=None, fmt="txt",
                                          segmentation=segment_text(v1))
        for lang in ("az", "tr", "ru"):
            translations.write_drafts(db, lang, [store.Draft(s["id"], f"{lang}: {s['text']}", "mt:bench", [])
                                          for s in store.segments(db, article_id)], force=False)
        started = time.perf_counter()
        result = article_versions.update_article(db, article_id, title=None, byline=None, filename=None,
                                                 fmt="txt", segmentation=segment_text(v2))
        whole = time.perf_counter() - started
        print(f"update_article (3 languages translated, findings recomputed): {whole * 1000:8.1f} ms -> {result}")
    verdict = "meets" if fast < 1.0 else "MISSES"
    print(f"target: aligning under 1 s -> {verdict} ({fast:.3f} s)")


if __name__ == "__main__":
    main()
