"""The MT engine: batched CTranslate2 over installed Argos packages and Marian / NLLB / M2M-100
models (families.py), with n-best hypotheses.

We use Argos only for its package format and tokenizer and call CTranslate2 ourselves: all
segments of a language pair in one call per chunk of length-sorted sentences, a decoding length
bounded by the source, and several hypotheses for the editor. One translator per model folder and
thread layout per process, created on first use and shared by threads and by the target languages
of a multilingual model (CTranslate2 translators are thread-safe).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Protocol

from workbench.core.errors import UserError
from workbench.core.mt.alloc import tune_allocator
from workbench.core.mt.codes_placement import compose
from workbench.core.mt.families import FamilyModel
from workbench.core.mt.families import find as find_family
from workbench.core.mt.families import installed as installed_families
from workbench.core.mt.packages import INSTALL_HINT, InstalledPackage, find
from workbench.core.mt.packages import installed as installed_packages


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float
    # (source word, target word) pairs, whitespace-separated words counted from 0, when the engine
    # was asked to align (codes_placement.place reads it); None when it cannot.
    alignment: tuple[tuple[int, int], ...] | None = None


def _cores() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class MTSettings:
    """Defaults measured on 2 cores (bench/mt_throughput.py, bench/auto_drafts.py): chunks of 16
    length-sorted sentences submitted together to one worker per core (inter_threads), one thread
    each, were the bare engine's best layout for an Argos-sized model at beam 4 x 4 (chunks of 32
    left a worker idle on the last, longest chunk). `workbench models install` measures the
    layouts on the machine and keeps the fastest in [mt] (core/mt/tune.py)."""
    beam_size: int = 4
    num_hypotheses: int = 4
    intra_threads: int = 1
    inter_threads: int = field(default_factory=_cores)
    compute_type: str = "default"
    chunk_size: int = 16  # sentences per translate_batch call
    length_ratio: float = 1.5  # max decoding length = ratio * source tokens + margin
    length_margin: int = 10
    # glibc thresholds (mt/alloc.py): not faster here in bench/mt_throughput.py (0.94x and 0.99x
    # of the default in two runs), so off unless a machine measures otherwise (`tune_malloc = true`).
    tune_malloc: bool = False


class Engine(Protocol):
    """translate(texts) gives each text's n-best. An engine that can align its output to the source
    word by word says so with `aligns = True` and takes translate(texts, align=True)."""
    origin: str

    def translate(self, texts: list[str]) -> list[list[Hypothesis]]: ...


def word_ids(tokens: list[str]) -> list[int]:
    """The whitespace-separated word each subword token belongs to: SentencePiece pieces start a
    word with "\u2581"; BPE tokens ending in "@@" continue into the next one."""
    sentencepiece = any(t.startswith("\u2581") for t in tokens)
    ids, word, joined = [], -1, False
    for token in tokens:
        if word < 0 or (token.startswith("\u2581") if sentencepiece else not joined):
            word += 1
        ids.append(word)
        joined = token.endswith("@@")
    return ids


def attention_alignment(attention, source_words: list[int], source_start: int, target_words: list[int],
                        target_start: int) -> tuple[tuple[int, int], ...]:
    """Word pairs from a hypothesis' attention (one row per target token, one column per source
    token): the weights summed per word, then each target word with the source word it attends to
    most, and each source word no target word chose with the target word attending to it most.
    `source_words[k]` is the word of column source_start + k, `target_words[k]` that of row
    target_start + k (both counted from 0, never decreasing)."""
    import numpy as np

    if not source_words or not target_words or len(attention) < target_start + len(target_words):
        return ()
    weights = np.asarray(attention[target_start:target_start + len(target_words)], dtype=np.float32)
    if weights.ndim != 2 or weights.shape[1] < source_start + len(source_words):
        return ()
    weights = weights[:, source_start:source_start + len(source_words)]
    rows = np.flatnonzero(np.diff(target_words, prepend=-1))  # first token of each word
    cols = np.flatnonzero(np.diff(source_words, prepend=-1))
    words = np.add.reduceat(np.add.reduceat(weights, rows, axis=0), cols, axis=1)
    source_of = [source_words[c] for c in cols.tolist()]
    target_of = [target_words[r] for r in rows.tolist()]
    chosen = words.argmax(axis=1).tolist()
    pairs = {(source_of[s], target_of[t]) for t, s in enumerate(chosen)}
    best_target = words.argmax(axis=0).tolist()
    taken = set(chosen)
    pairs.update((source_of[s], target_of[best_target[s]]) for s in range(len(source_of)) if s not in taken)
    return tuple(sorted(pairs))


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


_translators: dict[tuple, object] = {}
_translators_lock = threading.Lock()


def _translator(model_dir: Path, settings: MTSettings):
    """One ctranslate2.Translator per model folder and layout per process, shared by engines
    (a multilingual model serves several targets) and by threads."""
    key = (str(model_dir), settings.compute_type, settings.inter_threads, settings.intra_threads)
    with _translators_lock:
        if key not in _translators:
            import ctranslate2

            if settings.tune_malloc:
                tune_allocator()
            _translators[key] = ctranslate2.Translator(
                str(model_dir), device="cpu", compute_type=settings.compute_type,
                inter_threads=settings.inter_threads, intra_threads=settings.intra_threads)
        return _translators[key]


def release_translators(model_dir: Path | None = None) -> int:
    """Drop this process's translators (of one model folder, or all): the tune sweep keeps one
    alive at a time, as a bare CTranslate2 caller would. Returns how many were dropped."""
    with _translators_lock:
        keys = [key for key in _translators if model_dir is None or key[0] == str(model_dir)]
        for key in keys:
            del _translators[key]
    return len(keys)


def split_tokens(tokens: list[str], room: int) -> list[list[str]]:
    """Cut a token list into parts of at most `room` tokens, after punctuation or before a word
    where possible: CTranslate2 would silently drop everything past the model's input limit."""
    parts = []
    while len(tokens) > room:
        cut = room
        for i in range(room, room // 2, -1):
            if tokens[i - 1].rstrip()[-1:] in ".;:!?,":
                cut = i
                break
        else:
            cut = next((i for i in range(room, room // 2, -1) if tokens[i].startswith("\u2581")), room)
        parts.append(tokens[:cut])
        tokens = tokens[cut:]
    return parts + [tokens] if tokens else parts


class CT2Engine:
    """Batched CTranslate2 with n-best hypotheses; subclasses say how to tokenise and which tokens
    go around the source and before the target."""

    origin: str
    max_input_length = 1024  # CTranslate2's default truncation point

    def __init__(self, settings: MTSettings):
        self.settings = settings
        self._tokenizers = None
        self._lock = threading.Lock()

    def _model_dir(self) -> Path: ...

    def _make_tokenizers(self) -> tuple[Callable[[str], list[str]], Callable[[list[str]], str]]: ...

    def _affixes(self, encode) -> tuple[list[str], list[str], list[str]]:
        """(tokens before the source, tokens after it, the target prefix)."""
        return [], [], []

    def _load_tokenizers(self):
        with self._lock:
            if self._tokenizers is None:
                self._tokenizers = self._make_tokenizers()
        return self._tokenizers

    def _load(self):
        tokenizers = self._load_tokenizers()
        return _translator(self._model_dir(), self.settings), tokenizers

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Tokens per text: bulk translation sorts by these, so a chunk's decoding bound (its
        longest sentence) fits all its sentences; character counts sort less tightly."""
        encode = self._load_tokenizers()[0]
        return [len(encode(text)) for text in texts]

    aligns = True  # attention weights give a word alignment (Engine)

    def translate(self, texts: list[str], align: bool = False) -> list[list[Hypothesis]]:
        return self.submit(texts, align)()

    def submit(self, texts: list[str], align: bool = False) -> Callable[[], list[list[Hypothesis]]]:
        """Queue `texts` on the translator's workers now; the returned call waits for the results.

        Bulk translation keeps a few submissions in flight, so the workers translate the next
        chunks while the caller writes finished ones. With `align`, CTranslate2 also returns the
        attention weights and each hypothesis carries its word alignment to the source."""
        if not texts:
            return lambda: []
        translator, (encode, decode) = self._load()
        settings = self.settings
        head, tail, prefix = self._affixes(encode)
        room = max(8, self.max_input_length - len(head) - len(tail))
        units = []  # (index of the text, source tokens, source words): a long text gives several
        for index, text in enumerate(texts):
            tokens = encode(text)
            words = word_ids(tokens) if align else []
            start = 0
            for part in split_tokens(tokens, room):
                units.append((index, head + part + tail, words[start:start + len(part)]))
                start += len(part)
        order = sorted(range(len(units)), key=lambda i: len(units[i][1]))
        pending = []
        # Every chunk is submitted at once: the translator's workers (inter_threads) take them in
        # parallel, each chunk with a decoding bound from its own longest sentence.
        for chunk_start in range(0, len(order), settings.chunk_size):
            chunk = order[chunk_start:chunk_start + settings.chunk_size]
            batch = [units[i][1] for i in chunk]
            longest = max(len(t) for t in batch) - len(head) - len(tail)
            pending.append((chunk, translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=settings.beam_size,
                num_hypotheses=min(settings.num_hypotheses, settings.beam_size),  # a beam holds the n-best
                max_decoding_length=int(longest * settings.length_ratio) + settings.length_margin
                + len(prefix),
                max_input_length=self.max_input_length,
                max_batch_size=0,
                replace_unknowns=True,
                length_penalty=0.2,
                return_scores=True,
                return_attention=align,
                asynchronous=True,
            )))

        def hypothesis(tokens, score, attention, words) -> Hypothesis:
            target = tokens[len(prefix):]
            text = decode(target)
            if attention is None:
                return Hypothesis(text, float(score))
            pairs = attention_alignment(attention, words, len(head), word_ids(target), len(prefix))
            return Hypothesis(text, float(score), pairs)

        def collect() -> list[list[Hypothesis]]:
            per_unit: list[list[Hypothesis]] = [[] for _ in units]
            for chunk, futures in pending:
                for unit, future in zip(chunk, futures):
                    output = future.result()
                    attention = output.attention if align else [None] * len(output.hypotheses)
                    per_unit[unit] = [hypothesis(tokens, score, weights, units[unit][2])
                                      for tokens, score, weights in zip(output.hypotheses, output.scores, attention)]
            parts: list[list[list[Hypothesis]]] = [[] for _ in texts]
            for (index, _, _), hypotheses in zip(units, per_unit):
                parts[index].append(hypotheses or [Hypothesis("", 0.0, () if align else None)])
            return [_join(text_parts) for text_parts in parts]

        return collect


def _join(parts: list[list[Hypothesis]]) -> list[Hypothesis]:
    """The n-best of a text from the n-best of its parts (rank k of each part, or its last), once
    each; the parts' alignments shifted by the target words before them."""
    seen, hypotheses = set(), []
    for rank in range(max(len(p) for p in parts)):
        chosen = [p[min(rank, len(p) - 1)] for p in parts]
        text = " ".join(h.text for h in chosen if h.text)
        if text in seen:
            continue
        seen.add(text)
        alignment = chosen[0].alignment if len(chosen) == 1 else None
        if len(chosen) > 1 and all(h.alignment is not None for h in chosen):
            alignment, offset = [], 0
            for h in chosen:
                alignment += [(s, t + offset) for s, t in h.alignment]
                offset += len(h.text.split())
            alignment = tuple(alignment)
        hypotheses.append(Hypothesis(text, sum(h.score for h in chosen), alignment))
    return hypotheses


class ArgosEngine(CT2Engine):
    """One installed Argos package, translated with CTranslate2 directly."""

    def __init__(self, package: InstalledPackage, settings: MTSettings):
        super().__init__(settings)
        self.package = package
        self.origin = f"mt:{package.name}"

    def _model_dir(self) -> Path:
        return self.package.path / "model"

    def _make_tokenizers(self):
        argos = _argos_package_module(self.package.path.parent / ".argos-home")
        tokenizer = argos.Package(self.package.path).tokenizer

        def decode(tokens: list[str]) -> str:
            # Argos's SentencePiece decode turns every "_" into a space; decode pieces ourselves.
            if hasattr(tokenizer, "lazy_processor"):
                return tokenizer.lazy_processor().decode_pieces(tokens).strip()
            return tokenizer.decode(tokens).strip()

        return tokenizer.encode, decode

    def _affixes(self, encode):
        return [], [], encode(self.package.target_prefix) if self.package.target_prefix else []


class FamilyEngine(CT2Engine):
    """A Marian, NLLB-200 or M2M-100 model (mt/families.py) for one language pair."""

    def __init__(self, model: FamilyModel, source: str, target: str, settings: MTSettings):
        super().__init__(settings)
        self.model, self.source, self.target = model, source, target
        self.origin = f"mt:{model.name}"
        self.max_input_length = model.max_input_length

    def _model_dir(self) -> Path:
        return self.model.path

    def _make_tokenizers(self):
        import sentencepiece as spm

        source_file, target_file = self.model.tokenizer_files()
        source = spm.SentencePieceProcessor(model_file=str(source_file))
        target = source if target_file == source_file else spm.SentencePieceProcessor(model_file=str(target_file))
        return (lambda text: source.encode(text, out_type=str),
                lambda tokens: target.decode_pieces(tokens).strip())

    def _affixes(self, encode):
        head, tail = self.model.source_affixes(self.source, self.target)
        return head, tail, self.model.target_prefix(self.target)


class PivotEngine:
    """source -> English -> target, for pairs with no direct package."""

    def __init__(self, first: Engine, second: Engine):
        self.first, self.second = first, second
        self.origin = f"{first.origin}+{second.origin.removeprefix('mt:')}"

    @property
    def aligns(self) -> bool:
        return getattr(self.first, "aligns", False) and getattr(self.second, "aligns", False)

    def translate(self, texts: list[str], align: bool = False) -> list[list[Hypothesis]]:
        if not (align and self.aligns):
            english = [hyps[0].text if hyps else "" for hyps in self.first.translate(texts)]
            return self.second.translate(english)
        firsts = [hyps[0] if hyps else Hypothesis("", 0.0, ()) for hyps in self.first.translate(texts, align=True)]
        seconds = self.second.translate([h.text for h in firsts], align=True)
        return [[replace(h, alignment=compose(first.alignment, h.alignment)) for h in hyps]
                for first, hyps in zip(firsts, seconds)]


_engines: dict[tuple, CT2Engine] = {}
_engines_lock = threading.Lock()


def _engine_for(package: InstalledPackage, settings: MTSettings) -> ArgosEngine:
    key = (str(package.path), package.version, settings)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = ArgosEngine(package, settings)
        return _engines[key]


def _family_engine(model: FamilyModel, source: str, target: str, settings: MTSettings) -> FamilyEngine:
    key = (str(model.path), model.checksum, source, target, settings)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = FamilyEngine(model, source, target, settings)
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


class UnknownEngine(UserError):
    """[mt.engines] names a model that is not installed or does not serve the pair."""


def engine_names(models_dir: Path) -> dict[str, list[str]]:
    """Every installed engine's name and the pairs it serves."""
    names = {p.name: [p.pair] for p in installed_packages(models_dir)}
    names.update({m.name: list(m.pairs) for m in installed_families(models_dir)})
    return names


def get_engine(models_dir: Path, source: str, target: str,
               settings: MTSettings = MTSettings(), choice: str | None = None) -> Engine:
    """The engine for a pair: the one chosen by name ([mt.engines]), else a direct Argos package,
    else an installed Marian / NLLB / M2M-100 model serving the pair, else Argos through English."""
    if choice:
        package = next((p for p in installed_packages(models_dir)
                        if choice in (p.name, p.path.name) and p.pair == f"{source}-{target}"), None)
        if package:
            return _engine_for(package, settings)
        model = find_family(models_dir, source, target, name=choice)
        if model:
            return _family_engine(model, source, target, settings)
        known = ", ".join(f"{name} ({' '.join(pairs)})" for name, pairs in engine_names(models_dir).items())
        raise UnknownEngine(f"the engine {choice!r} chosen for {target} in [mt.engines] of workbench.toml is "
                            f"not installed for {source}-{target}; installed: {known or 'none'}")
    if not find(models_dir, source, target):
        model = find_family(models_dir, source, target)
        if model:
            return _family_engine(model, source, target, settings)
    chain = [_engine_for(p, settings) for p in resolve_packages(models_dir, source, target)]
    return chain[0] if len(chain) == 1 else PivotEngine(*chain)
