// `npm run bench:admin`: the admin's Holds pages with 100,000 holds in one shop, through the built
// app (`npm start`'s command, production mode) on SQLite against the dev store, loaded with
// autocannon as the embedded admin asks for a page's data: the first page, a page 99,000 holds
// deep, a filtered page and a hold's page — each against the home page's loader on an empty shop,
// measured in the same run (issue 14). The last line printed is one JSON object.
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { startBenchApp, UA } from "./app-server";

const PORT = Number(process.env.BENCH_PORT ?? 3392);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HOLDS = Number(process.env.BENCH_HOLDS ?? 100_000);
const EMPTY = "empty-shop.myshopify.com";
const BIG = "busy-shop.myshopify.com";

const bench = await startBenchApp({ port: PORT, shops: [EMPTY, BIG], name: "bench-admin" });
try {
  // 100,000 holds in the busy shop, written as the ledger writes them (its triggers take the stock),
  // one second apart; four in five have ended (became orders, released or expired).
  process.env.DATABASE_URL = bench.databaseUrl;
  const { default: db } = await import("../app/db.server");
  const level = bench.store.shop(BIG).catalog.levels.find((l) => l.locationId === 1001)!;
  const item = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
  const loc = "gid://shopify/Location/1001";
  await db.stockLevel.create({ data: { shop: BIG, inventoryItemId: item, locationId: loc, shopifyAvailable: 1_000_000_000, shopifyUpdatedAt: new Date() } });
  const now = Date.now();
  const lines = JSON.stringify([{ inventoryItemId: item, locationId: loc, quantity: 1 }]);
  const ts = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  for (let i = 0; i < HOLDS; i += 500) {
    const rows = Array.from({ length: Math.min(500, HOLDS - i) }, (_, k) => {
      const n = i + k;
      const id = randomUUID();
      return `('${id}', '${BIG}', 'checkout', 'co${n}', '${BIG}|checkout|co${n}', '${n % 3 ? "hard" : "soft"}', 'held', 'created', '${lines}', '${ts(now + 3_600_000)}', '${ts(now - n * 1000)}', false, false)`;
    });
    await db.$executeRawUnsafe(
      `INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt", "reservePending", "shopifyReserve") VALUES ${rows.join(", ")}`,
    );
  }
  const ended = ["committed", "released", "expired"];
  for (const [i, state] of ended.entries())
    await db.$executeRawUnsafe(
      `UPDATE "Hold" SET "state" = '${state}', "activeOwnerKey" = NULL, "stateReason" = 'bench' WHERE "shop" = '${BIG}' AND CAST(substr("ownerId", 3) AS INTEGER) % 5 = ${i + 1}`,
    );
  await db.$executeRawUnsafe(
    `UPDATE "Hold" SET "state" = 'expired', "activeOwnerKey" = NULL WHERE "shop" = '${BIG}' AND CAST(substr("ownerId", 3) AS INTEGER) % 5 = 4`,
  );
  // The 99,000th newest hold: where a page that deep starts.
  const deep = await db.hold.findFirstOrThrow({ where: { shop: BIG }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: Math.min(99_000, HOLDS - 51) });
  const cursor = Buffer.from(`${deep.createdAt.toISOString()}|${deep.id}`).toString("base64url");
  const anyHold = deep.id;
  await db.$disconnect();

  const tokenFor = async (shop: string) => `Bearer ${await bench.store.sessionToken(shop, { ttlSeconds: 3600 })}`;
  const scenario = async (shop: string, path: string, routeId: string, params: Record<string, string> = {}) => {
    const url = `${bench.appUrl}${path}?${await bench.adminQuery(shop, routeId, params)}`;
    const headers = { "User-Agent": UA, Authorization: await tokenFor(shop) };
    const check = await fetch(url, { headers });
    if (check.status !== 200) throw new Error(`${path}: ${check.status} ${await check.text()}`);
    return () => autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  };
  const scenarios: Record<string, () => Promise<autocannon.Result>> = {
    homeEmptyShop: await scenario(EMPTY, "/app", "routes/app._index"),
    holdsFirstPage: await scenario(BIG, "/app/holds", "routes/app.holds._index"),
    holdsPage99000Deep: await scenario(BIG, "/app/holds", "routes/app.holds._index", { cursor }),
    holdsActiveHard: await scenario(BIG, "/app/holds", "routes/app.holds._index", { state: "active", kind: "hard" }),
    holdPage: await scenario(BIG, `/app/holds/${anyHold}`, "routes/app.holds.$id"),
  };
  const names = Object.keys(scenarios);
  for (const name of names) await scenarios[name](); // warm-up
  const summary = (r: autocannon.Result) => ({
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
  });
  const runs: Record<string, ReturnType<typeof summary>[]> = Object.fromEntries(names.map((n) => [n, []]));
  // Machines are noisy: rotating rounds, the median round of each reported.
  for (let round = 0; round < ROUNDS; round++)
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      runs[name].push(summary(await scenarios[name]()));
    }
  const median = (xs: ReturnType<typeof summary>[]) => [...xs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(xs.length / 2)];
  const baseline = median(runs.homeEmptyShop);
  const result: Record<string, unknown> = {
    database: "sqlite",
    server: "npm start (production build)",
    holds: HOLDS,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    rounds: ROUNDS,
    homeEmptyShop: baseline,
  };
  for (const name of names.slice(1)) {
    const m = median(runs[name]);
    result[name] = {
      ...m,
      throughputRatioToHome: Number((m.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)),
      p50RatioToHome: Number((m.p50Ms / baseline.p50Ms).toFixed(2)),
    };
  }
  result.checkoutsPage = "not built yet (issue 14)";
  const failed = Object.values(runs).some((rs) => rs.some((r) => r.non2xx));
  if (failed) console.error(JSON.stringify(runs));
  result.allAnswered2xx = !failed;
  console.log(JSON.stringify(result));
  if (failed) process.exitCode = 1;
} finally {
  await bench.stop();
}
