"""Schema migrations, run when a server or a command opens the database.

Each step runs once, in order, inside one transaction with the version it reaches,
so a crash mid-way leaves the previous version intact. Two hosts starting together
are serialised by the write lock (database.Database.transaction(write=True)).
"""

from __future__ import annotations

from termlight.store.database import Database

# {serial} becomes an auto-increment primary key in each dialect.
STEPS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO meta (key, value) VALUES ('glossary', 0), ('tokens', 0);
CREATE TABLE terms (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    etag TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE term_history (
    seq {serial},
    term_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_data TEXT,
    after_data TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    undoes BIGINT
);
CREATE INDEX term_history_term ON term_history (term_id, seq);
CREATE TABLE suggestions (
    id {serial},
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    definition TEXT NOT NULL,
    aliases TEXT NOT NULL,
    source_url TEXT,
    term_id TEXT,
    comment TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    note TEXT NOT NULL,
    result_term_id TEXT
);
CREATE INDEX suggestions_state ON suggestions (state, id);
CREATE TABLE tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
"""),
]

SERIAL = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgres": "BIGSERIAL PRIMARY KEY"}
LATEST = STEPS[-1][0]


def _statements(sql: str, dialect: str) -> list[str]:
    text = sql.replace("{serial}", SERIAL[dialect])
    return [s.strip() for s in text.split(";") if s.strip()]


def migrate(db: Database) -> int:
    """Bring the schema to the latest version; returns the version reached."""
    db.use_wal()
    with db.transaction(write=True) as tx:
        tx.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = tx.one("SELECT MAX(version) FROM schema_version")
        current = row[0] if row and row[0] is not None else 0
        for version, sql in STEPS:
            if version <= current:
                continue
            for statement in _statements(sql, db.dialect):
                tx.run(statement)
            tx.run("INSERT INTO schema_version (version) VALUES (?)", (version,))
            current = version
    return current
