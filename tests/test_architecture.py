"""The layers stay as docs/architecture.md draws them: the import-linter contract holds, no module
takes part in an import circle, no workbench import hides inside a function, SQL is written in the
data layer only, and importing a module creates no file and opens no database."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"
FRONT_AND_RULES = ("services", "queue", "web", "api", "cli")  # no SQL in these
# SQL as this code base writes it: keywords in capitals (prose says "Select", "from", "where").
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|WITH|BEGIN|COMMIT)\b"
                 r"|\s(FROM|WHERE|JOIN|VALUES)\s")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_layers_contract_holds():
    """`lint-imports` reads the contracts in pyproject.toml (core <- data <- services <- queue <-
    web | api | cli <- app <- console; the core and the lower layers free of Flask and click)."""
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout


def test_no_import_circles():
    graph = grimp.build_graph("workbench")
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i.startswith("workbench")}
             for m in graph.modules}
    circles = _strongly_connected(edges)
    assert circles == [], "import circles: " + "; ".join(" <-> ".join(sorted(c)) for c in circles)


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, directly or not."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle():
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_no_workbench_import_is_hidden_in_a_function():
    hidden = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.col_offset > 0 and (
                    node.level or (node.module or "").startswith("workbench")):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Import) and node.col_offset > 0 and any(
                    alias.name.startswith("workbench") for alias in node.names):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == []


def _names_a_database(node: ast.expr) -> bool:
    """`db`, `database`, `g.db`: the SQLite connection (huey's `storage.conn` is Redis's)."""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name in ("db", "database")


def _sql_in(path: Path, root: Path = ROOT) -> list[str]:
    found, where = [], path.relative_to(root)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"{where}:{node.lineno}: {node.value.strip()[:60]!r}")
        elif isinstance(node, ast.Attribute) and (node.attr in ("execute", "executemany", "query") or (
                node.attr == "conn" and _names_a_database(node.value))):
            found.append(f"{where}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "db" \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            found.append(f"{where}:{node.lineno}: db[{node.slice.value!r}]")
    return found


@pytest.mark.parametrize("layer", FRONT_AND_RULES)
def test_sql_is_written_in_the_data_layer_only(layer):
    found = [hit for path in sorted((PACKAGE / layer).rglob("*.py")) for hit in _sql_in(path)]
    assert found == [], "SQL outside workbench/data: move it into a data module\n" + "\n".join(found)


def test_the_sql_finder_sees_sql(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('def f(db):\n    return db.execute("SELECT id FROM articles WHERE id = ?", [1])\n'
                      'def g(db):\n    db["jobs"].insert({})\n'
                      'MESSAGE = "Select the segments you want, then pick a language."\n', encoding="utf-8")
    assert len(_sql_in(sample, tmp_path)) == 3  # the statement, .execute and db["jobs"]; not the message


def test_few_modules_lie_loose_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "app.py", "console.py"]


def test_importing_any_module_creates_no_file_and_opens_no_database(tmp_path):
    """Every module imported in a fresh interpreter inside an empty folder, with WORKBENCH_INSTANCE
    pointing into it: no file appears (no huey.db, no workbench.db), no sqlite connection is made."""
    names = [_name(p) for p in _modules() if p.name != "__main__.py"]
    probe = ("import importlib, sqlite3, sys\n"
             "opened = []\n"
             "real = sqlite3.connect\n"
             "sqlite3.connect = lambda *a, **k: opened.append(a) or real(*a, **k)\n"
             f"for name in {names!r}:\n"
             "    importlib.import_module(name)\n"
             "print(len(opened))\n")
    env = {**os.environ, "WORKBENCH_INSTANCE": str(tmp_path / "instance")}
    env.pop("WORKBENCH_REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "0"
    assert sorted(p.name for p in tmp_path.rglob("*")) == []
