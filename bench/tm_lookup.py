"""Translation memory lookups on 100,000 units, and the editor page for a 500-segment article.

    uv run python bench/tm_lookup.py

Builds a temporary instance (cached in bench/.cache/), fills the memory with 100,000 generated
news-like units, then times exact and fuzzy lookups for sentences that are in the memory, near
it (one word changed), and not in it, against a Python scan of the whole memory with the same
scorer. Then times the editor page of a 500-segment article through Flask's test client.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.data import store, tm  # noqa: E402
from workbench.data.instance import Instance  # noqa: E402
from workbench.core.mt.synthetic import news_like_sentences  # noqa: E402
from workbench.core.segment import segment_text  # noqa: E402
from workbench.services import setup

CACHE = ROOT / "bench" / ".cache" / "tm-instance"
UNITS = 100_000


def fill(instance: Instance) -> list[str]:
    sentences = [f"{s[:-1]} number {i}." for i, s in enumerate(news_like_sentences(UNITS, seed=3))]
    db = instance.db()
    if db.execute("SELECT COUNT(*) FROM tm_units").fetchone()[0] < UNITS:
        started = time.perf_counter()
        with db.atomic():
            db.execute("DELETE FROM tm_units")
            db["tm_units"].insert_all(
                ({"source_lang": "en", "target_lang": "az", "source": s, "target": "az: " + s,
                  "source_key": tm.source_key(s), "created_at": store.now()} for s in sentences),
                batch_size=5000)
        print(f"filled {UNITS:,} units in {time.perf_counter() - started:.1f} s")
    return sentences


def timed(func, queries) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        func(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    times = sorted(times)
    print(f"{label:<44} median {statistics.median(times):7.2f} ms   p95 {times[int(len(times) * 0.95)]:7.2f} ms"
          f"   max {times[-1]:7.2f} ms")


def main() -> None:
    instance = Instance(CACHE)
    setup.prepare_instance(instance)  # with the shipped glossaries
    sentences = fill(instance)
    db = instance.db()
    rng = random.Random(5)
    present = rng.sample(sentences, 200)
    near = [s.replace(s.split()[2], "mobilization", 1) for s in rng.sample(sentences, 200)]
    absent = [f"Completely new sentence about {w} and the weather {i}." for i, w in
              enumerate(rng.choices(["rain", "snow", "sun"], k=200))]
    report("exact lookup (present)", timed(lambda q: tm.exact(db, q, "az"), present))
    report("fuzzy lookup (present)", timed(lambda q: tm.fuzzy(db, q, "az"), present))
    report("fuzzy lookup (one word changed)", timed(lambda q: tm.fuzzy(db, q, "az"), near))
    report("fuzzy lookup (absent)", timed(lambda q: tm.fuzzy(db, q, "az"), absent))
    found = sum(bool(tm.fuzzy(db, q, "az")) for q in near)
    print(f"one-word-changed queries with a match >= 60%: {found}/{len(near)}")

    from rapidfuzz import fuzz, process

    keys = [tm.source_key(s) for s in sentences]
    scan = timed(lambda q: process.extract(tm.source_key(q), keys, scorer=fuzz.ratio, limit=5), near[:20])
    report("Python scan of all units (rapidfuzz, 20 queries)", scan)
    ours = statistics.median(timed(lambda q: tm.fuzzy(db, q, "az"), near[:20]))
    print(f"ratio scan / FTS lookup = {statistics.median(scan) / ours:.1f}x   (target: lookup well under 50 ms)")

    editor_page(instance)


def editor_page(instance: Instance) -> None:
    from workbench.data import users
    from workbench.app import create_app

    db = instance.db()
    text = "Title of a long article\n" + "\n".join(" ".join(news_like_sentences(5, seed=i)) for i in range(100))
    article_id = store.create_article(db, title="long", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text(text))
    count = len(store.segments(db, article_id))
    if not users.get_user(db, "bench"):
        users.add_user(db, "bench", "benchmark", "reviewer")
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}, instance_path=instance.path)
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": "benchmark"})
    for size, label in ((200, "editor page, 200 of them (default page)"), (10_000, "editor page, all on one page")):
        app.config["EDITOR_PAGE_SIZE"] = size
        times = timed(lambda _: client.get(f"/articles/{article_id}/az/"), range(10))
        page = client.get(f"/articles/{article_id}/az/")
        report(f"{label} ({len(page.data) // 1024} KB)", times)
    print(f"(the article has {count} segments)")


if __name__ == "__main__":
    main()
