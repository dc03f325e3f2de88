"""Web latency under concurrent editors, on the real server (`workbench serve`: waitress) on loopback.

    uv run python bench/web_latency.py            # about 3 minutes
    uv run python bench/web_latency.py --quick    # about 1.5 minutes

A temporary instance gets a 500-segment article, a 50,000-segment article and an article for a bulk
MT job (a tiny random-weight package from workbench.core.mt.synthetic). Its config.py turns on the
bench endpoints (/bench/ping: the cheapest signed-in request; /bench/write: one row in one
transaction, the floor for a save). Then 1, 4, 16 and 32 clients, each with its own account and
session, loop for a fixed time over: save a segment (their own segments: no conflicts expected),
ping, write, and now and then the editor page. Printed: p50/p95/p99 per request kind, errors (any
status other than the expected one, or a failed connection), the ratios the issue sets targets
for, save vs write throughput, the 50,000-segment editor page, and the same 16-client run while
a bulk MT job runs in the server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.data import store, users  # noqa: E402
from workbench.core.counts import words  # noqa: E402
from workbench.data.db import transaction  # noqa: E402
from workbench.data.instance import Instance  # noqa: E402
from workbench.core.mt import packages  # noqa: E402
from workbench.core.mt.synthetic import build_argos_package, news_like_sentences  # noqa: E402
from workbench.core.segment import Paragraph, Segment, Segmentation, segment_text  # noqa: E402
from workbench.services import setup

CACHE = ROOT / "bench" / ".cache" / "web-latency"
PASSWORD = "bench password"
CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
SAVED_VERSION = re.compile(r'name="base_version" value="(\d+)"')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- the instance ----------------------------------------------------------------------------

def _lines_segmentation(sentences: list[str]) -> Segmentation:
    """One sentence per paragraph, built directly (segmenting 50,000 lines would take minutes)."""
    source, paragraphs, segments, position = [], [], [], 0
    for index, sentence in enumerate(sentences):
        paragraphs.append(Paragraph(index, position, position + len(sentence), "body"))
        segments.append(Segment(index, index, sentence, position, position + len(sentence)))
        source.append(sentence)
        position += len(sentence) + 1
    return Segmentation("\n".join(source) + "\n", paragraphs, segments)


def _mt_drafts(db, article_id: int, lang: str) -> None:
    """Machine drafts for every segment, written directly (the page, not MT, is measured)."""
    stamp = store.now()
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO translations (segment_id, lang, text, words, status, origin, mt_text, updated_at) "
            "VALUES (?, ?, ?, ?, 'mt_draft', 'mt:bench', ?, ?)",
            [(s["id"], lang, f"{lang}: {s['text']}", words(f"{lang}: {s['text']}"), f"{lang}: {s['text']}", stamp)
             for s in store.segments(db, article_id)])


def build_instance(folder: Path, clients: int, mt_segments: int) -> dict:
    instance = Instance(folder)
    setup.prepare_instance(instance)  # with the shipped glossaries
    (folder / "config.py").write_text("BENCH_ENDPOINTS = True\n")
    db = instance.db()
    for i in range(clients):
        users.add_user(db, f"editor{i:02d}", PASSWORD, "translator")
    users.add_user(db, "boss", PASSWORD, "admin")
    text = "Talks in Baku\n" + "\n".join(" ".join(news_like_sentences(2, seed=i)) for i in range(250)) + "\n"
    small = store.create_article(db, title="Bench 500", byline=None, filename=None, fmt="txt",
                                 segmentation=segment_text(text))
    small_segments = [s["id"] for s in store.segments(db, small)]
    big = store.create_article(db, title="Bench 50k", byline=None, filename=None, fmt="txt",
                               segmentation=_lines_segmentation(
                                   [f"{s[:-1]} in Baku, item {i}." for i, s in
                                    enumerate(news_like_sentences(50_000, seed=7))]))
    _mt_drafts(db, big, "az")
    mt_article = store.create_article(db, title="Bench MT", byline=None, filename=None, fmt="txt",
                                      segmentation=_lines_segmentation(news_like_sentences(mt_segments, seed=11)))
    CACHE.mkdir(parents=True, exist_ok=True)
    package = CACHE / "translate-en_az-1_0.argosmodel"
    if not package.exists():
        build_argos_package(package, "en", "az", seed=1)
    packages.install(package, instance.models_dir)
    db.close()
    return {"small": small, "small_segments": small_segments, "big": big, "mt": mt_article}


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "WORKBENCH_INSTANCE": str(folder), "PYTHONPATH": str(ROOT)}  # this checkout's code
    env.pop("WORKBENCH_REDIS_URL", None)
    command = [sys.executable, "-c", "from workbench.console import main; main()",
               "serve", "--port", str(port), "--instance", str(folder)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "server.log", "w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped: see {folder / 'server.log'}")
            time.sleep(0.1)
    raise SystemExit("the server did not start within 60 s")


# --- a client: one account, one session, one keep-alive connection ---------------------------

class Client:
    def __init__(self, port: int, name: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie, self.token, self.name = "", "", name

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        body = urlencode(form) if form is not None else None
        sent = {"Cookie": self.cookie, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnects on the next request
            raise
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def login(self) -> "Client":
        _, page = self.request("GET", "/login")
        token = CSRF_FIELD.search(page.decode()).group(1)
        status, _ = self.request("POST", "/login", {"username": self.name, "password": PASSWORD, "csrf_token": token})
        assert status == 302, f"login {self.name}: {status}"
        _, home = self.request("GET", "/")
        self.token = CSRF_META.search(home.decode()).group(1)
        return self


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    statuses: dict[tuple[str, int | None], int] = field(default_factory=dict)

    def add(self, kind: str, ms: float | None, status: int | None = None):
        with self.lock:
            if ms is None:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                self.statuses[kind, status] = self.statuses.get((kind, status), 0) + 1
            else:
                self.times.setdefault(kind, []).append(ms)


def timed(results: Results, kind: str, expected: int, call):
    started = time.perf_counter()
    try:
        status, _ = call()
    except (OSError, http.client.HTTPException):
        status = None
    results.add(kind, (time.perf_counter() - started) * 1000 if status == expected else None, status)


def run_clients(clients: list[Client], seconds: float, setup: dict, versions: dict, mix: list[str]) -> Results:
    results, stop = Results(), time.monotonic() + seconds
    article, lang = setup["small"], "az"
    owned = {i: setup["small_segments"][i::len(clients)] for i in range(len(clients))}

    def loop(i: int, client: Client):
        headers = {"X-CSRFToken": client.token, "HX-Request": "true"}
        step = 0
        while time.monotonic() < stop:
            kind = mix[step % len(mix)]
            step += 1
            if kind == "save":
                segment = owned[i][step % len(owned[i])]
                form = {"text": f"Bakıda danışıqlar {client.name} {step}.", "base_version": versions[segment]}
                started = time.perf_counter()
                try:
                    status, body = client.request("POST", f"/articles/{article}/{lang}/segments/{segment}", form,
                                                  headers)
                except (OSError, http.client.HTTPException):
                    status = None
                if status == 200:  # the version the server answers with, as the browser takes it
                    versions[segment] = int(SAVED_VERSION.search(body.decode()).group(1))
                results.add("save", (time.perf_counter() - started) * 1000 if status == 200 else None, status)
            elif kind == "ping":
                timed(results, "ping", 200, lambda: client.request("GET", "/bench/ping"))
            elif kind == "write":
                timed(results, "write", 204, lambda: client.request("POST", "/bench/write", {}, headers))
            elif kind == "editor":
                timed(results, "editor", 200, lambda: client.request("GET", f"/articles/{article}/{lang}/"))

    threads = [threading.Thread(target=loop, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- the report ------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def summary(results: Results, kind: str) -> dict:
    values = results.times.get(kind, [])
    return {"n": len(values), "p50": pct(values, 0.5), "p95": pct(values, 0.95), "p99": pct(values, 0.99),
            "errors": results.errors.get(kind, 0)}


def print_row(label: str, kind: str, row: dict, seconds: float):
    print(f"{label:<22} {kind:<8} {row['n']:>6} {row['p50']:>9.1f} {row['p95']:>9.1f} {row['p99']:>9.1f} "
          f"{row['errors']:>6} {row['n'] / seconds:>8.1f}")


def print_errors(results: Results):
    if results.statuses:
        shown = ", ".join(f"{kind} {status or 'no response'} x{count}"
                          for (kind, status), count in sorted(results.statuses.items(), key=str))
        print(f"{'':<22} failed requests by status: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (about 1.5 minutes in all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else 12.0
    levels = (1, 4, 16, 32)
    folder = Path(tempfile.mkdtemp(prefix="web-latency-"))
    print(f"machine: {os.cpu_count()} cores (shared: other work may run meanwhile); instance {folder}")
    started = time.perf_counter()
    setup = build_instance(folder, max(levels), mt_segments=20_000)
    print(f"instance built in {time.perf_counter() - started:.0f} s")
    port = free_port()
    server = start_server(folder, port)
    try:
        clients = [Client(port, f"editor{i:02d}").login() for i in range(max(levels))]
        versions = dict.fromkeys(setup["small_segments"], 0)

        print("\n50,000-segment article, editor page (1 client, idle server):")
        probe = clients[0]
        for label, path in (("page 1", f"/articles/{setup['big']}/az/"),
                            ("page 125", f"/articles/{setup['big']}/az/?page=125"),
                            ("only=unapproved p 2", f"/articles/{setup['big']}/az/?only=unapproved&page=2"),
                            ("status=mt_draft p 3", f"/articles/{setup['big']}/az/?status=mt_draft&page=3"),
                            ("qa=none p 2", f"/articles/{setup['big']}/az/?qa=none&page=2"),
                            ("text=baku p 4", f"/articles/{setup['big']}/az/?text=BAKU&page=4")):
            times = []
            for _ in range(3 if args.quick else 5):
                t0 = time.perf_counter()
                status, _ = probe.request("GET", path)
                times.append((time.perf_counter() - t0) * 1000)
                assert status == 200, (path, status)
            print(f"  {label:<22} median {statistics.median(times):8.1f} ms  (max {max(times):.1f})")

        mix = ["save", "ping", "write"] * 4 + ["editor"]
        header = f"{'run':<22} {'kind':<7} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'errors':>6} {'req/s':>8}"
        print("\nMixed load (each client: save, ping, write x4, then the 500-segment editor page):")
        print(header)
        idle16 = None
        for count in levels:
            results = run_clients(clients[:count], seconds, setup, versions, mix)
            rows = {kind: summary(results, kind) for kind in ("save", "editor", "ping", "write")}
            for kind, row in rows.items():
                print_row(f"{count} clients", kind, row, seconds)
            print(f"{'':<22} ratios: save p95 / ping p95 = {rows['save']['p95'] / rows['ping']['p95']:.2f}, "
                  f"editor p95 / ping p95 = {rows['editor']['p95'] / rows['ping']['p95']:.2f}, "
                  f"save p95 / write p95 = {rows['save']['p95'] / rows['write']['p95']:.2f}")
            print_errors(results)
            if count == 16:
                idle16 = rows

        print("\nThroughput at 16 clients, one kind only:")
        print(header)
        through = {}
        for kind in ("save", "write"):
            results = run_clients(clients[:16], seconds / 2, setup, versions, [kind])
            through[kind] = summary(results, kind)
            print_row("16 clients", kind, through[kind], seconds / 2)
            print_errors(results)
        print(f"{'':<22} save throughput / write throughput = "
              f"{through['save']['n'] / max(1, through['write']['n']):.2f}")

        print("\n16 clients while a bulk MT job runs in the server (tiny random-weight en->az package):")
        boss = Client(port, "boss").login()
        status, _ = boss.request("POST", f"/articles/{setup['mt']}/translate", {"lang": "az"},
                                 {"X-CSRFToken": boss.token, "HX-Request": "true"})
        assert status == 200, status
        db = Instance(folder).db()
        waited = time.monotonic()
        while time.monotonic() - waited < 120:  # measure while MT writes, not while it loads
            row = db.execute("SELECT done, status FROM jobs ORDER BY id DESC LIMIT 1").fetchone()
            if row[0] > 0 or row[1] in ("done", "failed"):
                break
            time.sleep(0.2)
        print(f"{'':<22} the job wrote its first segments after {time.monotonic() - waited:.1f} s")
        before_done = row[0]
        results = run_clients(clients[:16], seconds, setup, versions, mix)
        print(header)
        mt_rows = {kind: summary(results, kind) for kind in ("save", "editor", "ping", "write")}
        for kind, row in mt_rows.items():
            print_row("16 clients + MT", kind, row, seconds)
        print_errors(results)
        done = db.execute("SELECT done, total, status FROM jobs ORDER BY id DESC LIMIT 1").fetchone()
        db.close()
        print(f"{'':<22} MT job: {done[0] - before_done} segments written during the {seconds:.0f} s run "
              f"({done[0]}/{done[1]}, {done[2]})")
        if done[2] != "running":
            print(f"{'':<22} WARNING: the job was not running for the whole run; make the MT article longer")

        print("\nTargets:")
        save, ping = idle16["save"], idle16["ping"]
        errors = sum(r["errors"] for r in idle16.values())
        print(f"  16 clients: save p95 {save['p95']:.1f} ms <= 3 x ping p95 {ping['p95']:.1f} ms: "
              f"{save['p95'] / ping['p95']:.2f}x, failed requests {errors}")
        print(f"  save p95 with MT running / idle = {mt_rows['save']['p95']:.1f} / {save['p95']:.1f} ms = "
              f"{mt_rows['save']['p95'] / save['p95']:.2f}x (target <= 3)")
    finally:
        server.terminate()  # a graceful stop waits for a running MT job: do not wait long
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
