// Which database a DATABASE_URL points at, and how to reach it.
// Shared by the runtime client (app/db.server.ts) and the migration tooling (prisma.config.ts).

export type DatabaseProvider = "sqlite" | "postgres";

export function databaseProvider(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgres";
  if (/^file:/i.test(url)) return "sqlite";
  throw new Error(`DATABASE_URL must be a SQLite file URL (file:./prisma/dev.db) or a PostgreSQL URL (postgresql://…); got "${redactUrl(url)}"`);
}

/** Discrete fields rather than a connection string: pg lets a connection string win over
 * an overridden `database`, which would point a shadow or test database at the main one. */
export function pgConnectionConfig(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname || "localhost",
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.slice(1)),
  };
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]+):[^@/]*@/, "://$1:***@");
  }
}
