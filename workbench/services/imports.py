"""Article import from the web, in the request for ordinary articles and as a job for big ones.
New versions of an article (web "Upload a new version") follow the same rules.

Segmenting costs about a millisecond per paragraph (pysbd), so a 37 KB .docx of 20,000 short
paragraphs would hold a web worker for half a minute. An upload above `background_bytes`, or
whose text has more than `background_paragraphs` paragraphs, is saved in the instance's imports/
folder and imported by a job (huey, like MT jobs); the request only reads it, within the .docx
limits, and answers at once. HTML (and Markdown, whose raw HTML is read the same way) costs far
more per byte: BeautifulSoup took 2 s on 475 KB of short paragraphs and 3.9 s on 100,000 nested
divs, so a file with more than `background_tags` tags goes to a job too. Settings: [import] in
workbench.toml.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.data import jobs, users
from workbench.services import articles, runtime, story_versions as article_versions
from workbench.services.actor import Actor
from workbench.core.errors import Forbidden, UserError
from workbench.core.formats.articles import ArticleDoc, parse_article
from workbench.core.formats.docx_text import DOCUMENT, DocxLimits
from workbench.data.instance import SettingsError
from workbench.core.limits import whole_numbers


@dataclass(frozen=True)
class ImportSettings:
    """[import] in workbench.toml: when an import becomes a job, and how far a .docx may inflate."""

    background_bytes: int = 512 * 1024
    background_paragraphs: int = 500
    background_tags: int = 20_000
    max_part_bytes: int = DocxLimits.max_part_bytes
    max_ratio: int = DocxLimits.max_ratio
    max_entries: int = DocxLimits.max_entries
    max_paragraphs: int = DocxLimits.max_paragraphs

    @classmethod
    def from_settings(cls, values: dict, where: str) -> "ImportSettings":
        try:
            return whole_numbers(cls, values, "import")
        except ValueError as err:
            raise SettingsError(f"{where}: {err}") from None

    @property
    def docx(self) -> DocxLimits:
        return DocxLimits(max_part_bytes=self.max_part_bytes, max_ratio=self.max_ratio,
                          max_entries=self.max_entries, max_paragraphs=self.max_paragraphs)


_log = logging.getLogger(__name__)


def instance_settings(instance) -> ImportSettings:
    return ImportSettings.from_settings(instance.settings().get("import", {}), str(instance.settings_file))


TAGGED = (".html", ".htm", ".md", ".markdown")


def over_budget(data: bytes, name: str, settings: ImportSettings) -> str | None:
    """Why even reading the file should wait for a job (a big upload, an HTML file of many tags, a
    .docx whose text inflates past what the request may parse), or None."""
    if len(data) > settings.background_bytes:
        return f"{len(data):,} bytes, above [import] background_bytes ({settings.background_bytes:,})"
    suffix = Path(name).suffix.lower()
    if suffix in TAGGED and (tags := data.count(b"<")) > settings.background_tags:
        return f"{tags:,} tags, above [import] background_tags ({settings.background_tags:,})"
    if suffix == ".docx":
        try:
            info = zipfile.ZipFile(io.BytesIO(data)).getinfo(DOCUMENT)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
            return None  # reading it here gives the clear error at once
        if info.file_size > 16 * settings.background_bytes:
            return (f"text of {info.file_size:,} bytes once unpacked, above 16 × [import] background_bytes "
                    f"({16 * settings.background_bytes:,})")
    return None


def too_big_to_read_here(data: bytes, name: str, settings: ImportSettings) -> bool:
    return over_budget(data, name, settings) is not None


def store_article(db, actor, doc: ArticleDoc) -> tuple[int, int]:
    """(article id, segment count) of the article made from a parsed document (articles.create_article)."""
    result = articles.create_article(db, actor, doc)
    return result["article"], result["segments"]


StaleVersion = article_versions.StaleVersion


def version_summary(name: str, result: dict) -> str:
    if result.get("unchanged"):
        return (f"{name}: the same text and title as version {result['version']}; no new version "
                "was stored.")
    return (f"{name}: version {result['version']} — {result['kept']} kept, {result['changed']} changed, "
            f"{result['added']} added, {result['removed']} removed.")


def queue_import(instance, db, data: bytes, name: str, fmt: str | None, title: str | None,
                 user: str | None, update: dict | None = None, whole_page: bool = False) -> int:
    """Save the upload and queue a job that imports it; the job id. `update`
    ({"article", "base_version"}) makes the upload that article's next version instead;
    `whole_page` imports all of a web page's text, not only its story."""
    folder = instance.path / "imports"
    folder.mkdir(exist_ok=True)
    job_id = jobs.create_job(db, None, [], user, {"kind": "import", "name": name, "fmt": fmt,
                                                   "title": title, **({"update": update} if update else {}),
                                                   **({"whole_page": True} if whole_page else {})})
    path = folder / f"{job_id}.upload"
    path.write_bytes(data)
    queue = runtime.queue()
    if queue is not None:  # else the job waits as a queued row, for a worker started later
        queue.import_article(str(instance.path), job_id)
    return job_id


def job_actor(db, job: dict):
    """The person who uploaded the file, with the role their account has when the job runs."""
    account = users.get_user(db, job["created_by"] or "")
    if account is None or account.get("disabled_at"):
        raise Forbidden(f"the account {job['created_by']!r} that uploaded the file is gone or disabled; "
                        "nothing was imported")
    return Actor.person(account)


def run_import_job(instance, db, job: dict) -> tuple[int, str]:
    """Read, segment and store a queued upload; (article id, summary). The upload is removed."""
    options = json.loads(job["options"] or "{}")
    path = Path(instance.path) / "imports" / f"{job['id']}.upload"
    try:
        doc = parse_article(path.read_bytes(), options["name"], options.get("fmt"),
                            limits=instance_settings(instance).docx,
                            whole_page=bool(options.get("whole_page")))
        if options.get("title"):
            doc.title = options["title"]
        actor = job_actor(db, job)
        if options.get("update"):
            update = options["update"]
            result = article_versions.store_version(db, actor, update["article"], doc,
                                                    base_version=update["base_version"])
            return update["article"], version_summary(options["name"], result)
        article_id, segments = store_article(db, actor, doc)
    finally:
        path.unlink(missing_ok=True)
    warnings = "".join(f" Warning: {w}" for w in doc.warnings)
    return article_id, f"Imported article {article_id}: {doc.title!r} ({segments} segments).{warnings}"


@contextlib.contextmanager
def reading(name: str, what: str):
    """Turn any failure while parsing an uploaded file into a 400 naming the file.

    The readers raise their own UserError for problems they know; anything else they raise on a
    hostile file (a parser's own exception, a recursion error) is still the file's fault. Database
    errors are the server's and stay 500s.
    """
    try:
        yield
    except (UserError, sqlite3.Error):
        raise
    except Exception as err:  # noqa: BLE001 - the upload, not the server, is broken
        _log.warning("unreadable upload %r: %r", name, err)
        raise UserError(f"{name}: could not be read as {what} ({type(err).__name__}); "
                        "check that the file is not damaged and export it again") from None
