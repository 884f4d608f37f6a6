-- 0002_daemon_state.sql: the daemon's own settings that must survive a restart but are not Kubernetes objects
-- (the virtual clock's offset after `mkctl cluster time advance`, which nodes are stopped). Kept out of the log so
-- they never show up as revisions or watch events.
CREATE TABLE daemon_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
