"""Build a real `.argosmodel` with random weights, for tests and benchmarks.

No real Argos model may be downloaded here, so tests and `bench/` build their own: a SentencePiece
model trained on generated text and a CTranslate2 Transformer filled with seeded random weights.
Its output is gibberish, but every code path (install, load, tokenize, batch, decode) is real.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from workbench.core.mt.families import lang_token

WORDS = (
    "the army minister said on Monday that talks in Baku and Ankara were held with officials "
    "of both countries about military cooperation defence mobilization conscription service "
    "president signed a decree agreement ceasefire troops region war victory liberation lands "
    "pipeline energy project Tbilisi Ceyhan Kars declaration Shusha joint efforts forces 2020 "
    "1992 November September June 10 15 27 44 day week general colonel lieutenant major captain "
    "Azerbaijan Turkey Armenia Russia Georgia Karabakh state head deputy meeting exchange"
).split()


@dataclass(frozen=True)
class ModelShape:
    layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    vocab: int = 400
    quantization: str | None = None  # e.g. "int8", as Argos ships its models


TINY = ModelShape()
ARGOS_SIZED = ModelShape(layers=6, d_model=512, heads=8, ffn=2048, vocab=32000, quantization="int8")


def news_like_sentences(count: int, seed: int = 0) -> list[str]:
    """Sentences of 8 to 30 words drawn from a small news vocabulary."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


def _train_sentencepiece(folder: Path, vocab: int, seed: int, filename: str = "sentencepiece.model",
                         special: tuple[str, ...] = ()) -> Path:
    import sentencepiece as spm

    lines = news_like_sentences(3000, seed)
    rng = random.Random(seed)
    # Random character strings give SentencePiece enough distinct pieces for a large vocabulary.
    alphabet = "abcdefghijklmnopqrstuvwxyzəığüşöçабвгдежзиклмнопрстуфхцчшщыэюя"
    for _ in range(vocab * 2):
        lines.append(" ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 9)))
                              for _ in range(12)))
    model_io = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model_io, vocab_size=vocab,
        model_type="bpe", character_coverage=1.0, hard_vocab_limit=False, minloglevel=2,
        **({"user_defined_symbols": list(special)} if special else {}),
    )
    path = folder / filename
    path.write_bytes(model_io.getvalue())
    return path


def _fill_random(spec, d: int, ffn: int, vocab: int, rng) -> None:
    """Give every required weight of a TransformerSpec a seeded random value of the right shape."""
    import numpy as np

    def mat(rows, cols):
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def norm(ln):
        ln.gamma = np.ones(d, dtype=np.float32)
        ln.beta = np.zeros(d, dtype=np.float32)

    def linear(lin, rows, cols):
        lin.weight = mat(rows, cols)
        lin.bias = np.zeros(rows, dtype=np.float32)

    for side in (spec.encoder, spec.decoder):
        embeddings = side.embeddings[0] if isinstance(side.embeddings, list) else side.embeddings
        embeddings.weight = mat(vocab, d)
        norm(side.layer_norm)
        for layer in side.layer:
            norm(layer.self_attention.layer_norm)
            linear(layer.self_attention.linear[0], 3 * d, d)
            linear(layer.self_attention.linear[1], d, d)
            if hasattr(layer, "attention"):
                norm(layer.attention.layer_norm)
                linear(layer.attention.linear[0], d, d)
                linear(layer.attention.linear[1], 2 * d, d)
                linear(layer.attention.linear[2], d, d)
            norm(layer.ffn.layer_norm)
            linear(layer.ffn.linear_0, ffn, d)
            linear(layer.ffn.linear_1, d, ffn)
    linear(spec.decoder.projection, vocab, d)


def build_argos_package(
    out_file: Path,
    from_code: str = "en",
    to_code: str = "az",
    shape: ModelShape = TINY,
    seed: int = 0,
    version: str = "1.0",
    target_prefix: str = "",
) -> Path:
    """Write a complete `.argosmodel` zip to `out_file` and return its path."""
    import numpy as np
    import sentencepiece as spm
    from ctranslate2.specs import transformer_spec

    out_file = Path(out_file)
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp) / f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
        top.mkdir()
        sp_path = _train_sentencepiece(top, shape.vocab, seed)
        processor = spm.SentencePieceProcessor(model_file=str(sp_path))
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        # CTranslate2 needs <unk>, <s>, </s> in the vocabulary; SentencePiece's ids 0..2 are those.
        vocabulary = ["<unk>", "<s>", "</s>"] + [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]

        spec = transformer_spec.TransformerSpec.from_config(shape.layers, shape.heads)
        _fill_random(spec, shape.d_model, shape.ffn, len(vocabulary), np.random.default_rng(seed))
        spec.register_source_vocabulary(vocabulary)
        spec.register_target_vocabulary(vocabulary)
        spec.validate()
        spec.optimize(quantization=shape.quantization)
        (top / "model").mkdir()
        spec.save(str(top / "model"))

        metadata = {
            "package_version": version,
            "argos_version": "1.0",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "target_prefix": target_prefix,
            "languages": [],
        }
        (top / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (top / "README.md").write_text("Random-weight test package built by workbench.core.mt.synthetic.\n")
        out_file.parent.mkdir(parents=True, exist_ok=True)
        tmp_zip = out_file.with_suffix(".partial")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(top.rglob("*")):
                archive.write(path, path.relative_to(top.parent).as_posix())
        tmp_zip.replace(out_file)
    return out_file


FAMILY_CARD = {"nllb": "cc-by-nc-4.0", "m2m100": "mit", "marian": "cc-by-4.0"}
MARIAN_TARGET_TOKENS = {"az": ">>aze_Latn<<", "tr": ">>tur<<", "ru": ">>rus<<"}


def build_family_model(out_dir: Path, family: str, langs: tuple[str, ...] = ("en", "az", "tr", "ru"),
                       shape: ModelShape = TINY, seed: int = 0, multi_target: bool = False) -> Path:
    """A CTranslate2 model folder of a family (marian, nllb, m2m100) with random weights, laid out as
    the converters write it, with tiny trained SentencePiece models carrying the special tokens."""
    import numpy as np
    import sentencepiece as spm
    from ctranslate2.specs import transformer_spec

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if family == "marian":
        special = tuple(MARIAN_TARGET_TOKENS[lang] for lang in langs if lang in MARIAN_TARGET_TOKENS) \
            if multi_target else ()
        models = [_train_sentencepiece(out_dir, shape.vocab, seed, "source.spm", special),
                  _train_sentencepiece(out_dir, shape.vocab, seed + 1, "target.spm")]
    else:
        special = tuple(lang_token(family, lang) for lang in langs)
        models = [_train_sentencepiece(out_dir, shape.vocab, seed, "sentencepiece.bpe.model", special)]
    vocabulary = ["<unk>", "<s>", "</s>"]
    for model in models:
        processor = spm.SentencePieceProcessor(model_file=str(model))
        vocabulary += [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocabulary = list(dict.fromkeys(vocabulary + list(special)))  # in order, once each

    spec = transformer_spec.TransformerSpec.from_config(shape.layers, shape.heads)
    spec.config.decoder_start_token = "</s>"  # as the converters set it for these families
    _fill_random(spec, shape.d_model, shape.ffn, len(vocabulary), np.random.default_rng(seed))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=shape.quantization)
    spec.save(str(out_dir))
    (out_dir / "README.md").write_text(f"---\nlicense: {FAMILY_CARD[family]}\n---\n"
                                       f"Random-weight {family} test model built by workbench.core.mt.synthetic.\n")
    return out_dir
