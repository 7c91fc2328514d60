// What Holdfast did for a shop (issue 14's Home): every figure is a count or a sum in SQL,
// recorded when it happened (a hold's units, order and contest; a refusal; a cart's stage and
// lost reason). Every period comes from one pass over the last 30 days of each table, read from
// covering indexes alone ((shop, endedAt, state, units, contestedAt, createdAt) on holds, (shop,
// at, shortUnits, contestedUnits) on refusals, (shop, createdAt, stage, lostReason, …) on carts):
// nothing here loads rows to count them.
import db, { currentDatabaseProvider } from "../db.server";
import { readHoldPolicy } from "./hold-policy.server";
import { flushRefusals } from "../holds/refusals.server";
import { RESULT_PERIODS, TTL_BUCKETS, funnel, ttlAdvice, type PeriodKey, type PeriodResults, type CartGroup } from "./results";

const DAY_MS = 86_400_000;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/** SQL for either database: a parameter's placeholder, a timestamp parameter's value, seconds between two columns. */
function dialect() {
  const postgres = currentDatabaseProvider() === "postgres";
  return {
    p: (n: number) => (postgres ? `$${n}` : `?${n}`),
    at: (d: Date) => (postgres ? d : d.toISOString().replace("Z", "+00:00")),
    seconds: (from: string, to: string) => (postgres ? `EXTRACT(EPOCH FROM ("${to}" - "${from}"))` : `(julianday("${to}") - julianday("${from}")) * 86400.0`),
  };
}

/**
 * The periods' figures and the hold-to-order buckets (orders of the last 30 days by their time as
 * a fraction of the TTL, see TTL_BUCKETS): holds that ended, by state, and refusals.
 */
async function periodsAndTimes(shop: string, now: Date, ttlMinutes: number) {
  const { p, at, seconds } = dialect();
  const since = RESULT_PERIODS.map((period) => new Date(now.getTime() - period.days * DAY_MS));
  const bounds = TTL_BUCKETS.map((f) => f * ttlMinutes * 60);
  // Parameters: 1 the shop, then each period's start (the last is the month's), then the buckets' bounds.
  const start = (i: number) => p(2 + i);
  const bound = (i: number) => p(2 + since.length + i);
  const month = start(since.length - 1);
  const d = `"d"`;
  const holdColumns = since.map(
    (_, i) => `COUNT(*) FILTER (WHERE "endedAt" >= ${start(i)}) AS "h${i}",
       COALESCE(SUM("units") FILTER (WHERE "endedAt" >= ${start(i)}), 0) AS "u${i}",
       COUNT(*) FILTER (WHERE "endedAt" >= ${start(i)} AND "contestedAt" IS NOT NULL) AS "sh${i}",
       COALESCE(SUM("units") FILTER (WHERE "endedAt" >= ${start(i)} AND "contestedAt" IS NOT NULL), 0) AS "su${i}"`,
  );
  const bucketColumns = [...bounds, Infinity].map(
    (_, i) => `COUNT(*) FILTER (WHERE ${i ? `${d} > ${bound(i - 1)}` : "1 = 1"}${i < bounds.length ? ` AND ${d} <= ${bound(i)}` : ""}) AS "b${i}"`,
  );
  const refusalColumns = since.map(
    (_, i) => `COUNT(*) FILTER (WHERE "at" >= ${start(i)}) AS "r${i}",
       COALESCE(SUM("shortUnits") FILTER (WHERE "at" >= ${start(i)}), 0) AS "s${i}",
       COUNT(*) FILTER (WHERE "at" >= ${start(i)} AND "contestedUnits" > 0) AS "c${i}",
       COALESCE(SUM("contestedUnits") FILTER (WHERE "at" >= ${start(i)}), 0) AS "cu${i}"`,
  );
  const starts = since.map(at);
  const [holdRows, refusalRows] = await Promise.all([
    db.$queryRawUnsafe<Row[]>(
      // The hold-to-order time once per row (a subquery), not once per bucket.
      `SELECT "state", ${[...holdColumns, ...bucketColumns].join(", ")}
         FROM (SELECT "state", "units", "contestedAt", "endedAt", ${seconds("createdAt", "endedAt")} AS "d"
                 FROM "Hold" WHERE "shop" = ${p(1)} AND "endedAt" >= ${month}) AS ended
        GROUP BY "state"`,
      shop,
      ...starts,
      ...bounds,
    ),
    db.$queryRawUnsafe<Row[]>(`SELECT ${refusalColumns.join(", ")} FROM "HoldRefusal" WHERE "shop" = ${p(1)} AND "at" >= ${month}`, shop, ...starts),
  ]);
  const byState = (state: string) => holdRows.find((r) => r.state === state);
  const committed = byState("committed");
  const refusals = refusalRows[0] ?? {};
  const periods = RESULT_PERIODS.map((period, i): [PeriodKey, PeriodResults] => {
    const ended = (state: string) => ({ holds: num(byState(state)?.[`h${i}`]), units: num(byState(state)?.[`u${i}`]) });
    return [
      period.key,
      {
        ended: { committed: ended("committed"), expired: ended("expired"), released: ended("released") },
        salesSaved: { holds: num(committed?.[`sh${i}`]), units: num(committed?.[`su${i}`]) },
        refusals: { shoppers: num(refusals[`r${i}`]), shortUnits: num(refusals[`s${i}`]) },
        oversellsPrevented: { shoppers: num(refusals[`c${i}`]), units: num(refusals[`cu${i}`]) },
      },
    ];
  });
  return {
    periods: Object.fromEntries(periods) as Record<PeriodKey, PeriodResults>,
    buckets: [...bounds, Infinity].map((_, i) => num(committed?.[`b${i}`])),
    expiredInMonth: num(byState("expired")?.[`h${since.length - 1}`]),
  };
}

export async function shopResults(shop: string, now = new Date()) {
  await flushRefusals(); // this instance's last quarter second counts too
  const month = new Date(now.getTime() - 30 * DAY_MS);
  const policy = await readHoldPolicy(shop);
  const [figures, protectedNow, activeHolds, cartGroups] = await Promise.all([
    periodsAndTimes(shop, now, policy.holdTtlMinutes),
    db.stockLevel.aggregate({ where: { shop }, _sum: { held: true } }),
    db.hold.count({ where: { shop, state: { in: ["held", "extended"] } } }),
    db.cart.groupBy({ by: ["stage", "lostReason"], where: { shop, createdAt: { gte: month }, mergedIntoId: null }, _count: { _all: true } }),
  ]);
  const groups: CartGroup[] = cartGroups.map((g) => ({ stage: g.stage, lostReason: g.lostReason, carts: g._count._all }));
  const times = { ttlMinutes: policy.holdTtlMinutes, buckets: figures.buckets, expired: figures.expiredInMonth };
  return {
    protectedNow: { units: protectedNow._sum.held ?? 0, holds: activeHolds },
    periods: figures.periods,
    funnel: funnel(groups),
    holdTimes: { ...times, advice: ttlAdvice(times) },
  };
}

export type ShopResults = Awaited<ReturnType<typeof shopResults>>;
