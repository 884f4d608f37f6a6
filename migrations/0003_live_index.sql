-- 0003_live_index.sql: the (key, id) index carries `deleted` too, so a list finds each key's newest revision and
-- whether it is live from the index alone. With (key, id) only, every key of a list cost one lookup of its newest
-- row in the table (to read `deleted`): at 100k pods that was most of a warm `get pods -A`'s database time, each
-- lookup landing on a page full of JSON. Point reads (newest row of one key) use it as they used (key, id).
DROP INDEX log_key_id;
CREATE INDEX log_key_id_deleted ON log (key, id, deleted);
