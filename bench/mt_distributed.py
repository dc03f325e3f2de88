"""Stateless MT workers over Redis against in-process translation, in one run.

    uv run python bench/mt_distributed.py            # Argos-sized model, 100 sentences
    uv run python bench/mt_distributed.py --quick    # tiny model, 60 sentences

Needs `redis-server` (started here on a free loopback port, no persistence). Each variant works on
a fresh copy of the same instance (one article of news-like sentences, en->az, beam 4 x 4):
in-process `workbench translate`; `translate --queue` with 1 worker; with 2 workers. Workers run
`workbench worker --models DIR` in empty folders holding a copy of the models, one CTranslate2
thread each, and are warmed up by a small job first. The figure is the `seconds` of the command's
JSON summary (planning, translating and writing; in-process includes loading the model, ~1 s).
On this 2-core machine two workers can at best use both cores, as in-process translation already
does; a second machine adds its own cores (and needs only Redis and the models).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.core.mt.synthetic import ARGOS_SIZED, TINY, build_argos_package, news_like_sentences  # noqa: E402
from workbench.services import setup

CACHE = ROOT / "bench" / ".cache"
CLI = [sys.executable, "-m", "workbench"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_instance(folder: Path, package: Path, sentences: list[str]) -> Path:
    from workbench.data import store
    from workbench.data.instance import Instance
    from workbench.core.mt import packages
    from workbench.core.segment import segment_text

    instance = Instance(folder)
    setup.prepare_instance(instance)  # with the shipped glossaries
    packages.install(package, instance.models_dir)
    db = instance.db()
    store.create_article(db, title="bench", byline=None, filename=None, fmt="txt",
                         segmentation=segment_text("\n".join(sentences)))
    db.close()
    return folder


def translate(instance: Path, env: dict, *extra: str) -> dict:
    out = subprocess.run([*CLI, "translate", "--to", "az", "--json", "--instance", str(instance), *extra],
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    shape, count = (TINY, 60) if args.quick else (ARGOS_SIZED, 100)
    count = args.count or count
    package = CACHE / f"translate-en_az-{'tiny' if args.quick else 'argos_sized'}.argosmodel"
    if not package.exists():
        print(f"Building {package.name} (once; cached) ...", flush=True)
        build_argos_package(package, "en", "az", shape=shape, seed=1)
    work = Path(tempfile.mkdtemp(prefix="mt-distributed-"))
    template = make_instance(work / "template", package, news_like_sentences(count, seed=7))
    port = free_port()
    server = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(work)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    env = {**{k: v for k, v in os.environ.items() if k != "WORKBENCH_INSTANCE"}, "WORKBENCH_REDIS_URL": url}
    plain_env = {k: v for k, v in env.items() if k != "WORKBENCH_REDIS_URL"}
    workers = []
    try:
        time.sleep(0.5)
        print(f"{count} sentences, beam 4 x 4 hypotheses, en->az; shared machine: figures are noisy.")
        inproc = translate(shutil.copytree(template, work / "inproc"), plain_env)
        rows = [("in-process translate", inproc)]
        for n in (1, 2):
            while len(workers) < n:
                home = work / f"worker{len(workers)}"
                home.mkdir()
                shutil.copytree(template / "models", home / "models", ignore=shutil.ignore_patterns(".*"))
                workers.append(subprocess.Popen([*CLI, "worker", "--models", "models", "--threads", "1"],
                                                cwd=home, env=env, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL))
            warm = make_instance(work / f"warm{n}", package, news_like_sentences(4 * n, seed=1))
            translate(warm, env, "--queue", "--batch-size", "2")  # every worker loaded and warm
            result = translate(shutil.copytree(template, work / f"queue{n}"), env, "--queue")
            rows.append((f"translate --queue, {n} worker{'s' if n > 1 else ''} x 1 thread", result))
        base = inproc["languages"]["az"]["seconds"]
        for label, result in rows:
            lang = result["languages"]["az"]
            assert lang["translated"] == count, result
            print(f"{label:<40} {count / lang['seconds']:7.2f} sent/s  ({lang['seconds']:6.1f} s, "
                  f"{base / lang['seconds']:.2f}x in-process)")
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
