"""Term candidates, computed once per change of their inputs (per process).

candidates.candidates() reads every segment and approved translation: seconds of CPU on a real
archive (11-17 s with two long articles), so the candidates page must not recompute it on every
request. The cache is keyed by the database file and the page's filters, and checked against a
signature of everything the result depends on, read in one statement:

* the sources: segment count and highest id, and the sum of article versions (a new version
  changes segment texts in place);
* approved translations: their count, the sum of their versions (every save bumps one) and the
  latest change;
* the termbase revision (every glossary write bumps it; term findings follow the termbase).

A request with nothing changed reuses the last result; one request computes while others asking
for the same view wait for it rather than computing it again.
"""

from __future__ import annotations

import threading

import sqlite_utils

from workbench.services import candidates as computing
from workbench.data import candidates as stored_rows
from workbench.data.db import db_key

MAX_VIEWS = 64  # cached (database, article, language) views; ?article=N may name any number

_lock = threading.Lock()
_results: dict[tuple, tuple[tuple, list[dict]]] = {}
_computing: dict[tuple, threading.Lock] = {}


def signature(db: sqlite_utils.Database) -> tuple:
    """What the candidates depend on; it changes whenever their result may."""
    return stored_rows.signature(db)


def candidates(db: sqlite_utils.Database, article_id: int | None = None, lang: str | None = None) -> list[dict]:
    """candidates.candidates(), recomputed only when its inputs changed. Do not mutate the rows."""
    key = (db_key(db), article_id, lang)
    with _lock:
        view_lock = _computing.setdefault(key, threading.Lock())
    with view_lock:
        current = signature(db)
        with _lock:
            cached = _results.get(key)
        if cached is not None and cached[0] == current:
            return list(cached[1])
        result = computing.candidates(db, article_id, lang)
        with _lock:
            _results.pop(key, None)
            _results[key] = (current, result)
            while len(_results) > MAX_VIEWS:
                oldest = next(iter(_results))
                del _results[oldest]
                _computing.pop(oldest, None)
        return list(result)


def clear() -> None:
    with _lock:
        _results.clear()
        _computing.clear()
