"""MT throughput: Argos's per-sentence path vs the workbench's bulk translate vs one bare call.

    uv run python bench/mt_throughput.py            # full run (Argos-sized model, 200 sentences)
    uv run python bench/mt_throughput.py --quick    # tiny model, 40 sentences: a smoke test

Builds an Argos-sized random-weight package once (6+6 layers, d_model 512, 8 heads, ffn 2048,
SentencePiece ~32k, int8) and caches it in bench/.cache/. Each variant runs in its own process
so that its peak memory is its own. Random weights decode junk of arbitrary length, so every
variant bounds max_decoding_length by the source length with the same formula.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.mt.engine import MTSettings  # noqa: E402
from workbench.mt.synthetic import ARGOS_SIZED, TINY, build_argos_package, news_like_sentences  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
DEFAULTS = MTSettings()


def bound(tokens: list[list[str]]) -> int:
    """The workbench's max_decoding_length formula, used by every variant."""
    return int(max(len(t) for t in tokens) * DEFAULTS.length_ratio) + DEFAULTS.length_margin


def run_variant(variant: str, package: Path, count: int, beam: int, hypotheses: int) -> dict:
    import ctranslate2

    from workbench.mt import packages

    sentences = news_like_sentences(count, seed=7)
    models = Path(tempfile.mkdtemp()) / "models"
    installed = packages.install(package, models)
    if variant == "workbench":
        from workbench import store
        from workbench.instance import Instance
        from workbench.jobs import engines_for, translate_pending
        from workbench.segment import segment_text

        instance = Instance(models.parent / "instance")
        instance.models_dir.parent.mkdir(parents=True, exist_ok=True)
        models.rename(instance.models_dir)
        instance.init()
        db = instance.db()
        store.create_article(db, title="bench", byline=None, filename=None, fmt="txt",
                             segmentation=segment_text("\n".join(sentences)))
        engines = engines_for(instance.models_dir, ["az"],
                              MTSettings(beam_size=beam, num_hypotheses=hypotheses))
        started = time.perf_counter()
        run = translate_pending(db, engines)
        seconds = time.perf_counter() - started
        assert run.results[0].translated == count, run.to_json()
    else:
        import sentencepiece as spm

        processor = spm.SentencePieceProcessor(model_file=str(installed.path / "sentencepiece.model"))
        tokens = [processor.encode(s, out_type=str) for s in sentences]
        if variant == "argos":  # Argos's Translator settings and its per-sentence call
            translator = ctranslate2.Translator(str(installed.path / "model"), device="cpu",
                                                inter_threads=1, intra_threads=0, compute_type="auto")
            started = time.perf_counter()
            for sentence_tokens in tokens:
                translator.translate_batch(
                    [sentence_tokens], replace_unknowns=True, max_batch_size=32, batch_type="tokens",
                    beam_size=max(hypotheses, beam), num_hypotheses=hypotheses, length_penalty=0.2,
                    return_scores=True, max_decoding_length=bound([sentence_tokens]))
        else:  # "bare": one call over every sentence, the workbench's settings
            translator = ctranslate2.Translator(str(installed.path / "model"), device="cpu",
                                                inter_threads=DEFAULTS.inter_threads,
                                                intra_threads=DEFAULTS.intra_threads)
            started = time.perf_counter()
            translator.translate_batch(
                tokens, replace_unknowns=True, max_batch_size=DEFAULTS.chunk_size,
                batch_type="examples", beam_size=beam, num_hypotheses=hypotheses, length_penalty=0.2,
                return_scores=True, max_decoding_length=bound(tokens))
        seconds = time.perf_counter() - started
    return {"variant": variant, "beam": beam, "hypotheses": hypotheses, "sentences": count,
            "seconds": seconds, "sent_per_s": count / seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(variant, package, count, beam, hypotheses) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", variant, "--package", str(package),
                          "--count", str(count), "--beam", str(beam), "--hypotheses", str(hypotheses)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny model and 40 sentences")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--package", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--beam", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--hypotheses", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, Path(args.package), args.count, args.beam, args.hypotheses)))
        return

    shape, count = (TINY, 40) if args.quick else (ARGOS_SIZED, 200)
    package = CACHE / f"translate-en_az-{'tiny' if args.quick else 'argos_sized'}.argosmodel"
    if not package.exists():
        started = time.perf_counter()
        print(f"Building {package.name} (once; cached) ...", flush=True)
        build_argos_package(package, "en", "az", shape=shape, seed=1)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    total = time.perf_counter()
    rows = {}
    for key, label, variant, beam, hyps in [
            ("a", "a Argos path, per sentence", "argos", 4, 4),
            ("b", "b workbench bulk translate", "workbench", 4, 4),
            ("c", "c bare translate_batch", "bare", 4, 4),
            ("beam2", "  workbench, beam 2", "workbench", 2, 2),
            ("greedy", "  workbench, greedy", "workbench", 1, 1)]:
        rows[key] = result = measure(variant, package, count, beam, hyps)
        print(f"{label:<30} beam {beam} x{hyps}: {result['sent_per_s']:7.2f} sent/s  "
              f"({result['seconds']:6.1f} s, peak {result['peak_mb']:6.0f} MB)", flush=True)
    a, b, c = (rows[k]["sent_per_s"] for k in ("a", "b", "c"))
    print(f"\nratio b/a = {b / a:.2f}   (target >= 6)")
    print(f"ratio b/c = {b / c:.2f}   (target >= 0.9)")
    print(f"beam 2 is {rows['beam2']['sent_per_s'] / b:.2f}x and greedy {rows['greedy']['sent_per_s'] / b:.2f}x "
          "the speed of beam 4 in the workbench")
    print(f"whole run: {time.perf_counter() - total:.0f} s")


if __name__ == "__main__":
    main()
