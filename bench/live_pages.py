"""Live pages under load (issue 21 item 6): 50 open editors polling while 16 people save, on the real
server (`workbench serve`: waitress, 8 request threads) on loopback.

    uv run python bench/live_pages.py            # about 1 minute
    uv run python bench/live_pages.py --seconds 10

A temporary instance gets 10 articles of 50 segments. 50 "open editors" (each its own account and
session) are spread over them and poll GET /articles/<id>/az/live every 3 s as workbench.js does:
with `?since=` the counter they saw, `seg=` a segment and `If-None-Match` the last ETag, so an
unchanged article answers 304 and a changed one the segments colleagues saved. 16 other clients
save segments of half of those articles in a loop (the other half stay quiet: their polls answer 304) (save, then the trivial signed-in request
/bench/ping). Printed: p50/p95/p99 per request kind, 200 vs 304 polls, failed requests, and the
check the issue sets: save p95 <= 3 x ping p95 of the same run, and no request failed (exit 1
otherwise).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from web_latency import (PASSWORD, SAVED_VERSION, Client, Results, free_port, print_errors, print_row,  # noqa: E402
                         start_server, summary)

from workbench.core.mt.synthetic import news_like_sentences  # noqa: E402
from workbench.core.segment import segment_text  # noqa: E402
from workbench.data import store, users  # noqa: E402
from workbench.data.instance import Instance  # noqa: E402
from workbench.services import setup  # noqa: E402

WATCHERS, SAVERS, ARTICLES, SEGMENTS = 50, 16, 10, 50
POLL_SECONDS = 3.0


def build_instance(folder: Path) -> dict:
    instance = Instance(folder)
    setup.prepare_instance(instance)
    (folder / "config.py").write_text("BENCH_ENDPOINTS = True\n")
    db = instance.db()
    for i in range(WATCHERS):
        users.add_user(db, f"watcher{i:02d}", PASSWORD, "translator")
    for i in range(SAVERS):
        users.add_user(db, f"saver{i:02d}", PASSWORD, "translator")
    articles = {}
    for a in range(ARTICLES):
        text = f"Talks {a}\n" + "\n".join(news_like_sentences(SEGMENTS - 1, seed=a)) + "\n"
        article = store.create_article(db, title=f"Live {a}", byline=None, filename=None, fmt="txt",
                                       segmentation=segment_text(text))
        articles[article] = [s["id"] for s in store.segments(db, article)]
    db.close()
    return articles


class EtagClient(Client):
    """web_latency's client, also keeping the ETag of the last answer (as the browser's poll does)."""

    last_etag = None

    def request(self, method, path, form=None, headers=None):
        body = urlencode(form) if form is not None else None
        sent = {"Cookie": self.cookie, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        self.last_etag = response.getheader("ETag") or self.last_etag
        return response.status, data


def run(port: int, articles: dict, seconds: float) -> tuple[Results, dict]:
    results = Results()
    polls = {"200": 0, "304": 0, "segments": 0}
    ids = list(articles)
    watchers = [EtagClient(port, f"watcher{i:02d}").login() for i in range(WATCHERS)]
    savers = [Client(port, f"saver{i:02d}").login() for i in range(SAVERS)]
    versions = {sid: 0 for segs in articles.values() for sid in segs}
    lock = threading.Lock()
    stop = time.monotonic() + seconds  # after the sign-ins

    def watch(i: int, client: Client):
        article = ids[i % len(ids)]
        segment = articles[article][i % SEGMENTS]
        etag, since = None, None
        time.sleep(random.random() * POLL_SECONDS)  # editors opened at different moments
        while time.monotonic() < stop:
            query = f"?seg={segment}" + (f"&since={since}" if since is not None else "")
            started = time.perf_counter()
            try:
                status, body = client.request("GET", f"/articles/{article}/az/live{query}",
                                              headers={"If-None-Match": etag} if etag else {})
            except (OSError, http.client.HTTPException):
                status, body = None, b""
            ms = (time.perf_counter() - started) * 1000
            if status == 200:
                answer = json.loads(body)
                since = answer["counter"]
                etag = client.last_etag
                with lock:
                    polls["200"] += 1
                    polls["segments"] += len(answer["segments"])
            elif status == 304:
                with lock:
                    polls["304"] += 1
            results.add("poll", ms if status in (200, 304) else None, status)
            if status in (200, 304):
                results.add(f"poll {status}", ms)
            time.sleep(max(0.0, POLL_SECONDS - ms / 1000))

    def save(i: int, client: Client):
        headers = {"X-CSRFToken": client.token, "HX-Request": "true"}
        busy = ids[:len(ids) // 2]  # half the articles are being saved in, the other half are quiet
        article = busy[i % len(busy)]
        owned = articles[article][i // len(busy)::4]  # savers share an article, not its segments
        step = 0
        while time.monotonic() < stop:
            step += 1
            segment = owned[step % len(owned)]
            form = {"text": f"Bakıda danışıqlar {client.name} {step}.", "base_version": versions[segment]}
            started = time.perf_counter()
            try:
                status, body = client.request("POST", f"/articles/{article}/az/segments/{segment}", form, headers)
            except (OSError, http.client.HTTPException):
                status, body = None, b""
            if status == 200:
                versions[segment] = int(SAVED_VERSION.search(body.decode()).group(1))
            results.add("save", (time.perf_counter() - started) * 1000 if status == 200 else None, status)
            started = time.perf_counter()
            try:
                status, _ = client.request("GET", "/bench/ping")
            except (OSError, http.client.HTTPException):
                status = None
            results.add("ping", (time.perf_counter() - started) * 1000 if status == 200 else None, status)

    threads = [threading.Thread(target=watch, args=(i, c)) for i, c in enumerate(watchers)]
    threads += [threading.Thread(target=save, args=(i, c)) for i, c in enumerate(savers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, polls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=45.0, help="how long the load runs (default 45)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="live-pages-"))
    server = None
    try:
        articles = build_instance(folder)
        port = free_port()
        server = start_server(folder, port)
        results, polls = run(port, articles, args.seconds)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{WATCHERS} editors polling every {POLL_SECONDS:g} s + {SAVERS} clients saving, {args.seconds:g} s, "
          f"{ARTICLES} articles of {SEGMENTS} segments")
    print(f"{'':<22} {'kind':<8} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'errors':>6} {'per s':>8}")
    rows = {kind: summary(results, kind) for kind in ("poll", "save", "ping")}
    for kind, row in {**rows, "poll 304": summary(results, "poll 304"), "poll 200": summary(results, "poll 200")}.items():
        print_row("live pages", kind, row, args.seconds)
    print_errors(results)
    print(f"polls: {polls['304']} answered 304, {polls['200']} answered 200 with {polls['segments']} segments in all")
    ratio = rows["save"]["p95"] / rows["ping"]["p95"]
    failed = sum(row["errors"] for row in rows.values())
    ok = ratio <= 3.0 and failed == 0
    print(f"save p95 / ping p95 = {ratio:.2f} (target <= 3); failed requests: {failed} -> {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
