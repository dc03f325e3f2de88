"""Find the fastest chunk size and thread layout for an installed model on this machine.

`workbench models install` (and `workbench models tune` again at any time) runs a short sweep on
generated news-like sentences with the configured beam and keeps the best in the instance's
workbench.toml ([mt]). The sweep measures each layout the way a bare CTranslate2 caller does
(bench/auto_drafts.py): the same 100 news-like sentences (so the same length mix), a warm-up
outside the timing, and one translator alive at a time (the previous layout's is dropped before
the next is loaded, where the process-wide cache used to keep every trial's model and threads).
"""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.core.mt.engine import MTSettings, release_translators
from workbench.core.mt.synthetic import news_like_sentences
from workbench.core.settings_file import update_mt

CHUNK_SIZES = (16, 32)  # 64 was never the fastest in bench/mt_throughput.py
SENTENCES = 100  # as bench/mt_throughput.py and bench/auto_drafts.py
SEED = 7  # the benches' sentences (bench/mt_throughput.py, bench/auto_drafts.py): the same length mix


def layouts(cores: int | None = None) -> list[tuple[int, int]]:
    """(inter_threads, intra_threads): one worker per core, one worker on every core, and halves."""
    cores = cores or max(1, min(8, os.cpu_count() or 1))
    options = {(cores, 1), (1, cores)}
    if cores >= 4:
        options.add((cores // 2, 2))
    return sorted(options, reverse=True)


@dataclass(frozen=True)
class TuneRow:
    chunk_size: int
    inter_threads: int
    intra_threads: int
    beam_size: int
    seconds: float
    sentences: int

    @property
    def sent_per_s(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def sweep(make_engine, settings: MTSettings, *, sentences: int = SENTENCES,
          chunk_sizes=CHUNK_SIZES, thread_layouts=None, rounds: int = 1,
          on_row=lambda row: None) -> list[TuneRow]:
    """Time each combination with an engine made for it by `make_engine(settings)`: warmed up on
    its first chunk outside the timing, the fastest of `rounds` runs, and its translator dropped
    before the next combination loads its own (one alive at a time)."""
    texts = news_like_sentences(sentences, seed=SEED)
    rows = []
    release_translators()  # what this process had loaded stays out of the measurement
    for inter, intra in thread_layouts or layouts():
        for chunk in chunk_sizes:
            trial = replace(settings, chunk_size=chunk, inter_threads=inter, intra_threads=intra)
            engine = make_engine(trial)
            engine.translate(texts[:chunk])  # load and warm up outside the timing
            seconds = []
            for _ in range(max(1, rounds)):
                started = time.perf_counter()
                engine.translate(texts)
                seconds.append(time.perf_counter() - started)
            row = TuneRow(chunk, inter, intra, trial.beam_size, min(seconds), len(texts))
            rows.append(row)
            on_row(row)
            del engine
            release_translators()
            gc.collect()
    return rows


def best(rows: list[TuneRow]) -> TuneRow:
    return max(rows, key=lambda row: row.sent_per_s)


def save_best(settings_file: Path, row: TuneRow) -> None:
    """Write the winner into [mt] of workbench.toml, keeping the rest of the file as it was."""
    update_mt(settings_file, {"chunk_size": row.chunk_size, "inter_threads": row.inter_threads,
                              "intra_threads": row.intra_threads})
