-- PostgreSQL only (Hold_place refuses a line already short without writing). On SQLite a
-- refused hold is one INSERT that its trigger aborts, inside a group commit; nothing to change.
SELECT 1;
