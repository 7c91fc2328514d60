-- PostgreSQL only (Hold_place refuses a line already short without writing). On SQLite a
-- refused hold is one INSERT that its trigger aborts, inside a group commit: nothing to change.
-- (A statement that returns no rows, so both providers keep the same list of migrations.)
DROP INDEX IF EXISTS "Hold_fast_refusal_placeholder";
