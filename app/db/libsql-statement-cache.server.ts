// libsql's local client prepares every statement anew, and preparing costs more than running:
// an INSERT into "Hold" compiles its triggers each time (measured: ~100 µs to prepare vs ~30 µs
// to run inside a transaction; ~25 µs to prepare a one-row UPDATE). Prisma sends the same SQL
// text for the same query shape, and the hot paths send fixed statements, so the connection
// keeps its most recently used prepared statements and runs them again.
//
// The client is libsql's own Sqlite3Client, given a database whose `prepare` answers from the
// cache. Reusing a statement is safe here: the client runs each statement to completion
// (`run` or `all`) before the next, libsql resets a statement when it runs again, and SQLite
// re-prepares a statement itself when the schema changes. See docs/decisions/002.
import Database from "libsql";
import { Sqlite3Client } from "@libsql/client/sqlite3";
import type { Client, Config } from "@libsql/client";

type Statement = ReturnType<Database.Database["prepare"]>;
type Prepare = Database.Database["prepare"];

/** The local file a `file:` URL names, or null for anything else (in-memory, remote). */
function localPath(url: string): string | null {
  const match = /^file:([^?#]+)$/i.exec(url);
  if (!match || match[1] === ":memory:") return null;
  return decodeURIComponent(match[1].replace(/^\/\/(localhost)?(?=\/)/i, ""));
}

export function withStatementCache(database: Database.Database, capacity: number) {
  const prepareAnew = database.prepare.bind(database);
  const cache = new Map<string, Statement>();
  const stats = { hits: 0, misses: 0 };
  database.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      stats.hits++;
      // Most recently used last: the first key is the one to drop.
      cache.delete(sql);
    } else {
      stats.misses++;
      statement = prepareAnew(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  }) as Prepare;
  return { stats, size: () => cache.size };
}

export interface CachedClient {
  client: Client;
  cache: ReturnType<typeof withStatementCache>;
}

/** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** A libsql client on a local SQLite file whose statements are prepared once; null when the URL is not a local file. */
export function createClientWithStatementCache(config: Config, capacity = 500): CachedClient | null {
  const path = localPath(config.url);
  if (!path) return null;
  const database = new Database(path);
  // libsql waits for no one (busy timeout 0): a write from another process (a worker, a script,
  // a test arranging data) failed at once whenever this one was inside a transaction, and the
  // other way round. Wait up to 5 s for the lock, as SQLite's own tools and better-sqlite3 do.
  database.prepare(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).all();
  const cache = withStatementCache(database, capacity);
  return { client: new Sqlite3Client(path, {}, database, config.intMode ?? "number"), cache };
}
