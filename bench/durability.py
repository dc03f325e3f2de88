"""What synchronous=FULL costs a save: the API's segment PUT (one durable commit each) timed with
SQLite's WAL at synchronous=NORMAL and at FULL, side by side, on a temporary instance.

    uv run python bench/durability.py          # 300 saves per setting (argument: saves)

NORMAL skips the fsync of the WAL at each commit (a power cut may lose the last transactions);
FULL fsyncs it (an acknowledged save survives). docs/operations.md records the figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from workbench.app import create_app
from workbench.core.segment import segment_text
from workbench.data import api_tokens, db as database, store
from workbench.data.instance import Instance
from workbench.services import setup


def run(setting: str, saves: int) -> list[float]:
    database.SYNCHRONOUS = setting
    with tempfile.TemporaryDirectory() as folder:
        instance = Instance(Path(folder) / "instance")
        setup.prepare_instance(instance)  # with the shipped glossaries
        db = instance.db()
        assert db.execute("PRAGMA synchronous").fetchone()[0] == {"NORMAL": 1, "FULL": 2}[setting]
        text = "Title\n" + " ".join(f"Officials met in Baku on day {i}." for i in range(saves))
        article = store.create_article(db, title="t", byline=None, filename=None, fmt="txt",
                                       segmentation=segment_text(text))
        token = api_tokens.add_token(db, "bench", "translator")["token"]
        db.close()
        client = create_app({"TESTING": True, "API_RATE_LIMIT": 10**9}, instance_path=instance.path).test_client()
        auth = {"Authorization": f"Bearer {token}"}
        times = []
        for index in range(1, saves + 1):
            start = time.perf_counter()
            response = client.put(f"/api/v1/articles/{article}/translations/az/segments/{index}", headers=auth,
                                  json={"target": f"Cümlə {index}.", "status": "edited", "base_version": 0})
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text
        return times


def main() -> None:
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"{saves} API segment saves per setting (PUT .../segments/N), ms per save")
    print(f"{'synchronous':<12} {'median':>8} {'p95':>8} {'mean':>8}")
    for setting in ("NORMAL", "FULL", "NORMAL", "FULL"):  # twice each: the machine is shared
        times = sorted(t * 1000 for t in run(setting, saves))
        print(f"{setting:<12} {statistics.median(times):8.2f} {times[int(len(times) * 0.95)]:8.2f} "
              f"{statistics.fmean(times):8.2f}")


if __name__ == "__main__":
    main()
