"""Markdown import on hostile and ordinary files: markdown-it alone against the workbench's reader.

    uv run python bench/markdown_import.py [KB]

markdown-it-py spends 10-30 µs on every link or emphasis mark it tries to pair, so a file of
nothing but marks (the audit's 400 KB of brackets: 2 s, 4.8 MB: 45 s) holds a web worker for
seconds. The workbench counts the marks first and refuses a file with more than
MARKDOWN_MAX_MARKS (formats/articles.py). For each file of about KB kilobytes (400 by default)
this prints the time markdown-it takes to parse it, the time the workbench's reader takes to read
or refuse it, and their ratio (best of 3 each), plus ordinary news copy, which must still be read,
and the costliest file still read: MARKDOWN_MAX_MARKS marks of "![".
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402

from workbench.core.formats.articles import MARKDOWN_MAX_MARKS, parse_article  # noqa: E402
from workbench.core.errors import UserError  # noqa: E402


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def read(text: str) -> str:
    try:
        parse_article(text.encode(), "bench.md")
        return "read"
    except UserError:
        return "refused"


def main() -> None:
    size = int(sys.argv[1]) * 1000 if len(sys.argv) > 1 else 400_000
    prose = ("Officials met in Baku on Monday to discuss the [new agreement](https://example.com/a) "
             "on *gas* exports, the ministry said.\n\n")
    files = {
        "news copy, a link per paragraph": "# Talks in Baku\n\n" + prose * (size // len(prose)),
        "brackets [[[...x...]]]": "[" * (size // 2) + "x" + "]" * (size // 2),
        "[a[a[a... (no long run)": "[a" * (size // 2),
        "![![![...": "![" * (size // 2),
        "*a *a *a ...": "*a " * (size // 3),
        "![![ just under the limit": "![" * MARKDOWN_MAX_MARKS,
    }
    print(f"limit: {MARKDOWN_MAX_MARKS:,} marks ([ ] * _) per file; files of about {size // 1000} KB")
    print(f"{'file':34} {'markdown-it':>12} {'workbench':>10} {'outcome':>8} {'ratio':>7}")
    parser = MarkdownIt("commonmark")
    for label, text in files.items():
        plain = best_of(lambda: parser.parse(text))
        ours = best_of(lambda: read(text))
        print(f"{label:34} {plain:11.3f}s {ours:9.3f}s {read(text):>8} {plain / ours:6.1f}x")


if __name__ == "__main__":
    main()
