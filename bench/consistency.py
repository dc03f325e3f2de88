"""Consistency check run time on an archive of 1,000 articles.

    uv run python bench/consistency.py [--articles 1000]

Builds a temporary instance (the shipped glossaries) with N articles of 15 segments each, every
segment approved in az, tr and ru (45 translations per article), carrying glossary terms, names
outside the glossary and repeated sentences, some rendered inconsistently on purpose. The stored
term findings are computed first (as saving does), then `inconsistencies()` is timed over the
whole archive and for one language, beside the time to read the approved rows alone.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.services import findings
from workbench.data import store  # noqa: E402
from workbench.data.consistency import approved_rows, inconsistencies  # noqa: E402
from workbench.data.db import transaction  # noqa: E402
from workbench.data.instance import Instance  # noqa: E402
from workbench.services import setup

PLACES = [("Baku", "Bakı", "Bakü", "Баку"), ("Ankara", "Ankara", "Ankara", "Анкара"),
          ("Armenia", "Ermənistan", "Ermenistan", "Армения"), ("Russia", "Rusiya", "Rusya", "Россия")]
NAMES = [("Vusal Mammadli", ["Vüsal Məmmədli", "Vusal Mammadli"], ["Vüsal Memmedli"], ["Вюсал Мамедли"]),
         ("Elnur Qasimli", ["Elnur Qasımlı"], ["Elnur Kasımlı", "Elnur Qasımlı"], ["Эльнур Гасымлы"]),
         ("Orkhan Aliyev", ["Orxan Əliyev"], ["Orhan Aliyev"], ["Орхан Алиев", "Орхан Алыев"])]
FILLER = "officials said on Monday that talks were held about plans of both sides".split()
REPEATED = "The ministry did not comment."
REPEATED_TR = ["Bakanlık yorum yapmadı.", "Bakanlık açıklama yapmadı."]


def sentence(rng: random.Random) -> tuple[str, dict]:
    place = rng.choice(PLACES)
    name = rng.choice(NAMES)
    words = rng.sample(FILLER, 5)
    source = f"{words[0].capitalize()} {' '.join(words[1:])} in {place[0]} with {name[0]}."
    targets = {}
    for k, lang in enumerate(("az", "tr", "ru")):
        rendering = rng.choice(name[1 + k]) if rng.random() < 0.1 else name[1 + k][0]
        targets[lang] = f"Mətn {place[1 + k]} {rendering} son {rng.randint(1, 10**6)}."
    return source, targets


def build(instance: Instance, articles: int, rng: random.Random) -> int:
    db = instance.db()
    stamp = store.now()
    with transaction(db):
        for a in range(articles):
            article_id = db["articles"].insert({"title": f"A{a}", "format": "txt", "source_lang": "en",
                                                "source_text": "", "created_at": stamp}).last_pk
            for idx in range(15):
                if idx == 14:
                    source, targets = REPEATED, {"az": "Nazirlik şərh vermədi.",
                                                 "tr": rng.choice(REPEATED_TR), "ru": "Министерство не комментирует."}
                else:
                    source, targets = sentence(rng)
                segment_id = db["segments"].insert({"article_id": article_id, "paragraph_idx": 0, "idx": idx,
                                                    "start": 0, "end": len(source), "text": source}).last_pk
                db["translations"].insert_all({"segment_id": segment_id, "lang": lang, "text": text,
                                               "status": "approved", "version": 1, "updated_at": stamp}
                                              for lang, text in targets.items())
    return findings.refresh_all(db)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    instance = Instance(Path(tempfile.mkdtemp()) / "instance")
    setup.prepare_instance(instance)  # with the shipped glossaries
    started = time.perf_counter()
    translations = build(instance, args.articles, random.Random(7))
    print(f"archive: {args.articles} articles, {translations} approved translations "
          f"(built with stored findings in {time.perf_counter() - started:.1f} s)")
    db = instance.db()
    started = time.perf_counter()
    rows = approved_rows(db)
    read = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    found = inconsistencies(db)
    whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    inconsistencies(db)
    cached = time.perf_counter() - started
    started = time.perf_counter()
    one = inconsistencies(db, "tr")
    tr_only = time.perf_counter() - started
    print(f"reading {len(rows)} approved rows alone: {read:.2f} s")
    print(f"consistency, whole archive: {whole:.2f} s wall, {whole_cpu:.2f} s CPU -> {len(found)} "
          f"inconsistencies ({whole / read:.1f}x the plain read)")
    print(f"again, nothing changed (kept result): {cached:.3f} s")
    print(f"consistency, --lang tr: {tr_only:.2f} s -> {len(one)} inconsistencies")
    kinds = {i["source"] for i in found}
    print("sources found:", ", ".join(sorted(kinds)[:8]))


if __name__ == "__main__":
    main()
