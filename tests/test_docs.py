"""The docs match the code.

Fast checks (well under a second): every relative link in README.md and docs/*.md reaches a file,
every #anchor a heading (GitHub's slugs); no .md or .py file cites a design document the repo does
not have or a numbered section; every fenced block names its language, so no shell example can
slip past the runner; the README keeps its two Quick start commands.

SLOW part (test_shell_examples_run_slow, about a second per `workbench` command, so tens of seconds;
deselect with `-k "not slow"`): every ```bash / ```sh / ```shell / ```console block of a document
runs, in the order of the page, as ONE bash session (variables set by one block are there for the
next, as in a reader's terminal) with `set -euo pipefail`, in a fresh temporary folder with a fresh
instance (WORKBENCH_INSTANCE=./instance), and must exit 0. In that session:

* `uv run CMD` runs CMD from this virtualenv's bin folder (the `workbench` console script, its
  `python`), because `uv run` itself takes seconds a call;
* `curl` fails on an HTTP error status (`--fail-with-body`), so an example's request must succeed;
* a document whose examples talk to `http://127.0.0.1:5000` gets `workbench serve` on a free
  loopback port of the same instance, and that address is rewritten to it;
* the folder holds tiny random-weight Argos packages named like the real ones the docs install
  (translate-en_az-1_5.argosmodel, ..._tr_..., ..._ru_...), since no model is downloaded here.

A block is left out only when the line right before it is `<!-- not run: REASON -->`; each such
block is a skipped test whose reason pytest's `-ra` summary lists.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL = {"bash", "sh", "shell", "console"}
NOT_RUN = re.compile(r"^<!--\s*not run:\s*(.*?)\s*-->$")
FENCE = re.compile(r"^(```+|~~~+)\s*([\w+-]*)")
DOC_PORT = "127.0.0.1:5000"


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass
class Block:
    doc: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    not_run: str | None  # the reason, when marked

    @property
    def where(self) -> str:
        return f"{rel(self.doc)}:{self.line}"


def split(doc: Path) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of a Markdown file, and its other lines (line number, text)."""
    blocks, prose = [], []
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        fence, lang, start = match.group(1), match.group(2).lower(), i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        before = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        marked = NOT_RUN.match(before)
        blocks.append(Block(doc, start + 1, lang, "\n".join(body) + "\n", marked.group(1) if marked else None))
    return blocks, prose


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: links and code marks dropped, lower case, punctuation removed,
    spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    found, seen = set(), {}
    for _, line in split(doc)[1]:
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            base = slug(match.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
        found.update(re.findall(r'<a\s+(?:id|name)="([^"]+)"', line))
    return found


def links(doc: Path) -> list[tuple[int, str]]:
    """(line, target) of every Markdown link and image outside code."""
    found = []
    for number, line in split(doc)[1]:
        line = re.sub(r"`[^`]*`", "", line)
        found += [(number, target) for target in re.findall(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", line)]
        ref = re.match(r"^\s*\[[^\]]+\]:\s*(\S+)", line)
        if ref:
            found.append((number, ref.group(1)))
    return found


def test_docs_exist():
    names = {rel(d) for d in DOCS}
    assert {"README.md", "docs/guide.md", "docs/operations.md", "docs/api.md",
            "docs/benchmarks.md", "docs/architecture.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=rel)
def test_relative_links_and_anchors_resolve(doc):
    broken = []
    for number, target in links(doc):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto: ...
            continue
        path, _, anchor = target.partition("#")
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists():
            broken.append(f"{rel(doc)}:{number}: {target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{rel(doc)}:{number}: {target}: no heading #{anchor} in {rel(dest)}")
    assert not broken, "\n".join(broken)


PATH_MENTION = re.compile(r"(?<![\w/.:-])((?:workbench|tests|bench|glossaries|templates|docs)/[\w./-]*[\w/])")


@pytest.mark.parametrize("doc", DOCS, ids=rel)
def test_paths_named_in_the_docs_exist(doc):
    """`workbench/core/alignment.py`, `tests/...`, `bench/...`: a page must not send readers to code
    that moved."""
    text = doc.read_text(encoding="utf-8")
    missing = sorted({m for m in PATH_MENTION.findall(text) if not (ROOT / m).exists()})
    assert not missing, f"{rel(doc)} names paths that do not exist: {missing}"


def repo_files(*suffixes: str) -> list[Path]:
    """Tracked and new (not ignored) files of the checkout; shared/ is not part of the repo."""
    try:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.splitlines()
        paths = [ROOT / p for p in listed]
    except (OSError, subprocess.CalledProcessError):
        paths = [p for p in ROOT.rglob("*") if not {".git", ".venv", "shared"} & set(p.relative_to(ROOT).parts)]
    return [p for p in paths if p.suffix in suffixes and p.is_file() and not rel(p).startswith("shared/")]


def test_no_citation_of_documents_or_sections_that_do_not_exist():
    design = re.compile(r"DESIGN" + r"\.md", re.I)
    section = re.compile("\u00a7" + r"\s*\d")
    found = []
    for path in repo_files(".md", ".py"):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if design.search(line) or section.search(line):
                found.append(f"{rel(path)}:{number}: {line.strip()}")
    assert not found, "cites a document or section the repo does not have:\n" + "\n".join(found)


def all_blocks() -> list[Block]:
    return [block for doc in DOCS for block in split(doc)[0]]


def test_every_fenced_block_names_its_language():
    bare = [b.where for b in all_blocks() if not b.lang]
    assert not bare, "fenced blocks without a language (a shell example must say bash): " + ", ".join(bare)


def test_not_run_marks_give_a_reason_and_sit_on_shell_blocks():
    for block in all_blocks():
        if block.not_run is not None:
            assert block.not_run, f"{block.where}: <!-- not run: --> without a reason"
            assert block.lang in SHELL, f"{block.where}: only shell examples are run, no mark needed"


def test_readme_keeps_the_quick_start_commands():
    assert "uv run workbench demo\nuv run pytest\n" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("block", [b for b in all_blocks() if b.lang in SHELL and b.not_run is not None],
                         ids=lambda b: b.where)
def test_shell_example_not_run(block):
    """Listed, never run: pytest's summary shows each reason."""
    pytest.skip(f"{block.where} not run: {block.not_run}")


# --- the slow part: running the examples ---------------------------------------------------------

BIN = Path(sys.executable).parent
PRELUDE = r"""set -euo pipefail
uv() {
    if [ "${1-}" != run ]; then echo "docs test: only 'uv run' is available here" >&2; return 2; fi
    shift; "$@"
}
curl() { command curl --silent --show-error --fail-with-body --max-time 120 "$@"; }
"""


def workbench_bin() -> str:
    script = BIN / "workbench"
    return str(script) if script.exists() else shutil.which("workbench")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, cwd: Path) -> tuple[subprocess.Popen, int]:
    subprocess.run([workbench_bin(), "init"], env=env, cwd=cwd, check=True, capture_output=True)
    port = free_port()
    log = open(cwd / "serve.log", "wb")
    process = subprocess.Popen([workbench_bin(), "serve", "--port", str(port)], env=env, cwd=cwd,
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("workbench serve did not start:\n" + (cwd / "serve.log").read_text(errors="replace"))


def runnable(doc: Path) -> list[Block]:
    return [b for b in split(doc)[0] if b.lang in SHELL and b.not_run is None]


def commands(block: Block) -> str:
    if block.lang != "console":
        return block.text
    # a console block: commands follow "$ ", the other lines are output
    return "".join(line[2:] + "\n" for line in block.text.splitlines() if line.startswith("$ "))


class ExampleRun:
    """One document's shell examples as one bash session, started in the background."""

    def __init__(self, doc: Path, folder: Path, packages: dict[str, Path]):
        self.doc, self.folder, self.blocks = doc, folder, runnable(doc)
        for pair in ("en_az", "en_tr", "en_ru"):
            shutil.copy(packages[pair], folder / f"translate-{pair}-1_5.argosmodel")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
        env.update(WORKBENCH_INSTANCE=str(folder / "instance"), PYTHONUNBUFFERED="1",
                   PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
        self.env, self.server, self.process = env, None, None

    def start(self) -> None:
        port = None
        if any(DOC_PORT in b.text for b in self.blocks):
            self.server, port = start_server(self.env, self.folder)
        script = PRELUDE
        for block in self.blocks:
            text = commands(block)
            if port:
                text = text.replace(DOC_PORT, f"127.0.0.1:{port}")
            script += f"echo '@@ {block.where}' >&2\n{text}\n"
        (self.folder / "examples.sh").write_text(script)
        self.out, self.err = open(self.folder / "stdout", "w+"), open(self.folder / "stderr", "w+")
        self.process = subprocess.Popen(["bash", "examples.sh"], cwd=self.folder, env=self.env,
                                        stdout=self.out, stderr=self.err, stdin=subprocess.DEVNULL)

    def result(self, timeout: float = 600) -> tuple[int, str, str]:
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            self.stop()
        self.out.seek(0)
        self.err.seek(0)
        return code, self.out.read(), self.err.read()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.server and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=20)


RUNNABLE_DOCS = [d for d in DOCS if runnable(d)]


@pytest.fixture(scope="module")
def example_runs(request, tmp_path_factory, tiny_packages):
    """Every selected document's examples, started at once (they are independent: each has its own
    folder and instance), so the slow part takes as long as the longest page, not the sum."""
    wanted = {item.callspec.params["doc"] for item in request.session.items
              if getattr(item, "originalname", None) == "test_shell_examples_run_slow"
              and hasattr(item, "callspec")}
    runs = {doc: ExampleRun(doc, tmp_path_factory.mktemp("docs-examples"), tiny_packages)
            for doc in RUNNABLE_DOCS if doc in wanted}
    try:
        for run in sorted(runs.values(), key=lambda r: r.server is None):
            run.start()
        yield runs
    finally:
        for run in runs.values():
            run.stop()


@pytest.mark.parametrize("doc", RUNNABLE_DOCS, ids=rel)
def test_shell_examples_run_slow(doc, example_runs):
    code, stdout, stderr = example_runs[doc].result()
    if code != 0:
        marks = re.findall(r"^@@ (\S+)$", stderr, re.M)
        where = marks[-1] if marks else rel(doc)
        pytest.fail(f"the example at {where} failed (exit {code})\n"
                    f"--- stdout (end)\n{stdout[-4000:]}\n--- stderr (end)\n{stderr[-4000:]}")
