// One database's run of `npm run bench:holds` (the parent sets DATABASE_URL). Prints a JSON line.
// Scenarios: hot (every worker on one SKU, half the attempts must fail) and spread (1,000 SKUs).
// Each compares Holdfast's hold() with, through the same driver, the raw conditional UPDATE (the
// ceiling; also through Prisma, for reference) and a read-check-write under a row lock (what the peers do: lock, read, check, write
// the stock and record the reservation; also measured without the record, a stricter baseline).
import { randomUUID } from "node:crypto";
import db, { currentDatabaseProvider, postgresPool, sqliteConnection } from "../app/db.server";
import { hold } from "../app/holds/holds.server";

const SHOP = "bench.myshopify.com";
const LOC = "gid://shopify/Location/1";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const OPS = Number(process.env.BENCH_OPS ?? 3000);
const postgres = currentDatabaseProvider() === "postgres";
let skuCounter = 0;

type Attempt = (inventoryItemId: string) => Promise<boolean>;

const CEILING_SQL = `UPDATE "StockLevel" SET "held" = "held" + 1, "hardHeld" = "hardHeld" + 1
  WHERE "shop" = ? AND "inventoryItemId" = ? AND "locationId" = ? AND "held" + 1 <= "shopifyAvailable" + "mirrored"`;

const attempts: Record<string, Attempt> = {
  async hold(inventoryItemId) {
    const r = await hold(SHOP, {
      owner: { type: "cart", id: randomUUID() },
      kind: "hard",
      ttlMinutes: 15,
      lines: [{ inventoryItemId, locationId: LOC, quantity: 1 }],
    });
    return r.ok;
  },
  // The raw conditional UPDATE straight through the driver (pg: a named prepared statement;
  // libsql: an autocommit statement): the same way the hold path reaches the database.
  async ceiling(inventoryItemId) {
    if (postgres) {
      const r = await postgresPool(db).query({
        name: "bench_ceiling",
        text: CEILING_SQL.replace("?", "$1").replace("?", "$2").replace("?", "$3"),
        values: [SHOP, inventoryItemId, LOC],
      });
      return r.rowCount === 1;
    }
    const r = await sqliteConnection(db).execute({ sql: CEILING_SQL, args: [SHOP, inventoryItemId, LOC] });
    return r.rowsAffected === 1;
  },
  // The same UPDATE through Prisma ($executeRaw), for reference.
  async ceilingViaPrisma(inventoryItemId) {
    const n = await db.$executeRaw`UPDATE "StockLevel" SET "held" = "held" + 1, "hardHeld" = "hardHeld" + 1
      WHERE "shop" = ${SHOP} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${LOC} AND "held" + 1 <= "shopifyAvailable" + "mirrored"`;
    return n === 1;
  },
  // What the peers do: lock the stock row, read it, check, write it, and record the reservation.
  async lockBased(inventoryItemId) {
    return lockedReadCheckWrite(inventoryItemId, true);
  },
  // The same without recording a reservation: a stricter baseline than any peer.
  async lockBasedStockOnly(inventoryItemId) {
    return lockedReadCheckWrite(inventoryItemId, false);
  },
};

async function lockedReadCheckWrite(inventoryItemId: string, recordReservation: boolean) {
  return db.$transaction(async (tx) => {
    const rows = postgres
      ? await tx.$queryRaw<{ held: number; sellable: number }[]>`SELECT "held", "shopifyAvailable" + "mirrored" AS sellable FROM "StockLevel"
            WHERE "shop" = ${SHOP} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${LOC} FOR UPDATE`
      : await tx.$queryRaw<{ held: number; sellable: number }[]>`SELECT "held", "shopifyAvailable" + "mirrored" AS sellable FROM "StockLevel"
            WHERE "shop" = ${SHOP} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${LOC}`;
    const row = rows[0];
    if (!row || Number(row.sellable) - Number(row.held) < 1) return false;
    await tx.$executeRaw`UPDATE "StockLevel" SET "held" = ${Number(row.held) + 1}, "hardHeld" = "hardHeld" + 1
        WHERE "shop" = ${SHOP} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${LOC}`;
    if (recordReservation)
      await tx.$executeRaw`INSERT INTO "BenchReservation" ("id", "shop", "inventoryItemId", "locationId", "quantity") VALUES (${randomUUID()}, ${SHOP}, ${inventoryItemId}, ${LOC}, 1)`;
    return true;
  });
}

async function createSkus(count: number, stock: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `gid://shopify/InventoryItem/${++skuCounter}`);
  for (let i = 0; i < ids.length; i += 500)
    await db.stockLevel.createMany({
      data: ids.slice(i, i + 500).map((inventoryItemId) => ({ shop: SHOP, inventoryItemId, locationId: LOC, shopifyAvailable: stock })),
    });
  return ids;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(name: string, scenario: "hot" | "spread") {
  // hot: one SKU with stock for half the attempts; spread: 1,000 SKUs with ample stock.
  // Each measurement starts from a clean table: dead row versions left by the previous one
  // would otherwise slow whichever runs later.
  if (postgres) await db.$executeRawUnsafe(`VACUUM ANALYZE "StockLevel", "Hold", "HoldEvent", "ShopifyInventoryMove", "BenchReservation"`);
  const stockPerSku = scenario === "hot" ? OPS / 2 : OPS;
  const skus = await createSkus(scenario === "hot" ? 1 : 1000, stockPerSku);
  const attempt = attempts[name];
  const latencies: number[] = [];
  let successes = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < OPS) {
        const i = next++;
        const t0 = performance.now();
        if (await attempt(skus[i % skus.length])) successes++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rows = await db.stockLevel.findMany({ where: { inventoryItemId: { in: skus } } });
  const oversells = rows.reduce((s, r) => s + Math.max(0, r.held - (r.shopifyAvailable + r.mirrored)), 0) + Math.max(0, successes - stockPerSku * skus.length);
  if (scenario === "hot" && successes !== stockPerSku) throw new Error(`${name}: ${successes} successes on a SKU with ${stockPerSku} units`);
  return {
    holdsPerSecond: Math.round(successes / seconds),
    attemptsPerSecond: Math.round(OPS / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    successes,
    oversells,
  };
}

// The peers' reservation record (Medusa's reservation_item, Saleor's stock reservation): a
// bench-only table, created in the throwaway bench database.
await db.$executeRawUnsafe(
  `CREATE TABLE IF NOT EXISTS "BenchReservation" ("id" TEXT PRIMARY KEY, "shop" TEXT NOT NULL, "inventoryItemId" TEXT NOT NULL, "locationId" TEXT NOT NULL, "quantity" INTEGER NOT NULL)`,
);

const result: Record<string, unknown> = {};
// Machines are noisy: every approach is measured ROUNDS times, in a rotating order, and the
// median round (by attempts per second) is reported.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
type Measurement = Awaited<ReturnType<typeof measure>>;
const median = (runs: Measurement[]) => [...runs].sort((a, b) => a.attemptsPerSecond - b.attemptsPerSecond)[Math.floor(runs.length / 2)];
const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
for (const scenario of ["hot", "spread"] as const) {
  await measure("hold", scenario); // warm-up
  const names = ["hold", "ceiling", "lockBased", "lockBasedStockOnly", "ceilingViaPrisma"];
  const runs: Record<string, Measurement[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      runs[name].push(await measure(name, scenario));
    }
  const [holdfast, ceiling, lockBased, lockBasedStockOnly, ceilingViaPrisma] = names.map((n) => median(runs[n]));
  result[scenario] = {
    holdfast: { ...holdfast, oversells: Math.max(...runs.hold.map((r) => r.oversells)) },
    ceiling,
    lockBased,
    lockBasedStockOnly,
    ceilingViaPrisma,
    ratioToCeiling: ratio(holdfast.attemptsPerSecond, ceiling.attemptsPerSecond),
    ratioToCeilingViaPrisma: ratio(holdfast.attemptsPerSecond, ceilingViaPrisma.attemptsPerSecond),
    ratioToLockBased: ratio(holdfast.attemptsPerSecond, lockBased.attemptsPerSecond),
    ratioToLockBasedStockOnly: ratio(holdfast.attemptsPerSecond, lockBasedStockOnly.attemptsPerSecond),
  };
}
await db.$disconnect();
console.log(JSON.stringify({ database: currentDatabaseProvider(), concurrency: CONCURRENCY, attempts: OPS, rounds: ROUNDS, ...result }));
