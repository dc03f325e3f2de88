"""Reading .docx articles: python-docx against the workbench's streaming reader (lxml iterparse).

    uv run python bench/docx_import.py [PARAGRAPHS]

Builds, with python-docx, a .docx of many short paragraphs (20,000 by default: the audit's 37 KB
file that took 32.7 s of a web worker) and one of ordinary length (300 paragraphs of news
copy), and times reading their paragraph texts both ways (best of 3), plus the whole import
(read + segmentation) to show which part dominates. Then a zip bomb: a small .docx holding a huge
zero-filled media file, read by the workbench (refused or skipped without inflating it) and by
python-docx (which loads every part), with the peak memory of each (tracemalloc).
"""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from workbench.core.formats.articles import parse_article  # noqa: E402
from workbench.core.formats.docx_text import docx_paragraphs  # noqa: E402
from workbench.core.segment import segment_text  # noqa: E402


def build(paragraphs: int, sentence: str) -> bytes:
    document = docx.Document()
    document.add_heading("Defence ministers meet in Baku", level=1)
    for i in range(paragraphs):
        document.add_paragraph(sentence.format(i=i))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def best_of(runs: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def with_python_docx(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def with_streaming(data: bytes) -> list[str]:
    return [text for _, text in docx_paragraphs(data, "bench.docx")]


def compare(label: str, data: bytes) -> None:
    slow, texts_a = best_of(3, lambda: with_python_docx(data))
    fast, texts_b = best_of(3, lambda: with_streaming(data))
    assert texts_a == texts_b, "the two readers disagree"
    count = len(texts_b)
    print(f"{label}: {len(data) / 1024:.0f} KB, {count:,} paragraphs")
    print(f"  python-docx       {slow * 1000:9.1f} ms  ({slow / count * 1e6:6.1f} µs per paragraph)")
    print(f"  streaming (lxml)  {fast * 1000:9.1f} ms  ({fast / count * 1e6:6.1f} µs per paragraph)")
    print(f"  ratio             {slow / fast:9.1f}x faster")
    whole, doc = best_of(1, lambda: parse_article(data, "bench.docx"))
    seg, segmentation = best_of(1, lambda: segment_text(doc.text))
    print(f"  whole import: read {whole * 1000:.0f} ms + segmentation {seg * 1000:.0f} ms "
          f"({len(segmentation.segments):,} segments)")


def bomb(media_mb: int) -> bytes:
    """A real picture in a real document, its media part then replaced by megabytes of zeros."""
    document = docx.Document()
    document.add_paragraph("Paragraph with a picture.")
    png = io.BytesIO()
    png.write(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                            "0000000d4944415478da63f8cfc0f01f0005000201a5d2b1c40000000049454e44ae426082"))
    document.add_picture(io.BytesIO(png.getvalue()))
    source_bytes = io.BytesIO()
    document.save(source_bytes)
    out = io.BytesIO()
    with zipfile.ZipFile(source_bytes) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        media = [i.filename for i in source.infolist() if i.filename.startswith("word/media/")]
        assert media, "python-docx wrote no media part"
        for info in source.infolist():
            if info.filename not in media:
                target.writestr(info, source.read(info))
        with target.open(media[0], "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(media_mb):
                member.write(block)
    return out.getvalue()


def measure_bomb(media_mb: int) -> None:
    data = bomb(media_mb)
    print(f"zip bomb: {len(data) / 1024:.0f} KB .docx holding {media_mb:,} MB of zeros in word/media")
    for label, fn in (("streaming (workbench)", lambda: with_streaming(data)),
                      ("python-docx", lambda: with_python_docx(data))):
        tracemalloc.start()
        start = time.perf_counter()
        try:
            fn()
            outcome = "read"
        except Exception as err:  # noqa: BLE001 - a bench reports whatever happens
            outcome = f"refused ({type(err).__name__})"
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {label:22} {seconds * 1000:9.1f} ms, peak {peak / 2**20:8.1f} MB, {outcome}")


if __name__ == "__main__":
    many = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20_000
    if "--bomb-only" not in sys.argv:
        compare("many short paragraphs", build(many, "Item {i}."))
        compare("ordinary article", build(300, "Officials met in Baku on day {i} to discuss the plans. "
                                               "Both sides agreed on a second round of talks in Ankara."))
    measure_bomb(512)
