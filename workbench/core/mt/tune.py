"""Find the fastest chunk size and thread layout for an installed model on this machine.

`workbench models tune` runs a short sweep on generated news-like sentences with the configured
beam, prints the table and keeps the best in the instance's workbench.toml ([mt]).
"""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.core.mt.engine import MTSettings
from workbench.core.mt.synthetic import news_like_sentences
from workbench.core.settings_file import update_mt

CHUNK_SIZES = (16, 32, 64)


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


def sweep(make_engine, settings: MTSettings, *, sentences: int = 96,
          chunk_sizes=CHUNK_SIZES, thread_layouts=None, on_row=lambda row: None) -> list[TuneRow]:
    """Time each combination with an engine made for it by `make_engine(settings)` (warmed up on
    a few sentences first)."""
    texts = news_like_sentences(sentences, seed=11)
    rows = []
    for inter, intra in thread_layouts or layouts():
        for chunk in chunk_sizes:
            trial = replace(settings, chunk_size=chunk, inter_threads=inter, intra_threads=intra)
            engine = make_engine(trial)
            engine.translate(texts[:2])  # load and warm up outside the timing
            started = time.perf_counter()
            engine.translate(texts)
            row = TuneRow(chunk, inter, intra, trial.beam_size, time.perf_counter() - started, len(texts))
            rows.append(row)
            on_row(row)
            del engine
            gc.collect()
    return rows


def best(rows: list[TuneRow]) -> TuneRow:
    return max(rows, key=lambda row: row.sent_per_s)


def save_best(settings_file: Path, row: TuneRow) -> None:
    """Write the winner into [mt] of workbench.toml, keeping the rest of the file as it was."""
    update_mt(settings_file, {"chunk_size": row.chunk_size, "inter_threads": row.inter_threads,
                              "intra_threads": row.intra_threads})
