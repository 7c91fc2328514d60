// `npm run bench:cart-http`: the built app (remix build, `npm start`, NODE_ENV=production) on
// SQLite, against the local dev store, under load from autocannon: get-cart, and add-item with
// a fresh Idempotency-Key per request, each against a trivial route of the same server
// (/healthz: one `SELECT 1`) measured in the same run. The last line printed is one JSON object.
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { DEFAULT_SHOP } from "../test/dev-store/server";
import { startBenchApp, UA } from "./app-server";

const PORT = Number(process.env.BENCH_PORT ?? 3391);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const bench = await startBenchApp({ port: PORT, name: "bench-cart-http" });
const { appUrl, store, databaseUrl } = bench;

async function json(path: string, init: RequestInit & { key: string }) {
  const res = await fetch(`${appUrl}${path}`, {
    ...init,
    headers: { "Content-Type": "application/json", "User-Agent": UA, "X-Holdfast-Storefront-Key": init.key, ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ cart: { id: string } }>;
}

type Scenario = { name: string; run: () => Promise<autocannon.Result> };
const summary = (r: autocannon.Result) => ({
  requestsPerSecond: Math.round(r.requests.average),
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  requests: r.requests.total,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
});

try {
  // A storefront key, made the way the admin page makes one (same database file).
  process.env.DATABASE_URL = databaseUrl;
  const { createStorefrontKey } = await import("../app/storefront/keys.server");
  const key = (await createStorefrontKey(DEFAULT_SHOP, { name: "bench", allowedOrigins: [] })).secret;
  const { default: db } = await import("../app/db.server");
  await db.$disconnect();

  const { catalog } = store.shop();
  const variants = catalog.variants
    .filter((v) => catalog.levels.some((l) => l.inventoryItemId === v.inventoryItemId && l.quantities.available > 0))
    .slice(0, 8)
    .map((v) => `gid://shopify/ProductVariant/${v.id}`);
  // get-cart reads a cart of 5 lines; add-item spreads its writes over 64 carts.
  const readCart = (await json("/api/v1/carts", { method: "POST", key, body: "{}" })).cart.id;
  for (const variantId of variants.slice(0, 5))
    await json(`/api/v1/carts/${readCart}/lines`, { method: "POST", key, body: JSON.stringify({ variantId, quantity: 1 }) });
  const carts: string[] = [];
  for (let i = 0; i < 64; i++) carts.push((await json("/api/v1/carts", { method: "POST", key, body: "{}" })).cart.id);

  const headers = { "User-Agent": UA, "X-Holdfast-Storefront-Key": key, "Content-Type": "application/json" };
  let n = 0;
  const scenarios: Scenario[] = [
    { name: "baseline", run: () => autocannon({ url: `${appUrl}/healthz`, connections: CONNECTIONS, duration: DURATION, headers: { "User-Agent": UA } }) },
    { name: "getCart", run: () => autocannon({ url: `${appUrl}/api/v1/carts/${readCart}`, connections: CONNECTIONS, duration: DURATION, headers }) },
    {
      name: "addItem",
      run: () =>
        autocannon({
          url: appUrl,
          connections: CONNECTIONS,
          duration: DURATION,
          headers,
          requests: [
            {
              method: "POST",
              setupRequest: (req) => {
                const i = n++;
                return {
                  ...req,
                  path: `/api/v1/carts/${carts[i % carts.length]}/lines`,
                  headers: { ...req.headers, "Idempotency-Key": randomUUID() },
                  body: JSON.stringify({ variantId: variants[Math.floor(i / carts.length) % variants.length], quantity: 1 }),
                };
              },
            },
          ],
        }),
    },
  ];
  for (const s of scenarios) await s.run(); // warm-up
  const runs: Record<string, ReturnType<typeof summary>[]> = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  // Machines are noisy: rotating rounds, the median round of each reported.
  for (let round = 0; round < ROUNDS; round++)
    for (let i = 0; i < scenarios.length; i++) {
      const s = scenarios[(i + round) % scenarios.length];
      runs[s.name].push(summary(await s.run()));
    }
  const median = (xs: ReturnType<typeof summary>[]) => [...xs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(xs.length / 2)];
  const baseline = median(runs.baseline);
  const ratio = (x: number) => Number((x / baseline.requestsPerSecond).toFixed(2));
  const getCart = median(runs.getCart);
  const addItem = median(runs.addItem);
  const failed = [...runs.getCart, ...runs.addItem].some((r) => r.non2xx || r.errors);
  console.log(
    JSON.stringify({
      database: "sqlite",
      server: "npm start (production build)",
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      rounds: ROUNDS,
      baseline,
      getCart: { ...getCart, ratioToBaseline: ratio(getCart.requestsPerSecond) },
      addItem: { ...addItem, ratioToBaseline: ratio(addItem.requestsPerSecond) },
      allAnswered2xx: !failed,
    }),
  );
  if (failed) process.exitCode = 1;
} finally {
  await bench.stop();
}
