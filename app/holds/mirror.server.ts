// Mirrors hard holds onto Shopify's inventory states by draining the ShopifyInventoryMove
// outbox: reserve moves available -> reserved, unreserve and commit move reserved -> available.
// A hard hold's row carries its pending reserve (reservePending) and the worker queues it here;
// the hold triggers queue the moves back. Each move is sent with an @idempotent key and
// changeFromQuantity; a lost response is retried with the very same request, so Shopify
// applies it exactly once. See docs/decisions/008-shopify-mirror.md.
import db, { currentDatabaseProvider } from "../db.server";
import { adminGraphql, type AdminGraphqlClient, type RetryPolicy, defaultRetryPolicy } from "../shopify/admin-graphql.server";
import { inventoryLevelGid, settleFromShopify } from "./ledger.server";

export const MIRROR_LEVELS_QUERY = `#graphql
  query HoldMirrorLevels($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryLevel {
        item { id }
        location { id }
        quantities(names: ["available", "reserved"]) { name quantity }
      }
    }
  }
`;

export { inventoryLevelGid } from "./ledger.server";

export const MIRROR_MOVE_MUTATION = `#graphql
  mutation HoldMirrorMove($input: InventoryMoveQuantitiesInput!, $idempotencyKey: String!) {
    inventoryMoveQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        createdAt
        changes(quantityNames: ["available"]) { name delta quantityAfterChange item { id } location { id } }
      }
      userErrors { field message code }
    }
  }
`;

/** Attempts before a move is parked for the reconciler. */
export const MAX_MOVE_ATTEMPTS = 12;
const LEASE_MS = 60_000;

export interface MirrorOptions {
  adminFor: (shop: string) => Promise<AdminGraphqlClient>;
  now?: Date;
  limit?: number;
  retryPolicy?: RetryPolicy;
  random?: () => number;
}

interface MoveInput {
  reason: string;
  referenceDocumentUri: string;
  changes: {
    inventoryItemId: string;
    quantity: number;
    from: { locationId: string; name: string; changeFromQuantity: number; ledgerDocumentUri?: string };
    to: { locationId: string; name: string; changeFromQuantity: number; ledgerDocumentUri?: string };
  }[];
}

interface MoveResult {
  inventoryMoveQuantities: {
    inventoryAdjustmentGroup: {
      createdAt: string;
      changes: { name: string; delta: number; quantityAfterChange: number; item: { id: string }; location: { id: string } }[];
    } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  };
}

/** Exponential backoff with full jitter, capped at 10 minutes. */
export function moveBackoffMs(attempts: number, random: () => number = Math.random): number {
  const cap = Math.min(600_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

const documentUri = (holdId: string) => `gid://holdfast/Hold/${holdId}`;

async function buildRequest(
  admin: AdminGraphqlClient,
  action: string,
  holdId: string,
  lines: { inventoryItemId: string; locationId: string; quantity: number }[],
  policy: RetryPolicy,
): Promise<MoveInput> {
  const levels = await adminGraphql<{ nodes: ({ item: { id: string }; location: { id: string }; quantities: { name: string; quantity: number }[] } | null)[] }>(
    admin,
    MIRROR_LEVELS_QUERY,
    { ids: lines.map((l) => inventoryLevelGid(l.inventoryItemId, l.locationId)) },
    policy,
  );
  const quantity = (itemId: string, locationId: string, name: string) => {
    const level = levels.data.nodes.find((n) => n?.item.id === itemId && n.location.id === locationId);
    const q = level?.quantities.find((x) => x.name === name)?.quantity;
    if (q === undefined) throw new Error(`Shopify has no inventory level for ${itemId} at ${locationId}`);
    return q;
  };
  const reserve = action === "reserve";
  return {
    reason: reserve ? "reserved" : action === "commit" ? "other" : "correction",
    referenceDocumentUri: documentUri(holdId),
    changes: lines.map((l) => {
      const available = { locationId: l.locationId, name: "available", changeFromQuantity: quantity(l.inventoryItemId, l.locationId, "available") };
      const reserved = {
        locationId: l.locationId,
        name: "reserved",
        changeFromQuantity: quantity(l.inventoryItemId, l.locationId, "reserved"),
        ledgerDocumentUri: documentUri(holdId),
      };
      return { inventoryItemId: l.inventoryItemId, quantity: l.quantity, from: reserve ? available : reserved, to: reserve ? reserved : available };
    }),
  };
}

type Outcome = "done" | "retry" | "parked";

async function sendMove(
  task: { id: string; shop: string; holdId: string; action: string; request: string | null; generation: number; attempts: number },
  o: MirrorOptions,
): Promise<Outcome> {
  const policy = o.retryPolicy ?? defaultRetryPolicy;
  const admin = await o.adminFor(task.shop);
  const hold = await db.hold.findUniqueOrThrow({ where: { id: task.holdId }, select: { lines: true } });
  const lines = JSON.parse(hold.lines) as { inventoryItemId: string; locationId: string; quantity: number }[];
  let request = task.request ? (JSON.parse(task.request) as MoveInput) : null;
  if (!request) {
    request = await buildRequest(admin, task.action, task.holdId, lines, policy);
    // Remember the exact request before sending it: a retry must send the same parameters.
    await db.shopifyInventoryMove.update({ where: { id: task.id }, data: { request: JSON.stringify(request) } });
  }
  const key = `${task.id}#${task.generation}`;
  const { data } = await adminGraphql<MoveResult>(admin, MIRROR_MOVE_MUTATION, { input: request, idempotencyKey: key }, policy);
  const { inventoryAdjustmentGroup: group, userErrors } = data.inventoryMoveQuantities;
  if (!group) {
    const codes = userErrors.map((e) => e.code);
    if (
      codes.includes("CHANGE_FROM_QUANTITY_STALE") ||
      codes.includes("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED") ||
      codes.includes("IDEMPOTENCY_CONCURRENT_REQUEST")
    ) {
      // Quantities moved under us: read them again and send a new request under a new key.
      await db.shopifyInventoryMove.update({
        where: { id: task.id },
        data: { request: null, generation: { increment: 1 }, lastError: userErrors.map((e) => e.message).join("; ") },
      });
      return "retry";
    }
    await db.shopifyInventoryMove.update({
      where: { id: task.id },
      data: { state: "parked", lastError: userErrors.map((e) => `${e.code}: ${e.message}`).join("; ") },
    });
    return "parked";
  }
  const sign = task.action === "reserve" ? 1 : -1;
  const at = new Date(group.createdAt);
  const ambiguous = await db.$transaction(async (tx) => {
    const sameTime: typeof lines = [];
    for (const line of lines) {
      const key = { shop: task.shop, inventoryItemId: line.inventoryItemId, locationId: line.locationId };
      const after = group.changes.find((c) => c.item.id === line.inventoryItemId && c.location.id === line.locationId && c.name === "available");
      await tx.stockLevel.updateMany({ where: key, data: { mirrored: { increment: sign * line.quantity } } });
      // Shopify's available after the move, unless a newer report already arrived.
      if (!after) continue;
      const { count } = await tx.stockLevel.updateMany({
        where: { ...key, OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lt: at } }] },
        data: { shopifyAvailable: after.quantityAfterChange, shopifyUpdatedAt: at },
      });
      if (count) continue;
      // A report of the same time with another quantity: which came last, Shopify says (ledger.server.ts).
      const row = await tx.stockLevel.findUnique({ where: { shop_inventoryItemId_locationId: key } });
      if (row?.shopifyUpdatedAt?.getTime() === at.getTime() && row.shopifyAvailable !== after.quantityAfterChange) sameTime.push(line);
    }
    await tx.shopifyInventoryMove.update({ where: { id: task.id }, data: { state: "done", doneAt: new Date(), lastError: null } });
    return sameTime;
  });
  for (const line of ambiguous) await settleFromShopify(task.shop, admin, line.inventoryItemId, line.locationId);
  return "done";
}

/**
 * A hold's move back (unreserve, commit) follows its reserve: sent before it, it would take
 * back units Shopify never reserved for this hold (or another hold's). When the hold ended
 * before its reserve was ever sent, neither is needed: both are skipped. A reserve in flight
 * (leased, backing off, parked) is waited for: it may have been applied already.
 */
async function inOrder(task: { id: string; holdId: string; action: string; attempts: number; request: string | null }): Promise<"send" | "wait" | "skipped"> {
  if (task.action === "reserve") {
    if (task.attempts > 0 || task.request) return "send";
    const hold = await db.hold.findUnique({ where: { id: task.holdId }, select: { state: true } });
    if (hold && (hold.state === "held" || hold.state === "extended")) return "send";
    return (await skipUnsentReserve(task.holdId)) ? "skipped" : "wait";
  }
  const reserve = await db.shopifyInventoryMove.findUnique({ where: { id: `${task.holdId}:reserve` } });
  if (!reserve || reserve.state === "done") return "send";
  if (reserve.state === "skipped") {
    await db.shopifyInventoryMove.updateMany({ where: { id: task.id, state: "pending" }, data: { state: "skipped", doneAt: new Date() } });
    return "skipped";
  }
  return (await skipUnsentReserve(task.holdId)) ? "skipped" : "wait";
}

/** Skips a hold's reserve if no worker has taken it yet (a conditional update: a racing lease wins or loses whole), and its move back with it. */
async function skipUnsentReserve(holdId: string): Promise<boolean> {
  const { count } = await db.shopifyInventoryMove.updateMany({
    where: { id: `${holdId}:reserve`, state: "pending", attempts: 0, request: null },
    data: { state: "skipped", doneAt: new Date(), lastError: "the hold ended before it was reserved in Shopify" },
  });
  if (count)
    await db.shopifyInventoryMove.updateMany({
      where: { holdId, action: { not: "reserve" }, state: "pending" },
      data: { state: "skipped", doneAt: new Date() },
    });
  return count > 0;
}

/**
 * Moves the reserves that hard holds carry on their rows into the outbox, oldest first, each
 * once: the flag is cleared and the move written in one transaction. A hold that ends meanwhile
 * has its flag cleared by its trigger and is not picked (on PostgreSQL a hold being picked is
 * locked, so its end waits and then queues its move back). Returns how many were queued.
 */
export async function queueReserves(limit = 500): Promise<number> {
  if (currentDatabaseProvider() === "postgres") {
    return db.$executeRaw`
      WITH picked AS (
        UPDATE "Hold" SET "reservePending" = false
         WHERE "id" IN (SELECT "id" FROM "Hold" WHERE "reservePending" ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
           AND "reservePending"
        RETURNING "id", "shop", "createdAt")
      INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
      SELECT "id" || ':reserve', "shop", "id", 'reserve', "createdAt", "createdAt" FROM picked
      ON CONFLICT ("id") DO NOTHING`;
  }
  // SQLite has one writer: what this transaction reads stays true until it commits.
  return db.$transaction(async (tx) => {
    const due = await tx.hold.findMany({
      where: { reservePending: true },
      orderBy: { createdAt: "asc" },
      take: limit,
      select: { id: true, shop: true, createdAt: true },
    });
    if (!due.length) return 0;
    await tx.hold.updateMany({ where: { id: { in: due.map((h) => h.id) }, reservePending: true }, data: { reservePending: false } });
    for (const h of due) {
      const at = h.createdAt.toISOString().replace("Z", "+00:00"); // Prisma's text form of a DateTime on SQLite
      await tx.$executeRaw`INSERT OR IGNORE INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
        VALUES (${`${h.id}:reserve`}, ${h.shop}, ${h.id}, 'reserve', ${at}, ${at})`;
    }
    return due.length;
  });
}

/** Sends the moves that are due. Several workers may drain at once: each move is leased first. */
export async function drainInventoryMoves(o: MirrorOptions): Promise<Record<Outcome, number>> {
  const now = o.now ?? new Date();
  const counts: Record<Outcome, number> = { done: 0, retry: 0, parked: 0 };
  while ((await queueReserves()) > 0) {
    /* whole batches came back: more may be waiting */
  }
  const due = await db.shopifyInventoryMove.findMany({
    where: { state: "pending", nextAttemptAt: { lte: now } },
    orderBy: { createdAt: "asc" },
    take: o.limit ?? 100,
  });
  for (const task of due) {
    if ((await inOrder(task)) !== "send") continue;
    const lease = await db.shopifyInventoryMove.updateMany({
      where: { id: task.id, state: "pending", nextAttemptAt: task.nextAttemptAt },
      data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
    });
    if (lease.count === 0) continue; // another worker has it
    const attempts = task.attempts + 1;
    let outcome: Outcome;
    try {
      outcome = await sendMove({ ...task, attempts }, o);
    } catch (error) {
      await db.shopifyInventoryMove.update({ where: { id: task.id }, data: { lastError: String((error as Error).message).slice(0, 500) } });
      outcome = "retry";
    }
    if (outcome === "retry") {
      const parked = attempts >= MAX_MOVE_ATTEMPTS;
      await db.shopifyInventoryMove.update({
        where: { id: task.id },
        data: parked ? { state: "parked" } : { nextAttemptAt: new Date(now.getTime() + moveBackoffMs(attempts, o.random)) },
      });
      if (parked) outcome = "parked";
    }
    counts[outcome]++;
  }
  return counts;
}
