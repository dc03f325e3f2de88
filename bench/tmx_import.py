"""Import a 200,000-unit TMX memory: time and peak memory.

    uv run python bench/tmx_import.py            # argument: units (default 200000)

Writes a TMX 1.4b file of generated news-like units (az, tr and ru variants in turn, a prop, a
note, dates, an inline code in every tenth unit; cached in bench/.cache/), then imports it into a
fresh temporary instance with `workbench tm import --json` in a child process and prints the wall
time, the child's peak resident memory (ru_maxrss) and the import's counts. The file and its
units are read streaming, so the peak stays near the file's size plus a constant, whatever the
number of units. CPU time is printed beside the wall time: on the shared machine the wall time
follows the other users' load.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.core.mt.synthetic import news_like_sentences  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
LANGS = ("az-AZ", "tr-TR", "ru-RU")


def write_file(units: int) -> Path:
    path = CACHE / f"memory-{units}.tmx"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header creationtool="bench" '
                  'creationtoolversion="1" segtype="sentence" o-tmf="bench" adminlang="en-US" srclang="en-US" '
                  'datatype="plaintext"/>\n<body>\n')
        for i, sentence in enumerate(news_like_sentences(units, seed=7)):
            source = escape(f"{sentence[:-1]} number {i}.")
            lang = LANGS[i % 3]
            code = '<ph x="1">&lt;br/&gt;</ph>' if i % 10 == 0 else ""
            out.write(f'<tu tuid="{i}" creationid="bench" creationdate="20240101T000000Z" changedate="20240102T000000Z">'
                      f'<prop type="x-origin">bench</prop><note>unit {i}</note>'
                      f'<tuv xml:lang="en-US"><seg>{source}{code}</seg></tuv>'
                      f'<tuv xml:lang="{lang}"><seg>{lang}: {source}{code}</seg></tuv></tu>\n')
        out.write("</body>\n</tmx>\n")
    return path


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    path = write_file(units)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, {units:,} units")
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder) / "instance"
        subprocess.run([sys.executable, "-m", "workbench", "init", "--instance", str(instance)], check=True,
                       capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "workbench", "tm", "import", str(path), "--json",
                               "--instance", str(instance)], check=True, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak = after.ru_maxrss / 1024  # the largest child: the import (init is far smaller)
    counts = json.loads(done.stdout)
    load = os.getloadavg()[0]
    print(f"import: {elapsed:.1f} s wall ({units / elapsed:,.0f} units/s), {cpu:.1f} s CPU, peak memory {peak:.0f} MB "
          f"(load average {load:.1f} on {os.cpu_count()} cores)")
    print({k: counts[k] for k in ("tu", "read", "stored", "merged", "skipped", "languages")})


if __name__ == "__main__":
    main()
