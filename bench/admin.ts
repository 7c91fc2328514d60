// `npm run bench:admin`: the admin's pages with 100,000 holds, 20,000 checkout runs (seven step
// attempts each) and 20,000 carts in one shop, through the built app (`npm start`'s command,
// production mode) on SQLite against the dev store, loaded with autocannon as the embedded admin
// asks for a page's data: Holds (first page, 99,000 deep, filtered, a hold's page), Checkouts
// (first page, 19,000 deep, failed only, a run's page) and Home's results over all of it — each
// against the home page's loader on an empty shop, measured in the same run (issue 14). The last
// line printed is one JSON object.
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { startBenchApp, UA } from "./app-server";

const PORT = Number(process.env.BENCH_PORT ?? 3392);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HOLDS = Number(process.env.BENCH_HOLDS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20_000);
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
  const productId = bench.store.shop(BIG).catalog.variants.find((v) => v.inventoryItemId === level.inventoryItemId)!.productId;
  const loc = "gid://shopify/Location/1001";
  await db.stockLevel.create({ data: { shop: BIG, inventoryItemId: item, locationId: loc, shopifyAvailable: 1_000_000_000, shopifyUpdatedAt: new Date() } });
  const now = Date.now();
  const lines = JSON.stringify([{ inventoryItemId: item, locationId: loc, quantity: 1 }]);
  const ts = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  for (let i = 0; i < HOLDS; i += 500) {
    const rows = Array.from({ length: Math.min(500, HOLDS - i) }, (_, k) => {
      const n = i + k;
      const id = randomUUID();
      return `('${id}', '${BIG}', 'checkout', 'co${n}', '${BIG}|checkout|co${n}', '${n % 3 ? "hard" : "soft"}', 'held', 'created', '${lines}', '${ts(now + 3_600_000)}', '${ts(now - n * 1000)}', false, false, 1)`;
    });
    await db.$executeRawUnsafe(
      `INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt", "reservePending", "shopifyReserve", "units") VALUES ${rows.join(", ")}`,
    );
  }
  // Ended a few minutes after they began (Home's results count them by when they ended); one in
  // ten orders protected a sale another shopper wanted.
  const ended = ["committed", "released", "expired"];
  for (const [i, state] of ended.entries())
    await db.$executeRawUnsafe(
      `UPDATE "Hold" SET "state" = '${state}', "activeOwnerKey" = NULL, "stateReason" = 'bench',
              "endedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "createdAt", '+' || (CAST(substr("ownerId", 3) AS INTEGER) % 17) || ' minutes'),
              "contestedAt" = CASE WHEN CAST(substr("ownerId", 3) AS INTEGER) % 10 = 1 THEN "createdAt" END
        WHERE "shop" = '${BIG}' AND CAST(substr("ownerId", 3) AS INTEGER) % 5 = ${i + 1}`,
    );
  // Refused shoppers, and carts at every stage, spread over the last 30 days.
  for (let i = 0; i < RUNS; i += 500) {
    const refusals = Array.from(
      { length: Math.min(500, RUNS - i) },
      (_, k) => `('${BIG}', 'checkout', 'r${i + k}', 1, 1, ${(i + k) % 2}, '${ts(now - (i + k) * 60_000)}')`,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "HoldRefusal" ("shop", "ownerType", "ownerId", "units", "shortUnits", "contestedUnits", "at") VALUES ${refusals.join(", ")}`,
    );
    const stages = ["cart", "checkout", "hold", "payment", "order"];
    const carts = Array.from({ length: Math.min(500, RUNS - i) }, (_, k) => {
      const n = i + k;
      return `('cart-${n}', '${BIG}', 'USD', '${ts(now - n * 60_000)}', '${ts(now - n * 60_000)}', '${stages[n % 5]}', ${n % 5 === 4 ? "NULL" : n % 3 ? "'hold_expired'" : "NULL"})`;
    });
    await db.$executeRawUnsafe(
      `INSERT INTO "Cart" ("id", "shop", "currency", "createdAt", "lastActivityAt", "stage", "lostReason") VALUES ${carts.join(", ")}`,
    );
  }
  // 20,000 checkout runs, a minute apart: completed, failed and undone, waiting, stuck; each with
  // its seven step attempts, as the runner records them.
  const runStates = ["completed", "completed", "compensated", "waiting", "stuck"];
  const stepNames = ["recalculate", "hold", "payment intent", "authorization", "shopify order", "capture", "complete"];
  for (let i = 0; i < RUNS; i += 250) {
    const runs: string[] = [];
    const attempts: string[] = [];
    for (let k = 0; k < Math.min(250, RUNS - i); k++) {
      const n = i + k;
      const state = runStates[n % runStates.length];
      const started = now - n * 60_000;
      const results = JSON.stringify({
        recalculate: { currency: "USD", grandTotal: 1000 + n, email: `shopper${n}@example.com`, lines: [] },
        "payment intent": { id: `pi_bench_${n}`, clientSecret: null, account: "acct_bench" },
        ...(state === "completed" ? { complete: `gid://shopify/Order/${n}` } : {}),
      });
      runs.push(
        `('run-${n}', '${BIG}', 'checkout', 'cart-${n}', NULL, '{}', '${state}', ${state === "completed" ? 7 : 3}, '${results}', '${ts(started)}', '${ts(started + 90_000)}')`,
      );
      stepNames.forEach((step, s) =>
        attempts.push(`('run-${n}', '${BIG}', '${step}', 'action', 1, 'ok', '${ts(started + s * 1000)}', '${ts(started + s * 1000 + 40)}')`),
      );
    }
    await db.$executeRawUnsafe(
      `INSERT INTO "SagaRun" ("id", "shop", "saga", "key", "activeKey", "input", "state", "step", "results", "createdAt", "updatedAt") VALUES ${runs.join(", ")}`,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "SagaStepAttempt" ("runId", "shop", "step", "phase", "attempt", "outcome", "startedAt", "endedAt") VALUES ${attempts.join(", ")}`,
    );
  }
  const deepRun = await db.sagaRun.findFirstOrThrow({
    where: { shop: BIG },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: Math.min(19_000, RUNS - 51),
  });
  const runCursor = Buffer.from(`${deepRun.createdAt.toISOString()}|${deepRun.id}`).toString("base64url");
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
    holdsByProduct: await scenario(BIG, "/app/holds", "routes/app.holds._index", { product: String(productId) }),
    holdPage: await scenario(BIG, `/app/holds/${anyHold}`, "routes/app.holds.$id"),
    checkoutsFirstPage: await scenario(BIG, "/app/checkouts", "routes/app.checkouts._index"),
    checkoutsPage19000Deep: await scenario(BIG, "/app/checkouts", "routes/app.checkouts._index", { cursor: runCursor }),
    checkoutsFailed: await scenario(BIG, "/app/checkouts", "routes/app.checkouts._index", { state: "failed" }),
    checkoutPage: await scenario(BIG, `/app/checkouts/${deepRun.id}`, "routes/app.checkouts.$id"),
    homeResultsBusyShop: await scenario(BIG, "/app", "routes/app._index", { period: "month" }),
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
    checkoutRuns: RUNS,
    carts: RUNS,
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
  const failed = Object.values(runs).some((rs) => rs.some((r) => r.non2xx));
  if (failed) console.error(JSON.stringify(runs));
  result.allAnswered2xx = !failed;
  console.log(JSON.stringify(result));
  if (failed) process.exitCode = 1;
} finally {
  await bench.stop();
}
