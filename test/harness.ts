// Starts what a test of the app needs: a throwaway database, the local dev store, and the
// app's Remix route modules behind a real HTTP server (so the dev store can deliver webhooks
// to it). Configuration goes through the environment, exactly as in production.
import { writeReadableStreamToWritable } from "@remix-run/node";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "./database";
import { startDevStore, DEFAULT_SHOP, type DevStore, type DevStoreOptions } from "./dev-store/server";
import { appRegistrationFromToml } from "./dev-store/app-toml";

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<unknown>;
  action?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<unknown>;
};

export interface TestApp {
  url: string;
  store: DevStore;
  database: TestDatabase;
  apiKey: string;
  apiSecret: string;
  /** The app's modules, loaded after the environment was set. */
  db: typeof import("../app/db.server").default;
  shopify: typeof import("../app/shopify.server").default;
  /** A request to the app as the embedded admin makes it: with a session token. */
  adminFetch(path: string, init?: RequestInit & { shop?: string }): Promise<Response>;
  /** Installs the app into a dev store shop through token exchange. */
  install(shop?: string): Promise<void>;
  close(): Promise<void>;
}

const ROUTES = join(process.cwd(), "app", "routes");

/** Maps a URL path to its flat-routes file and params (static segments and `$param` segments). */
function routeFile(pathname: string): { file: string; params: Record<string, string> } | undefined {
  const segments = pathname.replace(/^\/+|\/+$/g, "").split("/").map(decodeURIComponent);
  // Index routes first: /app is app._index, not the app.tsx layout.
  const candidates = readdirSync(ROUTES).filter((f) => /\.tsx?$/.test(f) && !f.includes(".test.")).sort((a, b) => Number(b.includes("._index")) - Number(a.includes("._index")));
  for (const file of candidates) {
    const parts = file.replace(/\.tsx?$/, "").split(".").filter((p) => p !== "_index");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    if (parts.every((p, i) => (p.startsWith("$") ? ((params[p.slice(1)] = segments[i]), true) : p === segments[i]))) return { file: join(ROUTES, file), params };
  }
  return undefined;
}

async function toRequest(req: IncomingMessage, base: string, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers, body, signal });
}

export async function startTestApp(options: Partial<Omit<DevStoreOptions, "app">> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  let handler: (request: Request) => Promise<Response> = async () => new Response("starting", { status: 503 });
  const server: Server = createServer(async (req, res) => {
    // The request's signal aborts when the client goes away, as in Remix's own server (streams stop).
    const closed = new AbortController();
    res.on("close", () => closed.abort());
    const response = await handler(await toRequest(req, `http://${req.headers.host}`, closed.signal)).catch(
      (error) => new Response(String((error as Error).stack), { status: 500 }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    // Streamed as it comes, so Server-Sent Events reach the client.
    await writeReadableStreamToWritable(response.body, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const apiKey = "holdfast-test-key";
  const apiSecret = randomBytes(24).toString("hex");
  const store = await startDevStore({ webhookRetryDelaysMs: [50, 100], ...options, app: appRegistrationFromToml({ apiKey, apiSecret, appUrl: url }) });

  Object.assign(process.env, {
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: url,
    DATABASE_URL: database.url,
    SHOPIFY_DEV_STORE_URL: store.url,
  });
  const db = (await import("../app/db.server")).default;
  const shopify = (await import("../app/shopify.server")).default;

  handler = async (request) => {
    const match = routeFile(new URL(request.url).pathname);
    if (!match) return new Response("Not Found", { status: 404 });
    const route = (await import(/* @vite-ignore */ match.file)) as RouteModule;
    const fn = request.method === "GET" || request.method === "HEAD" ? route.loader : route.action;
    if (!fn) return new Response("Method Not Allowed", { status: 405 });
    try {
      const result = await fn({ request, params: match.params, context: {} });
      if (result instanceof Response) return result;
      return Response.json(result ?? null);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };

  const host = (shop: string) => Buffer.from(`${shop}/admin`).toString("base64url");

  const app: TestApp = {
    url, store, database, apiKey, apiSecret, db, shopify,
    async adminFetch(path, init = {}) {
      const shop = init.shop ?? DEFAULT_SHOP;
      const token = await store.sessionToken(shop);
      const target = new URL(path, url);
      target.searchParams.set("shop", shop);
      target.searchParams.set("host", host(shop));
      target.searchParams.set("embedded", "1");
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      headers.set("User-Agent", "Mozilla/5.0 (Holdfast tests)");
      return fetch(target, { ...init, headers });
    },
    async install(shop = DEFAULT_SHOP) {
      if (!store.state.shop(shop)) store.state.addShop(shop);
      const token = await store.sessionToken(shop);
      const target = new URL("/app", url);
      for (const [k, v] of Object.entries({ shop, host: host(shop), embedded: "1", id_token: token })) target.searchParams.set(k, v);
      const res = await fetch(target, { headers: { "User-Agent": "Mozilla/5.0 (Holdfast tests)" } });
      if (res.status !== 200) throw new Error(`install into ${shop} failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      await store.webhooks.settle();
      await store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.$disconnect();
      await database.drop();
    },
  };
  return app;
}
