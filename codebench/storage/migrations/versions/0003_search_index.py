"""search: the full-text index of turns (FTS5 / PostgreSQL), kept in step by triggers; saved searches

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 10:00:00

The index and its triggers are described in ``codebench/storage/search.py``. This migration is
self-contained on purpose (it does not import the live module): it must build the same schema
for an old project file however that module changes later. Existing projects get their turns
indexed here, so search works right after the upgrade.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from codebench.errors import StorageError

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

INDEX = "search_turns"
_CHUNK = 500

# Characters a transcript uses between words besides ASCII punctuation: PostgreSQL's parser would
# otherwise keep «mentor» or d’ha as one word (and in the C locale it takes any non-ASCII
# character for a letter).
_PG_SEPARATORS = "[[:punct:]«»“”„‘’‚‹›–—…·•§°¶]"


def _pg_fold_table() -> tuple[str, str]:
    """``translate()`` arguments folding case and accents (what SQLite's unicode61 does with
    remove_diacritics 2): PostgreSQL's lower() leaves non-ASCII letters alone in the C locale."""
    source, target = [], []
    for low, high in ((0x00C0, 0x0250), (0x0370, 0x0400), (0x0400, 0x0530), (0x1E00, 0x1F00)):
        for codepoint in range(low, high):
            char = chr(codepoint)
            if not char.isprintable():
                continue
            folded = char.lower() if len(char.lower()) == 1 else char
            decomposed = unicodedata.normalize("NFD", folded)
            if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
                folded = decomposed[0]
            if folded != char:
                source.append(char)
                target.append(folded)
    return "".join(source), "".join(target)


def upgrade() -> None:
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('coder', sa.String(length=100), nullable=True),
    sa.Column('hits', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_saved_searches_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches')),
    sa.UniqueConstraint('project_id', 'name', name=op.f('uq_saved_searches_project_id_name'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_project_id'), ['project_id'], unique=False)

    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _sqlite_index(connection)
    else:
        _postgres_index(connection)
    _fill(connection)


def _sqlite_index(connection: sa.engine.Connection) -> None:
    try:
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {INDEX} USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
    except sa.exc.OperationalError as exc:
        if "fts5" in str(exc).lower():
            raise StorageError("this Python's SQLite has no FTS5 full-text search, which codebench needs; "
                               "use a Python built with a current SQLite (python.org and Debian builds have it)") from None
        raise
    body = 'substr(d.text, new.body_start + 1, new."end" - new.body_start)'
    for statement in (
        f"CREATE VIRTUAL TABLE {INDEX}_vocab USING fts5vocab({INDEX}, 'row')",
        f"CREATE TABLE {INDEX}_control (id INTEGER PRIMARY KEY CHECK (id = 1), paused INTEGER NOT NULL)",
        f"INSERT INTO {INDEX}_control (id, paused) VALUES (1, 0)",
        f"""CREATE TRIGGER {INDEX}_turn_inserted AFTER INSERT ON turns
            WHEN (SELECT paused FROM {INDEX}_control WHERE id = 1) = 0
            BEGIN
                INSERT INTO {INDEX} (rowid, body)
                SELECT new.id, {body} FROM documents d WHERE d.id = new.document_id;
            END""",
        f"""CREATE TRIGGER {INDEX}_turn_deleted AFTER DELETE ON turns
            BEGIN
                DELETE FROM {INDEX} WHERE rowid = old.id;
            END""",
        f"""CREATE TRIGGER {INDEX}_turn_updated AFTER UPDATE OF id, document_id, body_start, "end" ON turns
            BEGIN
                DELETE FROM {INDEX} WHERE rowid = old.id;
                INSERT INTO {INDEX} (rowid, body)
                SELECT new.id, {body} FROM documents d WHERE d.id = new.document_id;
            END""",
        f"""CREATE TRIGGER {INDEX}_text_updated AFTER UPDATE OF text ON documents
            BEGIN
                DELETE FROM {INDEX} WHERE rowid IN (SELECT id FROM turns WHERE document_id = new.id);
                INSERT INTO {INDEX} (rowid, body)
                SELECT t.id, substr(new.text, t.body_start + 1, t."end" - t.body_start)
                FROM turns t WHERE t.document_id = new.id;
            END""",
    ):
        connection.exec_driver_sql(statement)


def _postgres_index(connection: sa.engine.Connection) -> None:
    source, target = _pg_fold_table()
    words = "to_tsvector('simple', codebench_search_words(b.body))"
    for statement in (
        f"""CREATE TABLE {INDEX} (
                turn_id INTEGER PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
                body TEXT NOT NULL,
                tsv TSVECTOR NOT NULL)""",
        f"CREATE INDEX {INDEX}_tsv ON {INDEX} USING GIN (tsv)",
        f"CREATE TABLE {INDEX}_control (id INTEGER PRIMARY KEY CHECK (id = 1), paused BOOLEAN NOT NULL)",
        f"INSERT INTO {INDEX}_control (id, paused) VALUES (1, false)",
        f"""CREATE FUNCTION codebench_fold(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT translate(lower(value), '{source}', '{target}') $$""",
        f"""CREATE FUNCTION codebench_search_words(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT regexp_replace(codebench_fold(value), '{_PG_SEPARATORS}', ' ', 'g') $$""",
        f"""CREATE FUNCTION codebench_index_turn() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
                    DELETE FROM {INDEX} WHERE turn_id = OLD.id;
                END IF;
                IF TG_OP = 'INSERT' AND (SELECT paused FROM {INDEX}_control WHERE id = 1) THEN
                    RETURN NULL;
                END IF;
                INSERT INTO {INDEX} (turn_id, body, tsv)
                SELECT NEW.id, b.body, {words}
                FROM (SELECT substr(d.text, NEW.body_start + 1, NEW."end" - NEW.body_start) AS body
                      FROM documents d WHERE d.id = NEW.document_id) b
                ON CONFLICT (turn_id) DO UPDATE SET body = EXCLUDED.body, tsv = EXCLUDED.tsv;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {INDEX}_turn_changed AFTER INSERT OR UPDATE OF id, document_id, body_start, "end" ON turns
            FOR EACH ROW EXECUTE FUNCTION codebench_index_turn()""",
        f"""CREATE FUNCTION codebench_index_document() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {INDEX} (turn_id, body, tsv)
                SELECT b.id, b.body, {words}
                FROM (SELECT t.id, substr(NEW.text, t.body_start + 1, t."end" - t.body_start) AS body
                      FROM turns t WHERE t.document_id = NEW.id) b
                ON CONFLICT (turn_id) DO UPDATE SET body = EXCLUDED.body, tsv = EXCLUDED.tsv;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {INDEX}_text_changed AFTER UPDATE OF text ON documents
            FOR EACH ROW EXECUTE FUNCTION codebench_index_document()""",
    ):
        connection.exec_driver_sql(statement)


def _fill(connection: sa.engine.Connection) -> None:
    """Index the turns of every document already stored (one document's text read once)."""
    sqlite = connection.dialect.name == "sqlite"
    insert = (sa.text(f"INSERT INTO {INDEX} (rowid, body) VALUES (:id, :body)") if sqlite else
              sa.text(f"INSERT INTO {INDEX} (turn_id, body, tsv) "
                      "VALUES (:id, :body, to_tsvector('simple', codebench_search_words(:body)))"))
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
    for document_id in ids:
        text = connection.execute(sa.text("SELECT text FROM documents WHERE id = :id"), {"id": document_id}).scalar_one()
        rows = [{"id": turn_id, "body": text[body_start:end]} for turn_id, body_start, end in connection.execute(
            sa.text('SELECT id, body_start, "end" FROM turns WHERE document_id = :id'), {"id": document_id})]
        for i in range(0, len(rows), _CHUNK):
            connection.execute(insert, rows[i:i + _CHUNK])


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for trigger in ("turn_inserted", "turn_deleted", "turn_updated", "text_updated"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INDEX}_{trigger}")
        for table in (f"{INDEX}_vocab", INDEX, f"{INDEX}_control"):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    else:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INDEX}_turn_changed ON turns")
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INDEX}_text_changed ON documents")
        for table in (INDEX, f"{INDEX}_control"):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        for function in ("codebench_index_turn()", "codebench_index_document()", "codebench_search_words(TEXT)",
                         "codebench_fold(TEXT)"):
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table('saved_searches')
