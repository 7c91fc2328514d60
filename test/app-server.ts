// The app's Remix route modules behind a real HTTP server, as the tests run them: a URL path
// maps to its flat-routes file, the loader or action answers. Used in-process by the test
// harness and as a separate process by the crash tests (test/crash/app-process.ts).
import { writeReadableStreamToWritable } from "@remix-run/node";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { readdirSync } from "node:fs";
import { join } from "node:path";

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<unknown>;
  action?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<unknown>;
};

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

/** Answers a request with the matching route module's loader or action. */
export async function handleWithRoutes(request: Request): Promise<Response> {
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
}

/** An HTTP server whose answers come from `handler()` (which may change after the server starts). */
export function createAppServer(handler: () => (request: Request) => Promise<Response>): Server {
  return createServer(async (req, res) => {
    // The request's signal aborts when the client goes away, as in Remix's own server (streams stop).
    const closed = new AbortController();
    res.on("close", () => closed.abort());
    const response = await handler()(await toRequest(req, `http://${req.headers.host}`, closed.signal)).catch(
      (error) => new Response(String((error as Error).stack), { status: 500 }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    // Streamed as it comes, so Server-Sent Events reach the client.
    await writeReadableStreamToWritable(response.body, res).catch(() => res.destroy());
  });
}
