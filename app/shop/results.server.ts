// What Holdfast did for a shop (issue 14's Home): every figure is a count or a sum in SQL over
// indexed columns ((shop, endedAt) on holds, (shop, at) on refusals, (shop, createdAt) on
// carts), recorded when it happened (a hold's units, order and contest; a refusal; a cart's
// stage and lost reason). Nothing here loads rows to count them.
import db, { currentDatabaseProvider } from "../db.server";
import { readHoldPolicy } from "./hold-policy.server";
import { RESULT_PERIODS, TTL_BUCKETS, funnel, ttlAdvice, type PeriodKey, type PeriodResults, type CartGroup } from "./results";

const DAY_MS = 86_400_000;

async function periodResults(shop: string, since: Date): Promise<PeriodResults> {
  const [ended, saved, refusals, prevented] = await Promise.all([
    db.hold.groupBy({ by: ["state"], where: { shop, endedAt: { gte: since } }, _count: { _all: true }, _sum: { units: true } }),
    db.hold.aggregate({
      where: { shop, endedAt: { gte: since }, state: "committed", contestedAt: { not: null } },
      _count: { _all: true },
      _sum: { units: true },
    }),
    db.holdRefusal.aggregate({ where: { shop, at: { gte: since } }, _count: { _all: true }, _sum: { shortUnits: true } }),
    db.holdRefusal.aggregate({ where: { shop, at: { gte: since }, contestedUnits: { gt: 0 } }, _count: { _all: true }, _sum: { contestedUnits: true } }),
  ]);
  const byState = (state: string) => {
    const row = ended.find((e) => e.state === state);
    return { holds: row?._count._all ?? 0, units: row?._sum.units ?? 0 };
  };
  return {
    ended: { committed: byState("committed"), expired: byState("expired"), released: byState("released") },
    salesSaved: { holds: saved._count._all, units: saved._sum.units ?? 0 },
    refusals: { shoppers: refusals._count._all, shortUnits: refusals._sum.shortUnits ?? 0 },
    oversellsPrevented: { shoppers: prevented._count._all, units: prevented._sum.contestedUnits ?? 0 },
  };
}

/** Orders from holds since `since`, by hold-to-order time as a fraction of the TTL (see TTL_BUCKETS). */
async function holdToOrderBuckets(shop: string, since: Date, ttlMinutes: number): Promise<number[]> {
  const bounds = TTL_BUCKETS.map((f) => f * ttlMinutes * 60);
  const postgres = currentDatabaseProvider() === "postgres";
  const seconds = postgres ? `EXTRACT(EPOCH FROM ("endedAt" - "createdAt"))` : `(julianday("endedAt") - julianday("createdAt")) * 86400.0`;
  const p = (n: number) => (postgres ? `$${n}` : `?${n}`);
  const sql = `SELECT ${bounds.map((_, i) => `COUNT(*) FILTER (WHERE d ${i ? `> ${p(i + 2)} AND d ` : ""}<= ${p(i + 3)}) AS "b${i}"`).join(", ")},
                      COUNT(*) FILTER (WHERE d > ${p(bounds.length + 2)}) AS "b${bounds.length}"
                 FROM (SELECT ${seconds} AS d FROM "Hold" WHERE "shop" = ${p(1)} AND "endedAt" >= ${p(2)} AND "state" = 'committed') AS held`;
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, shop, postgres ? since : since.toISOString().replace("Z", "+00:00"), ...bounds);
  return [...bounds, Infinity].map((_, i) => Number(rows[0]?.[`b${i}`] ?? 0));
}

export async function shopResults(shop: string, now = new Date()) {
  const month = new Date(now.getTime() - 30 * DAY_MS);
  const policy = await readHoldPolicy(shop);
  const [periods, protectedNow, activeHolds, cartGroups, buckets, expired] = await Promise.all([
    Promise.all(RESULT_PERIODS.map(async (p) => [p.key, await periodResults(shop, new Date(now.getTime() - p.days * DAY_MS))] as const)),
    db.stockLevel.aggregate({ where: { shop }, _sum: { held: true } }),
    db.hold.count({ where: { shop, state: { in: ["held", "extended"] } } }),
    db.cart.groupBy({ by: ["stage", "lostReason"], where: { shop, createdAt: { gte: month }, mergedIntoId: null }, _count: { _all: true } }),
    holdToOrderBuckets(shop, month, policy.holdTtlMinutes),
    db.hold.count({ where: { shop, endedAt: { gte: month }, state: "expired" } }),
  ]);
  const groups: CartGroup[] = cartGroups.map((g) => ({ stage: g.stage, lostReason: g.lostReason, carts: g._count._all }));
  const times = { ttlMinutes: policy.holdTtlMinutes, buckets, expired };
  return {
    protectedNow: { units: protectedNow._sum.held ?? 0, holds: activeHolds },
    periods: Object.fromEntries(periods) as Record<PeriodKey, PeriodResults>,
    funnel: funnel(groups),
    holdTimes: { ...times, advice: ttlAdvice(times) },
  };
}

export type ShopResults = Awaited<ReturnType<typeof shopResults>>;
