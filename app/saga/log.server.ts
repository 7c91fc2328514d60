// The saga log's hot write, in hand-written SQL: an ended step attempt and the run's move, in
// one atomic unit. Through Prisma each checkout step cost two compiled queries in a
// transaction, which made the saga log most of the checkout's overhead (bench:checkout,
// decision 016); here it is one statement on PostgreSQL (a data-modifying CTE, a named prepared
// statement per shape) and, on SQLite, statements sent straight to libsql in the group commit
// the hold path uses (writes arriving together share one transaction and one commit).
import { createHash } from "node:crypto";
import db, { currentDatabaseProvider, postgresPool } from "../db.server";
import { sharedSqliteGroupCommit } from "../db/sqlite-group-commit.server";

export interface EndedAttempt {
  runId: string;
  shop: string;
  step: string;
  phase: "action" | "compensation";
  attempt: number;
  outcome: string;
  error: string | null;
  startedAt: Date;
  endedAt: Date;
}

/** The run columns a move may set (plain values: strings, numbers, dates, null). */
export type RunColumns = Partial<
  Record<
    | "state"
    | "step"
    | "attempts"
    | "results"
    | "error"
    | "failedStep"
    | "waitingFor"
    | "activeKey"
    | "endedAt"
    | "nextAttemptAt"
    | "leaseOwner"
    | "leaseUntil"
    | "signals",
    string | number | Date | null
  >
>;

type Value = string | number | null;
// Prisma's own text form of a DateTime on SQLite; on PostgreSQL (timestamp without time zone,
// UTC) the ISO string is read the same way.
const sqliteValue = (v: string | number | Date | null): Value => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : v);
const postgresValue = (v: string | number | Date | null): Value => (v instanceof Date ? v.toISOString() : v);

const ATTEMPT_COLUMNS = `"runId", "shop", "step", "phase", "attempt", "outcome", "error", "startedAt", "endedAt"`;
const attemptValues = (a: EndedAttempt) => [a.runId, a.shop, a.step, a.phase, a.attempt, a.outcome, a.error, a.startedAt, a.endedAt];

/**
 * Records `attempt` and applies `change` to the run where `where` holds (its lease owner, or its
 * waiting state). A step's attempt is recorded either way (it happened); an event's, with
 * `onlyIfMoved`, only when it moved the run. Returns whether the run moved, and its signals as
 * they are after the move (an event that came before its wait).
 */
const RUN_COLUMNS = new Set([
  "state",
  "step",
  "attempts",
  "results",
  "error",
  "failedStep",
  "waitingFor",
  "activeKey",
  "endedAt",
  "nextAttemptAt",
  "leaseOwner",
  "leaseUntil",
  "signals",
  "updatedAt",
  "id",
]);

export async function recordAttemptAndMove(
  attempt: EndedAttempt,
  change: RunColumns,
  where: { id: string; leaseOwner?: string; state?: string; waitingFor?: string },
  { onlyIfMoved = false } = {},
): Promise<{ moved: boolean; signals: string | null }> {
  // Column names go into the SQL text: only the run's own, never anything from outside.
  for (const k of [...Object.keys(change), ...Object.keys(where)]) if (!RUN_COLUMNS.has(k)) throw new Error(`not a SagaRun column: ${k}`);
  const set = Object.entries({ ...change, updatedAt: attempt.endedAt }).filter(([, v]) => v !== undefined) as [string, string | number | Date | null][];
  const conditions = Object.entries(where).filter(([, v]) => v !== undefined) as [string, string][];
  if (currentDatabaseProvider() === "postgres") {
    let n = 9;
    const update = `UPDATE "SagaRun" SET ${set.map(([k]) => `"${k}" = $${++n}`).join(", ")} WHERE ${conditions.map(([k]) => `"${k}" = $${++n}`).join(" AND ")}`;
    const text = onlyIfMoved
      ? `WITH moved AS (${update} RETURNING "id") INSERT INTO "SagaStepAttempt" (${ATTEMPT_COLUMNS}) ` +
        `SELECT $1::text, $2::text, $3::text, $4::text, $5::int, $6::text, $7::text, $8::timestamp(3), $9::timestamp(3) FROM moved`
      : `WITH attempt AS (INSERT INTO "SagaStepAttempt" (${ATTEMPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)) ${update} RETURNING "signals"`;
    const name = `saga_log_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    const values = [...attemptValues(attempt), ...set.map(([, v]) => v), ...conditions.map(([, v]) => v)].map(postgresValue);
    const result = await postgresPool(db).query({ name, text, values });
    return { moved: result.rowCount === 1, signals: onlyIfMoved ? null : ((result.rows[0] as { signals?: string } | undefined)?.signals ?? null) };
  }
  // Saga writes arriving together share one commit (and hold writes'), each in its own savepoint.
  return sharedSqliteGroupCommit(db)(async (execute) => {
    const moved = await execute(
      `UPDATE "SagaRun" SET ${set.map(([k]) => `"${k}" = ?`).join(", ")} WHERE ${conditions.map(([k]) => `"${k}" = ?`).join(" AND ")} RETURNING "signals"`,
      [...set.map(([, v]) => sqliteValue(v)), ...conditions.map(([, v]) => v)],
    );
    // With RETURNING, libsql counts the rows returned, not rowsAffected.
    const updated = moved.rows.length === 1;
    if (updated || !onlyIfMoved)
      await execute(`INSERT INTO "SagaStepAttempt" (${ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, attemptValues(attempt).map(sqliteValue));
    return { moved: updated, signals: (moved.rows[0]?.signals as string | undefined) ?? null };
  });
}
