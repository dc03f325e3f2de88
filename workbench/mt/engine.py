"""The MT engine: batched CTranslate2 over installed Argos packages, with n-best hypotheses.

We use Argos only for its package format and tokenizer and call CTranslate2 ourselves: all
segments of a language pair in one call per chunk of length-sorted sentences, a decoding length
bounded by the source, and several hypotheses for the editor. One translator per package per
process, created on first use and shared by threads (CTranslate2 translators are thread-safe).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..errors import UserError
from .alloc import tune_allocator
from .packages import INSTALL_HINT, InstalledPackage, find


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float


def _cores() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class MTSettings:
    """Defaults measured on 2 cores (bench/mt_throughput.py): chunks of 32 length-sorted sentences
    submitted together to one worker per core (inter_threads), one thread each, were 1.6x faster
    than chunks of 64 run one after another on all cores."""
    beam_size: int = 4
    num_hypotheses: int = 4
    intra_threads: int = 1
    inter_threads: int = field(default_factory=_cores)
    compute_type: str = "default"
    chunk_size: int = 32  # sentences per translate_batch call
    length_ratio: float = 1.5  # max decoding length = ratio * source tokens + margin
    length_margin: int = 10
    tune_malloc: bool = True  # glibc thresholds (mt/alloc.py), measured in bench/mt_throughput.py


class Engine(Protocol):
    origin: str

    def translate(self, texts: list[str]) -> list[list[Hypothesis]]: ...


class MissingModel(UserError):
    """No installed package (direct or through English) for a language pair."""

    def __init__(self, source: str, target: str):
        self.source, self.target = source, target
        hint = INSTALL_HINT.format(src=source, dst=target)
        super().__init__(f"no MT package installed for {source}->{target}; install one with: {hint}")


_argos_lock = threading.Lock()


def _argos_package_module(home: Path):
    """Import argostranslate.package with its settings pointed at `home`, not at ~/.local.

    argostranslate.settings reads the environment once, at import, and creates folders there.
    """
    import sys

    if "argostranslate.package" in sys.modules:
        return sys.modules["argostranslate.package"]
    with _argos_lock:
        keys = ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")
        saved = {key: os.environ.get(key) for key in keys}
        os.environ.update({"ARGOS_PACKAGES_DIR": str(home / "packages"),
                           "XDG_DATA_HOME": str(home / "data"),
                           "XDG_CONFIG_HOME": str(home / "config"),
                           "XDG_CACHE_HOME": str(home / "cache")})
        try:
            import argostranslate.package as argos_package
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return argos_package


class ArgosEngine:
    """One installed package, translated with CTranslate2 directly."""

    def __init__(self, package: InstalledPackage, settings: MTSettings):
        self.package, self.settings = package, settings
        self.origin = f"mt:{package.name}"
        self._translator = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._translator is None:
                import ctranslate2

                if self.settings.tune_malloc:
                    tune_allocator()
                argos = _argos_package_module(self.package.path.parent / ".argos-home")
                self._tokenizer = argos.Package(self.package.path).tokenizer
                self._translator = ctranslate2.Translator(
                    str(self.package.path / "model"), device="cpu",
                    compute_type=self.settings.compute_type,
                    inter_threads=self.settings.inter_threads,
                    intra_threads=self.settings.intra_threads)
        return self._translator, self._tokenizer

    def _decode(self, tokenizer, tokens: list[str]) -> str:
        # Argos's SentencePiece decode turns every "_" into a space; decode pieces ourselves.
        if hasattr(tokenizer, "lazy_processor"):
            return tokenizer.lazy_processor().decode_pieces(tokens).strip()
        return tokenizer.decode(tokens).strip()

    def translate(self, texts: list[str]) -> list[list[Hypothesis]]:
        return self.submit(texts)()

    def submit(self, texts: list[str]) -> Callable[[], list[list[Hypothesis]]]:
        """Queue `texts` on the translator's workers now; the returned call waits for the results.

        Bulk translation keeps a few submissions in flight, so the workers translate the next
        chunks while the caller writes finished ones."""
        if not texts:
            return lambda: []
        translator, tokenizer = self._load()
        settings = self.settings
        tokens = [tokenizer.encode(text) for text in texts]
        prefix = tokenizer.encode(self.package.target_prefix) if self.package.target_prefix else []
        order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
        pending = []
        # Every chunk is submitted at once: the translator's workers (inter_threads) take them in
        # parallel, each chunk with a decoding bound from its own longest sentence.
        for chunk_start in range(0, len(order), settings.chunk_size):
            chunk = order[chunk_start:chunk_start + settings.chunk_size]
            batch = [tokens[i] for i in chunk]
            longest = max(len(t) for t in batch)
            pending.append((chunk, translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=settings.beam_size,
                num_hypotheses=min(settings.num_hypotheses, settings.beam_size),  # a beam holds the n-best
                max_decoding_length=int(longest * settings.length_ratio) + settings.length_margin
                + len(prefix),
                max_batch_size=0,
                replace_unknowns=True,
                length_penalty=0.2,
                return_scores=True,
                asynchronous=True,
            )))

        def collect() -> list[list[Hypothesis]]:
            results: list[list[Hypothesis]] = [[] for _ in texts]
            for chunk, futures in pending:
                for index, future in zip(chunk, futures):
                    output = future.result()
                    seen, hypotheses = set(), []
                    for hyp_tokens, score in zip(output.hypotheses, output.scores):
                        text = self._decode(tokenizer, hyp_tokens[len(prefix):])
                        if text not in seen:
                            seen.add(text)
                            hypotheses.append(Hypothesis(text, float(score)))
                    results[index] = hypotheses
            return results

        return collect


class PivotEngine:
    """source -> English -> target, for pairs with no direct package."""

    def __init__(self, first: Engine, second: Engine):
        self.first, self.second = first, second
        self.origin = f"{first.origin}+{second.origin.removeprefix('mt:')}"

    def translate(self, texts: list[str]) -> list[list[Hypothesis]]:
        english = [hyps[0].text if hyps else "" for hyps in self.first.translate(texts)]
        return self.second.translate(english)


_engines: dict[tuple, ArgosEngine] = {}
_engines_lock = threading.Lock()


def _engine_for(package: InstalledPackage, settings: MTSettings) -> ArgosEngine:
    key = (str(package.path), package.version, settings)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = ArgosEngine(package, settings)
        return _engines[key]


def resolve_packages(models_dir: Path, source: str, target: str) -> list[InstalledPackage]:
    """The package chain for a pair: a direct package, or two through English."""
    direct = find(models_dir, source, target)
    if direct:
        return [direct]
    if "en" not in (source, target):
        first, second = find(models_dir, source, "en"), find(models_dir, "en", target)
        if first and second:
            return [first, second]
    raise MissingModel(source, target)


def get_engine(models_dir: Path, source: str, target: str,
               settings: MTSettings = MTSettings()) -> Engine:
    chain = [_engine_for(p, settings) for p in resolve_packages(models_dir, source, target)]
    return chain[0] if len(chain) == 1 else PivotEngine(*chain)
