"""The database schema, as the migrations that build it (sqlite-utils' migrations, applied in order).

Each migration registers on `migrations` below; `db.open_db` applies the missing ones.
"""

from __future__ import annotations

import sqlite_utils

from sqlite_utils.migrations import Migrations
from workbench.core import hygiene
from workbench.core.counts import words
from workbench.core.segment import source_key

migrations = Migrations("workbench")


@migrations()
def m001_articles_segments_translations(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            byline TEXT,
            filename TEXT,
            format TEXT NOT NULL,
            source_lang TEXT NOT NULL DEFAULT 'en',
            source_text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT
        )""")
    db.execute("""
        CREATE TABLE paragraphs (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            kind TEXT NOT NULL,
            UNIQUE (article_id, idx)
        )""")
    db.execute("""
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            paragraph_idx INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (article_id, idx)
        )""")
    db.execute("""
        CREATE TABLE translations (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('untranslated', 'mt_draft', 'edited', 'approved')),
            origin TEXT,
            mt_text TEXT,
            alternatives TEXT NOT NULL DEFAULT '[]',
            choice_note TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            updated_by TEXT,
            UNIQUE (segment_id, lang)
        )""")
    db.execute("CREATE INDEX translations_lang_status ON translations (lang, status)")
    db.execute("""
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            translation_id INTEGER NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            before_text TEXT,
            after_text TEXT NOT NULL,
            before_status TEXT,
            after_status TEXT NOT NULL,
            origin TEXT,
            changed_by TEXT,
            changed_at TEXT NOT NULL,
            note TEXT
        )""")
    db.execute("CREATE INDEX history_translation ON history (translation_id, version)")


@migrations()
def m002_termbase_and_findings(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE glossaries (
            name TEXT PRIMARY KEY,
            source TEXT,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE concepts (
            glossary TEXT NOT NULL REFERENCES glossaries(name) ON DELETE CASCADE,
            id TEXT NOT NULL,
            domain TEXT NOT NULL,
            note TEXT,
            source TEXT,
            PRIMARY KEY (glossary, id)
        )""")
    db.execute("""
        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            glossary TEXT NOT NULL,
            concept_id TEXT NOT NULL,
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('preferred', 'admitted', 'forbidden')),
            pos TEXT,
            note TEXT,
            FOREIGN KEY (glossary, concept_id) REFERENCES concepts(glossary, id) ON DELETE CASCADE
        )""")
    db.execute("CREATE INDEX terms_concept ON terms (glossary, concept_id)")
    db.execute("CREATE INDEX terms_text ON terms (lang, text)")
    db.execute("""
        CREATE TABLE concept_history (
            id INTEGER PRIMARY KEY,
            glossary TEXT NOT NULL,
            concept_id TEXT NOT NULL,
            action TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT,
            changed_by TEXT,
            changed_at TEXT NOT NULL
        )""")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('termbase_revision', '0')")
    db.execute("""
        CREATE TABLE term_findings (
            id INTEGER PRIMARY KEY,
            translation_id INTEGER NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
            glossary TEXT NOT NULL,
            concept TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'forbidden')),
            source_text TEXT NOT NULL,
            source_start INTEGER NOT NULL,
            target_text TEXT,
            target_start INTEGER
        )""")
    db.execute("CREATE INDEX term_findings_translation ON term_findings (translation_id)")


@migrations()
def m003_users_and_jobs(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer', 'admin')),
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
            langs TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            message TEXT,
            created_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")


@migrations()
def m004_qa_tm_effort(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE qa_findings (
            id INTEGER PRIMARY KEY,
            translation_id INTEGER NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
            "check" TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
            message TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX qa_findings_translation ON qa_findings (translation_id)")
    db["translations"].add_column("pe_distance", float)
    db.execute("""
        CREATE TABLE tm_units (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            source_key TEXT NOT NULL,
            article_id INTEGER,
            created_by TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (target_lang, source_key)
        )""")
    # Full-text index of TM sources: fuzzy lookups fetch candidates here, never by scanning.
    db.execute("CREATE VIRTUAL TABLE tm_units_fts USING fts5(source, content='tm_units', "
               "content_rowid='id', tokenize='unicode61')")
    _tm_fts_triggers(db)


def _tm_fts_triggers(db: sqlite_utils.Database) -> None:
    """Keep the full-text index of TM sources in step with tm_units (dropped with the table)."""
    db.execute("CREATE TRIGGER tm_units_ai AFTER INSERT ON tm_units BEGIN "
               "INSERT INTO tm_units_fts(rowid, source) VALUES (new.id, new.source); END")
    db.execute("CREATE TRIGGER tm_units_ad AFTER DELETE ON tm_units BEGIN "
               "INSERT INTO tm_units_fts(tm_units_fts, rowid, source) VALUES ('delete', old.id, old.source); END")
    db.execute("CREATE TRIGGER tm_units_au AFTER UPDATE ON tm_units BEGIN "
               "INSERT INTO tm_units_fts(tm_units_fts, rowid, source) VALUES ('delete', old.id, old.source); "
               "INSERT INTO tm_units_fts(rowid, source) VALUES (new.id, new.source); END")


@migrations()
def m005_tm_vocabulary(db: sqlite_utils.Database) -> None:
    # Document frequency per word: fuzzy lookups query the rarest words of a sentence first.
    db.execute("CREATE VIRTUAL TABLE tm_units_vocab USING fts5vocab(tm_units_fts, 'row')")


@migrations()
def m006_job_worker(db: sqlite_utils.Database) -> None:
    db["jobs"].add_column("worker", str)  # host:pid of the worker that ran it


@migrations()
def m007_job_options(db: sqlite_utils.Database) -> None:
    db["jobs"].add_column("options", str)  # JSON: MT settings and flags given when the job was queued


@migrations()
def m014_replace_batches(db: sqlite_utils.Database) -> None:
    # One row per find-and-replace run: what it changed, so that the whole run can be undone at once.
    db.execute("""
        CREATE TABLE IF NOT EXISTS replace_batches (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            find TEXT NOT NULL,
            replace TEXT NOT NULL,
            changes TEXT NOT NULL,
            created_by TEXT,
            created_at TEXT NOT NULL,
            undone_at TEXT
        )""")


@migrations()
def m017_article_versions(db: sqlite_utils.Database) -> None:
    # An article has versions; `segments` always holds the latest one. A segment remembers the
    # version that last changed or added it (and its source before that change, for the word diff).
    db["articles"].add_column("version", int, not_null_default=1)
    db["articles"].add_column("external_id", str)
    db.execute("CREATE UNIQUE INDEX articles_external_id ON articles (external_id) "
               "WHERE external_id IS NOT NULL")
    db["segments"].add_column("changed_in", int)
    db["segments"].add_column("previous_text", str)
    db.execute("""
        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            source_text TEXT NOT NULL,
            kept INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            added INTEGER NOT NULL DEFAULT 0,
            removed INTEGER NOT NULL DEFAULT 0,
            changes TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            created_by TEXT,
            UNIQUE (article_id, version)
        )""")
    db.execute("INSERT INTO article_versions (article_id, version, title, source_text, kept, "
               "created_at, created_by) SELECT a.id, 1, a.title, a.source_text, "
               "(SELECT COUNT(*) FROM segments s WHERE s.article_id = a.id), a.created_at, a.created_by "
               "FROM articles a")
    # Segments a new version dropped, with their translations and history (OmegaT's orphans):
    # never deleted, readable in the article's history and offered as memory matches.
    db.execute("""
        CREATE TABLE removed_segments (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            removed_in INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            translations TEXT NOT NULL DEFAULT '{}'
        )""")
    db.execute("CREATE INDEX removed_segments_article ON removed_segments (article_id, removed_in)")
    db["tm_units"].add_column("orphan", int, not_null_default=0)


@migrations(transactional=False)
def m018_source_changed_status(db: sqlite_utils.Database) -> None:
    """Allow the fifth translation status, 'source_changed', in the status CHECK constraint."""
    _widen_status_check(db, "source_changed")


def _widen_status_check(db: sqlite_utils.Database, status: str) -> None:
    """Add `status` to the translations' status CHECK constraint.

    SQLite cannot alter a CHECK constraint: the table is rebuilt the way sqlite-utils' transform
    does it (every column, key and index kept), with only the status list widened. Foreign keys
    are off during the rebuild so dropping the old table cascades nothing.
    """
    table = db["translations"]
    check = next(c for c in table.checks if c.column == "status")
    if f"'{status}'" in check.check:
        return
    widened = check.check.rstrip()[:-1] + f", '{status}')"  # "status IN (...)"
    statements = table.transform_sql()
    statements[0] = statements[0].replace(check.check, widened, 1)
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            for sql in statements:
                db.execute(sql)
            if db.execute("PRAGMA foreign_key_check").fetchall():
                raise RuntimeError("foreign key check failed while widening translation statuses")
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    finally:
        db.execute("PRAGMA foreign_keys=ON")


@migrations()
def m008_revocable_sessions(db: sqlite_utils.Database) -> None:
    # A session cookie carries the generation it was issued for; logout, a new password or
    # disabling the account bump it, which ends every session of that user at once.
    db["users"].add_column("session_generation", int, not_null_default=0)
    db["users"].add_column("disabled_at", str)


@migrations()
def m009_account_keys_and_login_attempts(db: sqlite_utils.Database) -> None:
    # name_key: the case-folded name, unique, so "Admin" cannot sit beside "admin".
    db["users"].add_column("name_key", str)
    for row in db.query("SELECT id, name FROM users"):
        db.execute("UPDATE users SET name_key = ? WHERE id = ?", [row["name"].strip().casefold(), row["id"]])
    duplicates = db.execute("SELECT name_key FROM users GROUP BY name_key HAVING COUNT(*) > 1").fetchall()
    if not duplicates:  # an older instance holding both spellings keeps them (and the app's check)
        db.execute("CREATE UNIQUE INDEX users_name_key ON users (name_key)")
    # Failed sign-ins per account and per client address: the login rate limit reads them.
    db.execute("""
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
            key TEXT NOT NULL,
            at REAL NOT NULL
        )""")
    db.execute("CREATE INDEX login_failures_key ON login_failures (kind, key, at)")


@migrations()
def m023_concept_suggestions(db: sqlite_utils.Database) -> None:
    # Translators propose a new concept or a change; an admin accepts or rejects it. The row keeps
    # the concept as it was when proposed (base_json), so accepting over a later edit is refused.
    db.execute("""
        CREATE TABLE concept_suggestions (
            id INTEGER PRIMARY KEY,
            glossary TEXT NOT NULL,
            concept_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('new', 'change')),
            proposed_json TEXT NOT NULL,
            base_json TEXT,
            comment TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT,
            decision_note TEXT
        )""")
    db.execute("CREATE INDEX concept_suggestions_status ON concept_suggestions (status, id)")


@migrations()
def m019_api_tokens(db: sqlite_utils.Database) -> None:
    # Bearer tokens for the REST API: only a SHA-256 of the token is kept (tokens are random and
    # long, so a fast hash is enough); a revoked token stays listed, for the record.
    db.execute("""
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer', 'admin')),
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT,
            last_used_at TEXT,
            revoked_at TEXT
        )""")
    db.execute("CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL")


@migrations()
def m020_webhooks(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT,
            disabled_at TEXT
        )""")
    db.execute("""
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
            message_id TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            response_status INTEGER,
            error TEXT,
            queued_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id)")


@migrations()
def m012_translation_follows(db: sqlite_utils.Database) -> None:
    # The segment whose human edit this translation took over as one of its repetitions; NULL once
    # a person saves the row itself (repetitions.py). Such a row may follow the next edit too.
    db["translations"].add_column("follows", int)
    db["history"].add_column("follows", int)  # the row's `follows` after this change (for undo)


@migrations()
def m015_segment_comments(db: sqlite_utils.Database) -> None:
    # Reviewer <-> translator notes on one segment's translation into one language.
    db.execute("""
        CREATE TABLE IF NOT EXISTS segment_comments (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            author TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS segment_comments_segment ON segment_comments (segment_id, lang)")


@migrations()
def m024_segment_keys_and_word_counts(db: sqlite_utils.Database) -> None:
    # Stored so that the editor finds a segment's repetitions and an article's word totals with
    # an index and a SUM, not by reading the whole article (a 50,000-segment page took 1.4 s).
    db["segments"].add_column("source_key", str)
    db["segments"].add_column("words", int)
    db["translations"].add_column("words", int)
    db.conn.executemany("UPDATE segments SET source_key = ?, words = ? WHERE id = ?",
                        [(source_key(text), words(text), sid)
                         for sid, text in db.conn.execute("SELECT id, text FROM segments")])
    db.conn.executemany("UPDATE translations SET words = ? WHERE id = ?",
                        [(words(text), tid) for tid, text in db.conn.execute("SELECT id, text FROM translations")])
    db.execute("CREATE INDEX segments_article_source_key ON segments (article_id, source_key)")
    # The side panel's consistency check looks up other translations with the same concept.
    db.execute("CREATE INDEX term_findings_concept ON term_findings (glossary, concept)")


@migrations()
def m031_webhook_delivery_leases(db: sqlite_utils.Database) -> None:
    # When the next attempt is due, and until when a queued or running attempt answers for the
    # delivery: a pending delivery past its lease was lost with its process and is queued again.
    db["webhook_deliveries"].add_column("next_attempt_at", str)
    db["webhook_deliveries"].add_column("lease_until", str)
    db["webhook_deliveries"].add_column("attempted_by", str)  # host:pid of the process in the attempt
    db.execute("CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, lease_until)")


@migrations()
def m032_job_resumes(db: sqlite_utils.Database) -> None:
    # How often a job was put back in the queue after its worker died (data/jobs.py resume).
    db["jobs"].add_column("resumes", int, not_null_default=0)
    db.execute("CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status)")


@migrations()
def m033_token_owners(db: sqlite_utils.Database) -> None:
    # A token belongs to an account (owner_id; NULL: a service token, named by its name), may
    # expire, and stops working when its owner is disabled (data/api_tokens.py).
    db["api_tokens"].add_column("owner_id", int)
    db["api_tokens"].add_column("expires_at", str)


# The stored texts an older version may have let in with characters no stored text may hold
# (core/hygiene.py): table -> its text columns. Columns that segment offsets index keep their length
# (a refused character becomes a space there); elsewhere it is removed. Line-break characters
# (vertical tab, form feed, NEL, U+2028/2029) become "\n" everywhere.
HYGIENE_COLUMNS = {
    "articles": ("title", "byline", "source_text", "external_id"),
    "article_versions": ("title", "source_text", "changes"),
    "segments": ("text", "previous_text"),
    "removed_segments": ("text", "translations"),
    "translations": ("text", "mt_text", "alternatives", "choice_note"),
    "history": ("before_text", "after_text", "note"),
    "tm_units": ("source", "target", "created_by"),
    "segment_comments": ("body",),
    "concepts": ("note", "source"),
    "terms": ("text", "note", "pos"),
    "term_findings": ("source_text", "target_text"),
    "concept_suggestions": ("comment", "proposed_json", "base_json", "decision_note"),
    "replace_batches": ("find", "replace", "changes"),
}
KEEP_LENGTH = {("articles", "source_text"), ("article_versions", "source_text"), ("segments", "text")}


@migrations()
def m034_text_hygiene(db: sqlite_utils.Database) -> None:
    # Rows stored before every door checked its text (NUL, ESC, vertical tab from the API and the
    # imports; a lone surrogate written by another tool): repaired, and counted per table in
    # hygiene_repairs, which `workbench status` reports.
    db.execute("CREATE TABLE IF NOT EXISTS hygiene_repairs (table_name TEXT PRIMARY KEY, "
               "rows_fixed INTEGER NOT NULL, repaired_at TEXT NOT NULL)")
    factory = db.conn.text_factory
    # SQLite stores what it is given; a lone surrogate in UTF-8 is not valid UTF-8 for Python's decoder.
    db.conn.text_factory = lambda raw: raw.decode("utf-8", "surrogatepass")
    try:
        counts = {table: _repair_table(db, table, columns) for table, columns in HYGIENE_COLUMNS.items()
                  if table in db.table_names()}
    finally:
        db.conn.text_factory = factory
    stamp = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')").fetchone()[0]
    db.conn.executemany("INSERT OR REPLACE INTO hygiene_repairs (table_name, rows_fixed, repaired_at) VALUES (?, ?, ?)",
                        [(table, count, stamp) for table, count in counts.items() if count])


def _repair_table(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> int:
    present = [c for c in columns if c in db[table].columns_dict]
    if not present:
        return 0
    fixed = 0
    select = ", ".join(f"[{c}]" for c in present)
    for row in db.conn.execute(f"SELECT rowid, {select} FROM [{table}]").fetchall():  # noqa: S608 - names above
        changes = {}
        for column, value in zip(present, row[1:]):
            if isinstance(value, str) and hygiene.refused_characters(value):
                changes[column] = hygiene.repair(value, keep_length=(table, column) in KEEP_LENGTH)
        if not changes:
            continue
        fixed += 1
        if table == "segments" and "text" in changes:
            changes.update(source_key=source_key(changes["text"]), words=words(changes["text"]))
        if table == "translations" and "text" in changes:
            changes["words"] = words(changes["text"])
        assignments = ", ".join(f"[{c}] = ?" for c in changes)
        db.conn.execute(f"UPDATE OR IGNORE [{table}] SET {assignments} WHERE rowid = ?",  # noqa: S608
                        [*changes.values(), row[0]])
    return fixed


@migrations()
def m035_document_model(db: sqlite_utils.Database) -> None:
    # The document model (core/document.py): a paragraph is a block of the file, with its level,
    # attributes, inline codes (what each code character of its text stands for) and its place in
    # the original file; the original file itself, per version, is the skeleton an export fills.
    for column, kind in (("level", int), ("attrs", str), ("codes", str), ("ref", str)):
        if column not in db["paragraphs"].columns_dict:
            db["paragraphs"].add_column(column, kind)
    db.execute("""
        CREATE TABLE IF NOT EXISTS article_files (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            format TEXT NOT NULL,
            name TEXT,
            data BLOB NOT NULL,
            UNIQUE (article_id, version)
        )""")


@migrations()
def m036_removed_segment_saves(db: sqlite_utils.Database) -> None:
    # A save that arrives for a segment a story update removed keeps its text with the removed
    # segment (never lost): which segment it was, and the texts kept per language.
    if "segment_id" not in db["removed_segments"].columns_dict:
        db["removed_segments"].add_column("segment_id", int)
    if "kept_saves" not in db["removed_segments"].columns_dict:
        db["removed_segments"].add_column("kept_saves", str, not_null_default="[]")
    db.execute("CREATE INDEX IF NOT EXISTS removed_segments_segment ON removed_segments (segment_id)")


@migrations()
def m037_assignments_and_archive(db: sqlite_utils.Database) -> None:
    # Who translates and reviews an article's language, by when, and where the work stands
    # (services/assignments.py); articles can be archived (hidden from lists, kept in the TM).
    db.execute("""
        CREATE TABLE IF NOT EXISTS assignments (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            translator TEXT,
            reviewer TEXT,
            due TEXT,
            state TEXT NOT NULL DEFAULT 'translating'
                CHECK (state IN ('translating', 'in review', 'sent back', 'approved')),
            reason TEXT,
            updated_at TEXT NOT NULL,
            updated_by TEXT,
            PRIMARY KEY (article_id, lang)
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS assignments_translator ON assignments (translator)")
    db.execute("CREATE INDEX IF NOT EXISTS assignments_reviewer ON assignments (reviewer)")
    for column in ("archived_at", "archived_by"):
        if column not in db["articles"].columns_dict:
            db["articles"].add_column(column, str)


@migrations()
def m040_tm_variants_and_metadata(db: sqlite_utils.Database) -> None:
    # A TMX memory may hold two translations of one source: both are units (offered as matches);
    # only an identical one is a duplicate. `meta` keeps what an imported unit held (tags as written,
    # attributes, props, notes, inline codes) for the export and the match's details.
    db.execute("""
        CREATE TABLE tm_units_new (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            source_key TEXT NOT NULL,
            article_id INTEGER,
            created_by TEXT,
            created_at TEXT NOT NULL,
            orphan INTEGER NOT NULL DEFAULT 0,
            meta TEXT
        )""")
    db.execute("INSERT INTO tm_units_new (id, source_lang, target_lang, source, target, source_key, article_id, "
               "created_by, created_at, orphan) SELECT id, source_lang, target_lang, source, target, source_key, "
               "article_id, created_by, created_at, orphan FROM tm_units")
    db.execute("DROP TABLE tm_units")  # its triggers go with it; the FTS index keeps the same ids
    db.execute("ALTER TABLE tm_units_new RENAME TO tm_units")
    db.execute("CREATE UNIQUE INDEX tm_units_variant ON tm_units (target_lang, source_key, target)")
    _tm_fts_triggers(db)


@migrations()
def m041_termbase_tbx_details(db: sqlite_utils.Database) -> None:
    # What a TBX file holds beyond the columns (definitions, subject field as written, language
    # tags and status values as written, contexts, sources), as JSON, for the glossary and exports.
    db["concepts"].add_column("extra", str)
    db["terms"].add_column("extra", str)


@migrations(transactional=False)
def m038_needs_review_status(db: sqlite_utils.Database) -> None:
    """Allow a sixth translation status, 'needs_review': a translation another tool marked for review
    (XLIFF needs-review-*, needs-adaptation, needs-l10n), shown as such until someone saves or
    approves it."""
    _widen_status_check(db, "needs_review")


@migrations()
def m050_notifications(db: sqlite_utils.Database) -> None:
    # What happened to a person's work (services/notifications.py): assigned, sent back, mentioned,
    # due soon, story updated, approved. `key` makes a notification computed on sight (due soon)
    # unique; `mail` is the e-mail outbox: 'pending' until the queue sends it after the commit.
    db.execute("""
        CREATE TABLE IF NOT EXISTS notifications (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL,
            kind TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
            lang TEXT,
            title TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            by TEXT,
            key TEXT UNIQUE,
            created_at TEXT NOT NULL,
            read_at TEXT,
            mail TEXT CHECK (mail IN ('pending', 'queued', 'sent', 'failed')),
            mail_error TEXT
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS notifications_person ON notifications (person, read_at)")
    db.execute("CREATE INDEX IF NOT EXISTS notifications_mail ON notifications (mail)")


@migrations()
def m051_notification_settings(db: sqlite_utils.Database) -> None:
    # Per person: the address e-mail goes to and the kinds of notification e-mailed (JSON list).
    db.execute("""
        CREATE TABLE IF NOT EXISTS notification_settings (
            person TEXT PRIMARY KEY,
            email TEXT,
            kinds TEXT NOT NULL DEFAULT '[]'
        )""")


@migrations()
def m052_presence(db: sqlite_utils.Database) -> None:
    # Who has an article's language open in an editor, on which segment and whether typing there
    # (data/live.py); a row is a heartbeat from the editor's poll and counts only while fresh.
    # `taken_by` names the colleague who took over the segment this person was typing in.
    db.execute("""
        CREATE TABLE IF NOT EXISTS presence (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            user TEXT NOT NULL,
            segment_id INTEGER,
            typing INTEGER NOT NULL DEFAULT 0,
            taken_by TEXT,
            taken_segment INTEGER,
            seen_at REAL NOT NULL,
            PRIMARY KEY (article_id, lang, user)
        )""")


# What the live log records, per table: a trigger per write, so every writer (the editor, the API,
# the CLI, MT jobs, story versions) shows up in open editors without each service announcing it.
_LIVE_TRIGGERS = {
    "live_translation_insert": ("AFTER INSERT ON translations",
                                "(SELECT article_id FROM segments WHERE id = NEW.segment_id), NEW.lang, "
                                "'segment', NEW.segment_id"),
    "live_translation_update": ("AFTER UPDATE ON translations",
                                "(SELECT article_id FROM segments WHERE id = NEW.segment_id), NEW.lang, "
                                "'segment', NEW.segment_id"),
    "live_comment_insert": ("AFTER INSERT ON segment_comments",
                            "(SELECT article_id FROM segments WHERE id = NEW.segment_id), NEW.lang, "
                            "'comment', NEW.segment_id"),
    "live_comment_update": ("AFTER UPDATE ON segment_comments",
                            "(SELECT article_id FROM segments WHERE id = NEW.segment_id), NEW.lang, "
                            "'comment', NEW.segment_id"),
    "live_assignment_insert": ("AFTER INSERT ON assignments", "NEW.article_id, NEW.lang, 'assignment', NULL"),
    "live_assignment_update": ("AFTER UPDATE ON assignments", "NEW.article_id, NEW.lang, 'assignment', NULL"),
    "live_story_version": ("AFTER UPDATE OF version ON articles", "NEW.id, NULL, 'story', NULL"),
}


@migrations()
def m053_live_changes(db: sqlite_utils.Database) -> None:
    # A per-article change log for open editors (data/live.py): its newest id is the article's
    # change counter an editor polls with (`?since=`), the rows since say what to fetch again.
    db.execute("""
        CREATE TABLE IF NOT EXISTS live_changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id INTEGER NOT NULL,
            lang TEXT,
            kind TEXT NOT NULL,
            segment_id INTEGER,
            at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0)
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS live_changes_article ON live_changes (article_id, id)")
    for name, (when, values) in _LIVE_TRIGGERS.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(f"CREATE TRIGGER {name} {when} BEGIN "
                   f"INSERT INTO live_changes (article_id, lang, kind, segment_id) VALUES ({values}); END")
