// PostgreSQL: holds that arrive together are placed by one INSERT (decision 017). Each row's
// BEFORE INSERT trigger takes that hold's stock with one conditional UPDATE per line, or gives
// back what it took and skips the row: a short hold is simply not inserted, with no error, so
// it never aborts the others. One statement and one commit serve the whole batch, and a hot
// stock row is locked once per batch instead of once per hold.
//
// As with SQLite's group commit, nobody waits for a timer: the first hold goes at once, holds
// that arrive meanwhile form the next batch, and each caller hears its answer after its batch
// has committed.
import type pg from "pg";
import { isUniqueViolation } from "../db/errors.server";
import { batchesOf } from "../db/batches.server";

export interface NewHoldRow {
  id: string;
  shop: string;
  ownerType: string;
  ownerId: string;
  kind: string;
  lines: string;
  expiresAt: Date;
  createdAt: Date;
  shopifyReserve: boolean;
  /** The lines' quantities, summed (the results count units). */
  units: number;
}

export interface ShortLine {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  available: number;
  softHeld: number;
}

export type PostgresPlacement = { placed: true } | { short: ShortLine[] } | { ownerHasHold: true };

interface Pending {
  row: NewHoldRow;
  resolve: (p: PostgresPlacement) => void;
  reject: (error: unknown) => void;
}

/** PostgreSQL's timestamp(3) text for a UTC instant, as Prisma writes it. */
const utc = (d: Date) => d.toISOString().replace("Z", "");

const INSERT_HOLDS = {
  name: "holdfast_holds_place",
  text: `INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt",
                             "reservePending", "shopifyReserve", "units")
         SELECT r."id", r."shop", r."ownerType", r."ownerId", r."shop" || '|' || r."ownerType" || '|' || r."ownerId", r."kind", 'held', 'created',
                r."lines", r."expiresAt", r."createdAt", r."kind" = 'hard' AND r."shopifyReserve", r."shopifyReserve", r."units"
           FROM jsonb_to_recordset($1::jsonb) AS r("n" int, "id" text, "shop" text, "ownerType" text, "ownerId" text, "kind" text, "lines" text,
                                                   "expiresAt" timestamp(3), "createdAt" timestamp(3), "shopifyReserve" boolean, "units" int)
          ORDER BY r."n"
         RETURNING "id"`,
};

const AVAILABILITY = {
  name: "holdfast_holds_availability",
  text: `SELECT r."id", "Hold_availability"(r."shop", r."lines") AS "short" FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "shop" text, "lines" text)`,
};

export function createPostgresPlacements(pool: pg.Pool, maxBatch = 64) {
  /** Places the rows in one statement: the ids of those placed. */
  async function insert(rows: NewHoldRow[]): Promise<Set<string>> {
    const payload = rows.map((r, n) => ({ ...r, n, expiresAt: utc(r.expiresAt), createdAt: utc(r.createdAt) }));
    const result = await pool.query<{ id: string }>({ ...INSERT_HOLDS, values: [JSON.stringify(payload)] });
    return new Set(result.rows.map((r) => r.id));
  }

  /** Each refused hold's lines with what is available now (read after the batch committed). */
  async function availability(rows: NewHoldRow[]): Promise<Map<string, ShortLine[]>> {
    if (!rows.length) return new Map();
    const result = await pool.query<{ id: string; short: ShortLine[] }>({
      ...AVAILABILITY,
      values: [JSON.stringify(rows.map(({ id, shop, lines }) => ({ id, shop, lines })))],
    });
    return new Map(result.rows.map((r) => [r.id, r.short]));
  }

  /** The placed hear it at once; the refused after their availability is read. */
  async function answer(batch: Pending[], placed: Set<string>) {
    const refused = batch.filter((p) => !placed.has(p.row.id));
    for (const p of batch) if (placed.has(p.row.id)) p.resolve({ placed: true });
    if (!refused.length) return;
    try {
      const short = await availability(refused.map((p) => p.row));
      for (const p of refused) p.resolve({ short: short.get(p.row.id)! });
    } catch (error) {
      for (const p of refused) p.reject(error);
    }
  }

  async function runBatch(batch: Pending[]) {
    let placed: Set<string>;
    try {
      placed = await insert(batch.map((p) => p.row));
    } catch (error) {
      if (!isUniqueViolation(error)) {
        // A deadlock with another instance's batch, or the database is unreachable: nothing was
        // placed, and every caller hears it.
        for (const p of batch) p.reject(error);
        return;
      }
      // An owner already has an active hold: the statement placed nothing. Place each alone, so
      // only that owner is refused.
      for (const p of batch) {
        try {
          await answer([p], await insert([p.row]));
        } catch (single) {
          if (isUniqueViolation(single)) p.resolve({ ownerHasHold: true });
          else p.reject(single);
        }
      }
      return;
    }
    await answer(batch, placed);
  }

  const enqueue = batchesOf(runBatch, maxBatch);

  return function place(row: NewHoldRow): Promise<PostgresPlacement> {
    return new Promise((resolve, reject) => enqueue({ row, resolve, reject }));
  };
}

const shared = new WeakMap<pg.Pool, ReturnType<typeof createPostgresPlacements>>();

/** The process's placement queue for a pool: every hold placed outside a transaction joins it. */
export function sharedPostgresPlacements(pool: pg.Pool) {
  let place = shared.get(pool);
  if (!place) shared.set(pool, (place = createPostgresPlacements(pool)));
  return place;
}
