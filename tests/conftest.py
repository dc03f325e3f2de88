"""Shared fixtures: a temporary instance, the CLI runner, tiny real .argosmodel packages, a fake engine."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Commands run without --instance must not write into the checkout's instance/ folder.
os.environ.setdefault("WORKBENCH_INSTANCE", tempfile.mkdtemp(prefix="workbench-tests-"))
# Where PYTHONDONTWRITEBYTECODE is set (no __pycache__ in the checkout or the virtualenv), every
# Python process the suite starts (pytest-xdist's workers, `workbench serve`, the CLI, the docs'
# examples: hundreds a run) compiled Flask, Werkzeug and the workbench from source again, ~1 s of
# CPU each. They share one bytecode folder for the run instead, outside the checkout
# (PYTHONPYCACHEPREFIX); this process fills it with what it imports from here on.
if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="workbench-tests-pycache-")
    sys.pycache_prefix, sys.dont_write_bytecode = os.environ["PYTHONPYCACHEPREFIX"], False
    atexit.register(shutil.rmtree, sys.pycache_prefix, ignore_errors=True)
# Accounts hash their passwords with one pbkdf2 round instead of scrypt (~0.1 s each, hundreds of
# accounts and sign-ins a run); set in the environment so the servers and CLIs the tests start
# inherit it. tests/test_accounts.py checks that without it a password is hashed with scrypt.
os.environ["WORKBENCH_PASSWORD_HASH"] = "pbkdf2:sha256:1"

import pytest
from click.testing import CliRunner
from hypothesis import settings

# The suite (and CI) runs the property tests on a fixed seed: a failure is then a failure of the
# code, found again on every run, not of the day's draw. To look for new failing inputs, run
# `HYPOTHESIS_PROFILE=explore uv run pytest tests/test_fuzz_importers.py` (new random inputs each run).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

from workbench.console import main
from workbench.queue.tasks import make_queue
from workbench.core import codes
from workbench.core.document import CodeBuilder
from workbench.core.formats.articles import _blocks_to_doc
from workbench.services import articles, runtime, setup, translations
from workbench.services.actor import Actor
from workbench.data.instance import Instance
from workbench.core.mt.engine import Hypothesis
from workbench.core.mt.synthetic import build_argos_package, build_family_model
from workbench.core.segment import segment_text
from workbench.core.terms.model import Concept, Term
from workbench.data import store, termbase

DEMO_ARTICLE = Path(__file__).resolve().parent.parent / "workbench" / "demo" / "defence-talks-baku.txt"


@pytest.fixture
def demo_article() -> Path:
    """The demo article shipped in the package (workbench/demo)."""
    return DEMO_ARTICLE


def pick_free_port() -> int:
    """A free TCP port on the loopback interface, for servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port():
    """`free_port()`: a free TCP port on the loopback interface."""
    return pick_free_port


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory) -> dict[str, Path]:
    """Real .argosmodel files (random weights), built once per test session: en->az, en->tr, en->ru, az->en."""
    folder = tmp_path_factory.mktemp("argos")
    return {pair: build_argos_package(folder / f"translate-{pair}-1_0.argosmodel",
                                      pair.split("_")[0], pair.split("_")[1], seed=seed)
            for seed, pair in enumerate(["en_az", "en_tr", "en_ru", "az_en"])}


@pytest.fixture(scope="session")
def family_models(tmp_path_factory) -> dict[str, Path]:
    """CTranslate2 model folders of each family (random weights, real tokenisers), built once per session."""
    folder = tmp_path_factory.mktemp("families")
    return {"marian": build_family_model(folder / "opus-mt-en-trk", "marian", multi_target=True, seed=3),
            "nllb": build_family_model(folder / "nllb-tiny", "nllb", seed=4),
            "m2m100": build_family_model(folder / "m2m-tiny", "m2m100", seed=5)}


@pytest.fixture(scope="session")
def template_instance(tmp_path_factory) -> Instance:
    """A prepared instance (database migrated, shipped glossaries loaded, secret key), made once a session."""
    inst = Instance(tmp_path_factory.mktemp("template") / "instance")
    setup.prepare_instance(inst)
    with inst.settings_file.open("a", encoding="utf-8") as settings:
        settings.write(TEST_PERMISSIONS)
    return inst


# The newsroom defaults (core/permissions.py) keep importing, story versions and MT to reviewers and
# admins. Most tests import, upload or translate as "tina" (a translator) while testing something
# else, so the test instances let translators do those three; tests/test_permissions.py checks the
# defaults on an instance without this table, and an override.
TEST_PERMISSIONS = """
[permissions]
import = ["translator", "reviewer", "admin"]
upload_versions = ["translator", "reviewer", "admin"]
start_mt = ["translator", "reviewer", "admin"]
"""


def copy_instance(template: Instance, path: Path) -> Instance:
    """A copy of the template's folder (a file copy costs ~1 ms, `init` ~0.1 s), with its own secret key."""
    shutil.copytree(template.path, path)
    (path / "secret_key").write_text(secrets.token_hex(32))
    return Instance(path)


@pytest.fixture
def instance(tmp_path, template_instance) -> Instance:
    """A fresh initialised instance for the test: a copy of the session's template."""
    return copy_instance(template_instance, tmp_path / "instance")


@pytest.fixture
def db(instance):
    database = instance.db()
    yield database
    database.close()


class Cli:
    def __init__(self, instance: Instance):
        self.instance = instance
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None):
        result = self.runner.invoke(main, list(args)
                                    + ["--instance", str(self.instance.path)], input=input,
                                    catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(instance) -> Cli:
    return Cli(instance)


@pytest.fixture
def cli_on():
    """`cli_on(instance)`: the CLI runner for another instance than the test's own (a live server's)."""
    return Cli


class FakeEngine:
    """Deterministic engine behind the real interface: '[lang] text', with numbered alternatives."""

    def __init__(self, lang: str = "az", hypotheses: int = 3, fail_on_call: int | None = None):
        self.lang, self.n, self.calls, self.fail_on_call = lang, hypotheses, 0, fail_on_call
        self.origin = f"mt:fake-en_{lang}"

    def translate(self, texts):
        self.calls += 1
        if self.fail_on_call == self.calls:
            raise KeyboardInterrupt
        return [[Hypothesis(f"[{self.lang}] {t}" + ("" if i == 0 else f" ({i})"), -float(i))
                 for i in range(self.n)] for t in texts]


@pytest.fixture
def fake_engine():
    return FakeEngine


@pytest.fixture(autouse=True)
def install_without_tuning(monkeypatch):
    """`workbench models install` times the layouts (seconds each); tests that install only to
    translate skip it as a script can (WORKBENCH_NO_TUNE), tests/test_mt.py checks the sweep."""
    monkeypatch.setenv("WORKBENCH_NO_TUNE", "1")


@pytest.fixture(autouse=True)
def no_queue_between_tests():
    """Each door hands the services its queue (services/runtime.py); none outlives its test."""
    yield
    runtime.use(None)


@pytest.fixture
def job_queue(tmp_path):
    """A real huey queue on SQLite in its own folder, as `workbench serve` makes one (not started)."""
    queue = make_queue(tmp_path / "queue")
    yield queue
    queue.huey.flush()


# --- the real server ---------------------------------------------------------------------------

def start_live_server(instance):
    """`workbench serve` for `instance` on a free loopback port, once it answers; (process, url)."""
    port = pick_free_port()
    env = {**os.environ, "WORKBENCH_INSTANCE": str(instance.path)}
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a loaded shared machine can take long to start Python
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url + "/login", timeout=5)
            return process, url
        except OSError:
            time.sleep(0.05)
    process.kill()
    pytest.fail("server did not start: " + process.stdout.read().decode())


def stop_server(process) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def start_server():
    """`start_server(instance)`: a `workbench serve` of the test's own (for a test that kills or restarts
    it, or needs an instance as no other test leaves it); (process, url). The test stops it."""
    return start_live_server


REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on a free loopback port, for the test alone (skips without one)."""
    if REDIS is None:
        pytest.skip("redis-server is not installed")
    port = pick_free_port()
    server = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


# --- webhooks ------------------------------------------------------------------------------------

class Receiver:
    """A loopback HTTP server recording each POST (and the path of each GET); answers `status` (200
    unless told otherwise), with a `location` header when one is set, after waiting for `hold` (an
    Event) when one is set."""

    def __init__(self):
        self.received, self.status, self.location, self.gets, self.hold = [], 200, None, [], None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                if receiver.hold is not None:  # keep the sender waiting (an attempt in flight)
                    receiver.hold.wait(60)
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def do_GET(self):
                receiver.gets.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", pick_free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        """The "type" of each event received, in order."""
        return [json.loads(body)["type"] for _, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(cli, receiver):
    """A webhook for every event, to `receiver`, added through the CLI."""
    return cli.json("webhooks", "add", receiver.url, "--events", "language.approved,article.updated,job.finished")


@pytest.fixture
def sent_at_once(monkeypatch):
    """Commands run the jobs and webhook deliveries they queue at once, in the test's thread."""
    monkeypatch.setattr("workbench.cli.common.make_queue", lambda path: make_queue(path, immediate=True))


def _save_as(db, segment_id: int, lang: str, text: str, *, base_version: int | None, user: str | None,
             status: str = "edited", note: str | None = None) -> dict:
    """A save through services/translations.py (findings, memory, repetitions, events), by a person
    named `user` with the role the status needs: what store.save_translation did before it became
    the data layer's row write only. Approving over errors gives a reason, as a test's setup."""
    approve = status == "approved"
    actor = Actor.person({"name": user or "test", "role": "reviewer" if approve else "translator"})
    try:
        saved = translations.save(db, actor, segment_id, lang, text, base_version=base_version, approve=approve,
                                  note=note)
    except translations.NeedsReason:
        saved = translations.save(db, actor, segment_id, lang, text, base_version=base_version, approve=True,
                                  note=note, reason="set up by a test")
    return saved.translation


@pytest.fixture
def save_as():
    """`save_as(db, segment_id, lang, text, *, base_version, user, status="edited", note=None)`: a save
    through services/translations.py by a person named `user` (see _save_as); the saved row."""
    return _save_as


# --- articles and approved translations, for the consistency and candidates tests -------------

def _make_article(db, text: str, title: str = "T") -> int:
    return store.create_article(db, title=title, byline=None, filename=None, fmt="txt",
                                segmentation=segment_text(text))


def _approve(db, article_id: int, lang: str, texts: list[str | None]) -> None:
    for segment, text in zip(store.segments(db, article_id), texts):
        if text is not None:
            current = store.get_translation(db, segment["id"], lang)  # a repetition may have followed
            _save_as(db, segment["id"], lang, text, base_version=current["version"] if current else 0, user="t",
                     status="approved")


def _make_coded_article(db) -> int:
    """An article built through the document model, as the HTML importer gives it: a title, then
    "The <b>minister</b> met the <a href=…>envoy</a> in Baku. Talks went well." (one paragraph,
    two sentences: the first with bold {1}…{/1} and a link {2}…{/2}, the second without codes)."""
    title = CodeBuilder()
    title.text("Talks in Baku")
    body = CodeBuilder()
    body.text("The ")
    bold = body.open(codes.Mark("b", native={"open": "<b>", "close": "</b>"}))
    body.text("minister")
    body.close(bold)
    body.text(" met the ")
    link = body.open(codes.Mark("a", {"href": "https://example.org/envoy"},
                                {"open": '<a href="https://example.org/envoy">', "close": "</a>"}))
    body.text("envoy")
    body.close(link)
    body.text(" in Baku. Talks went well.")
    doc = _blocks_to_doc([title.block("title"), body.block("paragraph")], "html", "talks.html")
    made = articles.create_article(db, Actor.person({"name": "tina", "role": "translator"}), doc)
    return made["article"]


CODED_SOURCE = f"The {codes.open_char(1)}minister{codes.close_char(1)} met the {codes.open_char(2)}envoy" \
               f"{codes.close_char(2)} in Baku."


@pytest.fixture
def coded_article():
    """`coded_article(db)`: an article whose segment 2 is CODED_SOURCE (bold {1}, link {2}), segment 3
    a sentence without codes; its id."""
    return _make_coded_article


@pytest.fixture
def make_article():
    """`make_article(db, text, title="T")`: a plain-text article; its id."""
    return _make_article


@pytest.fixture
def approve():
    """`approve(db, article_id, lang, texts)`: approve the article's segments with these texts (None skips one)."""
    return _approve


def _consistency_seed(db):
    termbase.import_concepts(db, "test", [Concept("place.karabakh", "place", terms=[
        Term("en", "Karabakh"), Term("tr", "Karabağ"), Term("tr", "Yukarı Karabağ", "admitted")])])
    first = _make_article(db, "Officials met in Karabakh on Monday. The talks with Vusal Mammadli "
                              "went well. Nothing else happened.")
    second = _make_article(db, "Officials met in Karabakh on Monday. Later the envoy spoke to "
                               "Vusal Mammadli in Karabakh.")
    _approve(db, first, "tr", ["Yetkililer pazartesi Karabağ'da bir araya geldi.",
                               "Vusal Memmedli ile görüşmeler iyi geçti.", "Başka bir şey olmadı."])
    _approve(db, second, "tr", ["Yetkililer pazartesi günü Karabağ'da görüştü.",
                                "Daha sonra elçi Yukarı Karabağ'da Vüsal Məmmədli ile konuştu."])
    _approve(db, second, "az", ["Rəsmilər bazar ertəsi Qarabağda görüşüb.", None])
    return first, second


@pytest.fixture
def consistency_seed():
    """`consistency_seed(db)`: a glossary concept (Karabakh) and two articles approved in tr (and one
    sentence in az) that render it and a name (Vusal Mammadli) differently; (first, second) ids."""
    return _consistency_seed


def _candidates_seed(db):
    first = _make_article(db, "Col-Gen Rahimov met Vusal Mammadli in Baku. The envoy thanked Vusal Mammadli. "
                              "Officials from the Caspian Energy Forum also came.")
    second = _make_article(db, "Later Vusal Mammadli flew to Ankara.")
    _approve(db, first, "az", ["General-polkovnik Rəhimov Bakıda Vüsal Məmmədli ilə görüşüb.",
                               "Səfir Vüsal Məmmədliyə təşəkkür edib.", None])
    _approve(db, second, "az", ["Sonra Vüsal Məmmədli Ankaraya uçub."])
    _approve(db, second, "tr", ["Daha sonra Vusal Memmedli Ankara'ya uçtu."])
    return first, second


@pytest.fixture
def candidates_seed():
    """`candidates_seed(db)`: two articles approved in az (and one in tr) naming Vusal Mammadli, a
    forum and places that no glossary holds; (first, second) ids."""
    return _candidates_seed
