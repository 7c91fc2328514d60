// Inventory holds: hold, extend, release, commit, expire, status.
// A hold is one INSERT; a database trigger takes each line's stock with one conditional UPDATE,
// and when a line is short nothing stays taken. Ending a hold is one conditional UPDATE of its
// state; the triggers give the stock back. A hold writes its own row and the stock rows, nothing
// else. See docs/decisions/007-hold-ledger.md and 017-hold-two-rows.md.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import db, { currentDatabaseProvider, postgresPool, type SqliteExecute } from "../db.server";
import { readHoldPolicy } from "../shop/hold-policy.server";
import { databaseMessage, isUniqueViolation } from "../db/errors.server";
import { sharedSqliteGroupCommit } from "../db/sqlite-group-commit.server";
import { sharedPostgresPlacements, type ShortLine as PostgresShortLine } from "./postgres-placement.server";
import { markSaleSaved, recordRefusal } from "./refusals.server";

export type HoldKind = "soft" | "hard";
export type HoldState = "held" | "extended" | "committed" | "released" | "expired";
export type OwnerType = "cart" | "checkout";
export const ACTIVE_STATES: HoldState[] = ["held", "extended"];
/** The most a hold may be extended by, once, when payment starts. */
export const MAX_EXTENSION_MINUTES = 10;
export const MAX_LINES = 100;
export const MAX_LINE_QUANTITY = 10_000;

export const holdLineSchema = z.object({
  inventoryItemId: z.string().regex(/^gid:\/\/shopify\/InventoryItem\/\d+$/, "inventoryItemId must be a Shopify InventoryItem gid"),
  locationId: z.string().regex(/^gid:\/\/shopify\/Location\/\d+$/, "locationId must be a Shopify Location gid"),
  quantity: z
    .number()
    .int("quantity must be a whole number")
    .positive("quantity must be at least 1")
    .max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`),
});
export const holdLinesSchema = z.array(holdLineSchema).min(1, "a hold needs at least one line").max(MAX_LINES, `a hold has at most ${MAX_LINES} lines`);
export type HoldLineInput = z.infer<typeof holdLineSchema>;

export interface HoldOwner {
  type: OwnerType;
  id: string;
}

export interface LineAvailability extends HoldLineInput {
  available: number;
}

export type HoldResult = { ok: true; hold: HoldStatus } | { ok: false; reason: "unavailable"; lines: LineAvailability[] };

export interface HoldStatus {
  id: string;
  shop: string;
  owner: HoldOwner;
  kind: HoldKind;
  state: HoldState;
  lines: HoldLineInput[];
  expiresAt: string;
  remainingSeconds: number;
  serverTime: string;
  extended: boolean;
}

export class HoldError extends Error {
  constructor(
    readonly code: "invalid_lines" | "not_found" | "not_active" | "already_extended",
    message: string,
  ) {
    super(message);
    this.name = "HoldError";
  }
}

class NotAvailable extends Error {
  constructor(readonly short: ShortLine[]) {
    super("not available");
  }
}

const activeOwnerKey = (shop: string, owner: HoldOwner) => `${shop}|${owner.type}|${owner.id}`;
const lineKey = (l: { inventoryItemId: string; locationId: string }) => `${l.inventoryItemId}@${l.locationId}`;

/** Validates lines and merges duplicates, in a stable order (so multi-line holds lock rows in one order). */
export function normalizeLines(input: unknown): HoldLineInput[] {
  const parsed = holdLinesSchema.safeParse(input);
  if (!parsed.success) throw new HoldError("invalid_lines", parsed.error.issues.map((i) => `${i.path.join(".") || "lines"}: ${i.message}`).join("; "));
  const merged = new Map<string, HoldLineInput>();
  for (const l of parsed.data) {
    const existing = merged.get(lineKey(l));
    merged.set(lineKey(l), existing ? { ...l, quantity: existing.quantity + l.quantity } : { ...l });
  }
  const lines = [...merged.values()].sort((a, b) => (lineKey(a) < lineKey(b) ? -1 : 1));
  if (lines.some((l) => l.quantity > MAX_LINE_QUANTITY)) throw new HoldError("invalid_lines", `quantity must be at most ${MAX_LINE_QUANTITY}`);
  return lines;
}

function isDeadlock(error: unknown): boolean {
  return /deadlock detected|40P01/.test(databaseMessage(error));
}

interface HoldRow {
  id: string;
  shop: string;
  ownerType: string;
  ownerId: string;
  kind: string;
  state: string;
  lines: string;
  expiresAt: Date;
  extendedAt: Date | null;
}

function toStatus(h: HoldRow, now = new Date()): HoldStatus {
  return {
    id: h.id,
    shop: h.shop,
    owner: { type: h.ownerType as OwnerType, id: h.ownerId },
    kind: h.kind as HoldKind,
    state: h.state as HoldState,
    lines: JSON.parse(h.lines),
    expiresAt: h.expiresAt.toISOString(),
    remainingSeconds: ACTIVE_STATES.includes(h.state as HoldState) ? Math.max(0, Math.floor((h.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
    serverTime: now.toISOString(),
    extended: h.extendedAt !== null,
  };
}

interface HoldRequest {
  owner: HoldOwner;
  kind: HoldKind;
  lines: unknown;
  /** Defaults to the shop's hold policy (10–20 minutes). */
  ttlMinutes?: number;
  /**
   * Whether a hard hold's units are moved to Shopify's `reserved` (default). Holds for Shopify's
   * own checkout say no: Shopify sells only `available`, so the holder could not buy them
   * (decision 021).
   */
  shopifyReserve?: boolean;
}

/** What one placement writes: the request, validated and with its TTL decided. */
interface Placing {
  owner: HoldOwner;
  kind: HoldKind;
  lines: HoldLineInput[];
  ttlMinutes: number;
  shopifyReserve: boolean;
}

type HoldWriter = Pick<typeof db, "$queryRaw">;

/** Prisma's own text form of a DateTime on SQLite, so raw writes compare with its reads. */
const sqliteTimestamp = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Where a hold placement ended: placed, short of stock (with each line's availability), or refused because the owner already has an active hold. */
type Placement = { placed: HoldStatus } | { short: ShortLine[] } | { ownerHasHold: true };

function newHoldRow(shop: string, { owner, kind, lines, ttlMinutes, shopifyReserve }: Placing, now: Date) {
  return {
    shopifyReserve,
    id: randomUUID(),
    shop,
    ownerType: owner.type,
    ownerId: owner.id,
    kind,
    state: "held",
    lines: JSON.stringify(lines),
    units: lines.reduce((sum, l) => sum + l.quantity, 0),
    expiresAt: new Date(now.getTime() + ttlMinutes * 60_000),
    extendedAt: null,
  };
}

/**
 * PostgreSQL: outside a transaction the hold joins the process's placement queue (holds that
 * arrive together are one INSERT, postgres-placement.server.ts); inside one (replacing a
 * checkout's hold) it is one INSERT on that transaction. Either way the row's trigger takes the
 * stock or leaves the row out, and a short hold reads each line's availability.
 */
async function placeHoldPostgres(shop: string, placing: Placing, client: HoldWriter = db): Promise<Placement> {
  const now = new Date();
  const { owner, kind } = placing;
  const row = newHoldRow(shop, placing, now);
  if (client === db) {
    const placement = await sharedPostgresPlacements(postgresPool(db))({ ...row, createdAt: now });
    return "placed" in placement ? { placed: toStatus(row, now) } : placement;
  }
  try {
    const inserted = await client.$queryRaw<{ id: string }[]>`
      INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt", "reservePending", "shopifyReserve", "units")
      VALUES (${row.id}, ${shop}, ${owner.type}, ${owner.id}, ${activeOwnerKey(shop, owner)}, ${kind}, 'held', 'created', ${row.lines},
              ${row.expiresAt}::timestamp(3), ${now}::timestamp(3), ${kind === "hard" && placing.shopifyReserve}, ${placing.shopifyReserve}, ${row.units})
      RETURNING "id"`;
    if (inserted.length) return { placed: toStatus(row, now) };
    const [{ short }] = await client.$queryRaw<{ short: ShortLine[] }[]>`SELECT "Hold_availability"(${shop}, ${row.lines}) AS short`;
    return { short };
  } catch (error) {
    if (isUniqueViolation(error)) return { ownerHasHold: true };
    throw error;
  }
}

/**
 * SQLite: one INSERT, straight to libsql inside a write transaction (a group commit's or the
 * caller's). SQLite has one writer, so the statement's own check that every line fits is
 * exact: a short hold inserts nothing (no abort, no error to build) and reads the availability.
 * The trigger's conditional UPDATE still takes the stock, and aborts the statement if a line
 * does not fit after all.
 */
async function placeHoldSqlite(execute: SqliteExecute, shop: string, placing: Placing): Promise<Placement> {
  const now = new Date();
  const { owner, kind, lines } = placing;
  const row = newHoldRow(shop, placing, now);
  try {
    const { rowsAffected } = await execute(
      `INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt", "reservePending", "shopifyReserve", "units")
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'held', 'created', ?7, ?8, ?9, ?6 = 'hard' AND ?10, ?10, ?11
        WHERE NOT EXISTS (
          SELECT 1 FROM json_each(?7) AS l
           WHERE NOT EXISTS (
             SELECT 1 FROM "StockLevel" s
              WHERE s."shop" = ?2 AND s."inventoryItemId" = json_extract(l.value, '$.inventoryItemId') AND s."locationId" = json_extract(l.value, '$.locationId')
                AND s."held" + json_extract(l.value, '$.quantity') <= s."shopifyAvailable" + s."mirrored"))`,
      [
        row.id,
        shop,
        owner.type,
        owner.id,
        activeOwnerKey(shop, owner),
        kind,
        row.lines,
        sqliteTimestamp(row.expiresAt),
        sqliteTimestamp(now),
        placing.shopifyReserve ? 1 : 0,
        row.units,
      ],
    );
    if (rowsAffected === 1) return { placed: toStatus(row, now) };
  } catch (error) {
    const message = databaseMessage(error);
    if (message.includes("UNIQUE constraint failed")) return { ownerHasHold: true };
    if (!message.includes("HOLDFAST_UNAVAILABLE")) throw error;
  }
  const { rows } = await execute(
    `SELECT "inventoryItemId", "locationId", "shopifyAvailable" + "mirrored" - "held" AS "available", "held" - "hardHeld" AS "softHeld"
       FROM "StockLevel" WHERE "shop" = ? AND ("inventoryItemId", "locationId") IN (${lines.map(() => "(?, ?)").join(", ")})`,
    [shop, ...lines.flatMap((l) => [l.inventoryItemId, l.locationId])],
  );
  const byKey = new Map(rows.map((r) => [lineKey(r as { inventoryItemId: string; locationId: string }), r]));
  return {
    short: lines.map((l) => {
      const s = byKey.get(lineKey(l));
      return { ...l, available: s ? Math.max(0, Number(s.available)) : 0, softHeld: s ? Number(s.softHeld) : 0 };
    }),
  };
}

/** A line of a hold that could not be placed: what is available, and how much soft holds take. */
type ShortLine = PostgresShortLine;
const withoutSoftHeld = (short: ShortLine[]): LineAvailability[] => short.map(({ softHeld: _softHeld, ...l }) => l);

async function placingOf(shop: string, request: HoldRequest, lines: HoldLineInput[]): Promise<Placing> {
  return {
    owner: request.owner,
    kind: request.kind,
    lines,
    ttlMinutes: request.ttlMinutes ?? (await readHoldPolicy(shop)).holdTtlMinutes,
    shopifyReserve: request.shopifyReserve ?? true,
  };
}

/** On SQLite, holds placed at the same moment share one commit (each in its own savepoint). */
const sqliteGroupCommit = () => sharedSqliteGroupCommit(db);

function placeHoldNow(shop: string, placing: Placing): Promise<Placement> {
  if (currentDatabaseProvider() === "postgres") return placeHoldPostgres(shop, placing);
  return sqliteGroupCommit()((execute) => placeHoldSqlite(execute, shop, placing), { singleWrite: true });
}

/**
 * Reserves every line or none. A hard hold that finds stock taken by soft holds releases
 * the newest soft holds on those lines and tries again: hard holds win over soft ones.
 */
export async function hold(shop: string, request: HoldRequest): Promise<HoldResult> {
  const lines = normalizeLines(request.lines);
  const placing = await placingOf(shop, request, lines);
  for (let attempt = 0; ; attempt++) {
    let result: Placement;
    try {
      result = await placeHoldNow(shop, placing);
    } catch (error) {
      if (isDeadlock(error) && attempt < 5) continue;
      throw error;
    }
    if ("ownerHasHold" in result)
      throw new HoldError("not_active", `${request.owner.type} ${request.owner.id} already has an active hold; refresh or release it`);
    if ("placed" in result) return { ok: true, hold: result.placed };
    const giveWay = request.kind === "hard" && attempt < 4 && result.short.some((l) => l.available < l.quantity && l.available + l.softHeld >= l.quantity);
    if (!giveWay || !(await preemptSoftHolds(shop, result.short))) return refused(shop, request.owner, result.short);
  }
}

/** The answer to a hold that did not fit, recorded for the merchant's results first. */
async function refused(shop: string, owner: HoldOwner, short: ShortLine[]): Promise<HoldResult> {
  await recordRefusal(shop, owner, short);
  return { ok: false, reason: "unavailable", lines: withoutSoftHeld(short) };
}

/** Releases the newest soft holds covering the short lines, if that frees enough. */
async function preemptSoftHolds(shop: string, short: ShortLine[]): Promise<boolean> {
  const victims = new Set<string>();
  const softHolds = (await activeHoldsOf(shop, "soft")).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  for (const line of short) {
    let shortfall = line.quantity - line.available;
    if (shortfall <= 0) continue;
    if (line.available + line.softHeld < line.quantity) return false; // even without soft holds it would not fit
    for (const soft of softHolds) {
      if (shortfall <= 0) break;
      const taken = soft.lines.find((l) => lineKey(l) === lineKey(line));
      if (!taken) continue;
      victims.add(soft.id);
      shortfall -= taken.quantity;
    }
  }
  for (const id of victims) await endHold(shop, id, "released", "preempted by a hard hold");
  return victims.size > 0;
}

/**
 * The shop's active holds with their lines (of one kind, when asked). For the rare paths that
 * ask which holds take a stock row (preemption, stock sold elsewhere, the reconciler): a hold's
 * lines live on its row, read through the index of active holds.
 */
export async function activeHoldsOf(shop: string, kind?: HoldKind, client: Pick<typeof db, "hold"> = db) {
  const rows = await client.hold.findMany({
    where: { shop, state: { in: ACTIVE_STATES }, ...(kind ? { kind } : {}) },
    select: { id: true, kind: true, lines: true, createdAt: true, reservePending: true },
  });
  return rows.map((h) => ({ ...h, kind: h.kind as HoldKind, lines: JSON.parse(h.lines) as HoldLineInput[] }));
}

/** Whether a hold takes stock from this row. */
export const takesFrom = (lines: HoldLineInput[], inventoryItemId: string, locationId: string) =>
  lines.some((l) => l.inventoryItemId === inventoryItemId && l.locationId === locationId);

/**
 * The checkout's hold, created or refreshed: the same lines keep the hold (a soft one becomes
 * hard when asked); different lines replace it atomically, or leave it as it was when the new
 * lines cannot be held.
 */
export async function holdForOwner(shop: string, request: HoldRequest): Promise<HoldResult> {
  const lines = normalizeLines(request.lines);
  let current = await db.hold.findUnique({ where: { activeOwnerKey: activeOwnerKey(shop, request.owner) } });
  if (current && current.expiresAt <= new Date()) {
    // Past its time but not yet swept by the expiry job: it ends now (as the job would end it),
    // and the owner gets a new hold rather than a dead one refreshed.
    const now = new Date();
    await db.hold.updateMany({
      where: { id: current.id, state: { in: ACTIVE_STATES }, expiresAt: { lte: now } },
      data: { state: "expired", activeOwnerKey: null, endedAt: now, stateReason: "expired" },
    });
    current = null;
  }
  if (!current) {
    const created = await hold(shop, { ...request, lines }).catch(async (error) => {
      // Another request for the same owner won the race: refresh that one instead.
      if (error instanceof HoldError && error.code === "not_active") return null;
      throw error;
    });
    if (created) return created;
    return holdForOwner(shop, request);
  }
  if (current.lines === JSON.stringify(lines)) {
    if (current.kind === "soft" && request.kind === "hard") {
      await db.hold.updateMany({
        where: { id: current.id, kind: "soft", state: { in: ACTIVE_STATES } },
        data: { kind: "hard", stateReason: "hardened at checkout start" },
      });
    }
    return { ok: true, hold: await status(shop, current.id) };
  }
  const placing = await placingOf(shop, request, lines);
  const endCurrent = { state: "released", activeOwnerKey: null, endedAt: new Date(), stateReason: "replaced by new lines" } as const;
  // Not available: undo the release too, so the current hold stays as it was.
  const placedOrThrow = (result: Placement) => {
    if ("short" in result) throw new NotAvailable(result.short);
    if ("ownerHasHold" in result)
      throw new HoldError("not_active", `${request.owner.type} ${request.owner.id} already has an active hold; refresh or release it`);
    return result.placed;
  };
  try {
    const replaced =
      currentDatabaseProvider() === "postgres"
        ? await db.$transaction(async (tx) => {
            await tx.hold.updateMany({ where: { id: current.id, state: { in: ACTIVE_STATES } }, data: endCurrent });
            return placedOrThrow(await placeHoldPostgres(shop, placing, tx));
          })
        : await sqliteGroupCommit()(async (execute) => {
            await execute(
              `UPDATE "Hold" SET "state" = ?, "activeOwnerKey" = NULL, "endedAt" = ?, "stateReason" = ? WHERE "id" = ? AND "state" IN ('held', 'extended')`,
              [endCurrent.state, sqliteTimestamp(endCurrent.endedAt), endCurrent.stateReason, current.id],
            );
            return placedOrThrow(await placeHoldSqlite(execute, shop, placing));
          });
    return { ok: true, hold: replaced };
  } catch (error) {
    if (!(error instanceof NotAvailable)) throw error;
    return refused(shop, request.owner, error.short);
  }
}

async function endHold(shop: string, holdId: string, state: "released" | "committed" | "expired", reason: string, orderId?: string): Promise<HoldStatus> {
  const { count } = await db.hold.updateMany({
    where: { id: holdId, shop, state: { in: ACTIVE_STATES }, ...(state === "committed" ? { expiresAt: { gt: new Date() } } : {}) },
    data: { state, activeOwnerKey: null, endedAt: new Date(), stateReason: reason, ...(orderId ? { orderId } : {}) },
  });
  if (count && state === "committed") await markSaleSaved(holdId);
  const current = await status(shop, holdId);
  if (count === 0 && current.state !== state) {
    if (state === "committed")
      throw new HoldError(
        "not_active",
        `hold ${holdId} is ${current.state === "held" || current.state === "extended" ? "past its expiry" : current.state} and cannot be committed`,
      );
  }
  return current;
}

/**
 * A live hold changes hands (the theme's cart hold carried into its checkout): one conditional
 * update, only from `from`, and only when `to` holds nothing yet. Answers whether it moved.
 */
export async function transferHold(shop: string, holdId: string, from: HoldOwner, to: HoldOwner, reason: string): Promise<boolean> {
  try {
    const { count } = await db.hold.updateMany({
      where: { id: holdId, shop, ownerType: from.type, ownerId: from.id, state: { in: ACTIVE_STATES } },
      data: { ownerType: to.type, ownerId: to.id, activeOwnerKey: activeOwnerKey(shop, to), stateReason: reason },
    });
    return count === 1;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // `to` got a hold of its own meanwhile: that one stands
    throw error;
  }
}

/** Gives the stock back. Idempotent: releasing an ended hold changes nothing. */
export const release = (shop: string, holdId: string, reason = "released") => endHold(shop, holdId, "released", reason);

/** The holder's order was placed: the held units are sold. Idempotent. */
/** The hold's units are sold: committed, with the order they became (a GID) for the merchant's results. */
export const commit = (shop: string, holdId: string, reason = "order placed", orderId?: string) => endHold(shop, holdId, "committed", reason, orderId);

/** Once, when payment starts: the hold lives at least `minutes` more (at most MAX_EXTENSION_MINUTES). */
export async function extend(shop: string, holdId: string, minutes: number): Promise<HoldStatus> {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_EXTENSION_MINUTES)
    throw new HoldError("invalid_lines", `an extension is a whole number of minutes from 1 to ${MAX_EXTENSION_MINUTES}`);
  const current = await db.hold.findFirst({ where: { id: holdId, shop } });
  if (!current) throw new HoldError("not_found", `hold ${holdId} does not exist`);
  const now = new Date();
  const expiresAt = new Date(Math.max(current.expiresAt.getTime(), now.getTime() + minutes * 60_000));
  const { count } = await db.hold.updateMany({
    where: { id: holdId, shop, state: "held", expiresAt: { gt: now } },
    data: { state: "extended", expiresAt, extendedAt: now, stateReason: "extended for payment" },
  });
  if (count === 0) {
    const latest = await status(shop, holdId);
    if (latest.state === "extended") throw new HoldError("already_extended", `hold ${holdId} was already extended once`);
    throw new HoldError("not_active", `hold ${holdId} is ${latest.remainingSeconds === 0 && latest.state === "held" ? "past its expiry" : latest.state}`);
  }
  return status(shop, holdId);
}

export async function status(shop: string, holdId: string): Promise<HoldStatus> {
  const row = await db.hold.findFirst({ where: { id: holdId, shop } });
  if (!row) throw new HoldError("not_found", `hold ${holdId} does not exist`);
  return toStatus(row);
}

export async function activeHoldOf(shop: string, owner: HoldOwner): Promise<HoldStatus | null> {
  const row = await db.hold.findUnique({ where: { activeOwnerKey: activeOwnerKey(shop, owner) } });
  return row ? toStatus(row) : null;
}

export async function history(shop: string, holdId: string) {
  // The creation is the hold row itself; every later transition is a HoldEvent.
  const hold = await db.hold.findFirst({ where: { id: holdId, shop }, select: { createdAt: true } });
  if (!hold) return [];
  // By the hold alone (its shop was checked above): with the shop too, SQLite's planner can pick
  // the shop's index and read every event of a busy shop (found by bench:admin).
  const transitions = await db.holdEvent.findMany({
    where: { holdId },
    orderBy: { id: "asc" },
    select: { fromState: true, toState: true, reason: true, at: true },
  });
  return [{ fromState: null, toState: "held", reason: "created", at: hold.createdAt }, ...transitions];
}

/**
 * Expires holds past their expiry, a batch at a time. Safe with several instances: on
 * PostgreSQL each picks rows with FOR UPDATE SKIP LOCKED; the state condition makes a second
 * expiry of the same hold a no-op everywhere.
 */
export async function expireDueHolds(now = new Date(), batchSize = 500): Promise<number> {
  if (currentDatabaseProvider() === "postgres") {
    return db.$executeRaw`
      UPDATE "Hold" SET "state" = 'expired', "activeOwnerKey" = NULL, "endedAt" = ${now}, "stateReason" = 'expired'
       WHERE "id" IN (SELECT "id" FROM "Hold" WHERE "state" IN ('held', 'extended') AND "expiresAt" <= ${now}
                       ORDER BY "expiresAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
         AND "state" IN ('held', 'extended')`;
  }
  const due = await db.hold.findMany({
    where: { state: { in: ACTIVE_STATES }, expiresAt: { lte: now } },
    select: { id: true },
    take: batchSize,
    orderBy: { expiresAt: "asc" },
  });
  if (!due.length) return 0;
  const { count } = await db.hold.updateMany({
    where: { id: { in: due.map((d) => d.id) }, state: { in: ACTIVE_STATES }, expiresAt: { lte: now } },
    data: { state: "expired", activeOwnerKey: null, endedAt: now, stateReason: "expired" },
  });
  return count;
}
