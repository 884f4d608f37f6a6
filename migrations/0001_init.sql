-- 0001_init.sql: the kine-style revision log (follows k3s-io/kine pkg/drivers/sqlite/sqlite.go, adapted to one
-- SQLite file owned by one daemon). Every write appends a row; the row id is the revision, and so the
-- resourceVersion every object carries.

-- AUTOINCREMENT matters: compaction deletes rows, and without it SQLite could hand out the highest id again,
-- making revisions go backwards. sqlite_sequence also keeps the current revision after its row is compacted.
CREATE TABLE log (
  id INTEGER PRIMARY KEY AUTOINCREMENT, -- revision == resourceVersion
  key TEXT NOT NULL, -- /registry/<group>/<plural>/<ns>/<name>
  created INTEGER NOT NULL, -- 1: this row starts an incarnation of the key (ADDED)
  deleted INTEGER NOT NULL, -- 1: tombstone (DELETED); value is NULL, old_value is the last state
  create_revision INTEGER NOT NULL, -- id of the row that created this incarnation; 0 on created rows (it is id)
  prev_revision INTEGER NOT NULL, -- id of the previous row of the same key, 0 if none
  value TEXT, -- the object as JSON, resourceVersion stripped
  old_value TEXT -- on a tombstone, the last state (copied at insert); other rows leave it NULL (files of older
                 -- versions may have it) and a watch backfill reads row prev_revision instead (log-store.ts BACKFILL)
);

-- Two writers that both read revision N of a key cannot both append its successor: optimistic concurrency
-- enforced by the database itself.
CREATE UNIQUE INDEX log_key_prev ON log (key, prev_revision);
-- Newest row per key (at a revision), and prefix ranges.
CREATE INDEX log_key_id ON log (key, id);
-- kine's (id, deleted) and (prev_revision) indexes are left out on purpose: watch backfill and both compaction
-- deletes walk the primary key (id ranges; EXPLAIN QUERY PLAN in test/daemon/storage/log-store.test.ts), so
-- those indexes would only be written, never read, and each costs one more page per commit (about 20% of the
-- time of a single-row write).

-- Store-wide counters. Unlike kine's compact_rev_key sentinel row, they live outside the log: one owner.
CREATE TABLE store_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO store_meta (name, value) VALUES ('compact_revision', 0);
