// Holdfast's HTTP server: Express in front of the Remix build, with Node's own fetch classes
// (no Remix globals: decision 018). The same function serves production (`npm start` runs
// server.ts, bundled into build/index.js) and the test suite, which hands it a build made
// from the source route modules. Everything that is refused before Remix sees it (a path that
// is not well-formed text, a request the HTTP parser rejects, an error nobody caught) is
// answered in the API's JSON shape, never with the HTTP stack's own HTML.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import { checkText } from "../lib/text";
import { guardUpstreamFailures } from "./upstream-guard.server";

export const MAX_PATH_LENGTH = 2048;

export interface HoldfastHttpServer {
  server: Server;
  /**
   * Stops taking connections, lets requests in flight finish for up to `graceMs`, then cuts
   * what is left (long-lived event streams). Resolves when the last connection is gone.
   */
  close(graceMs?: number): Promise<void>;
}

const jsonError = (status: number, code: string, message: string) => JSON.stringify({ error: { code, message } });

/**
 * A refusal made here, before any route: JSON, never cached, and readable by the storefront's
 * script that sent it (the origin is echoed: the answer carries no data to protect).
 */
function refuse(req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], status: number, code: string, message: string) {
  const origin = req.headers.origin;
  if (origin && req.originalUrl.startsWith("/api/"))
    res.set({ "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", Vary: "Origin" });
  res
    .status(status)
    .type("application/json")
    .set("Cache-Control", "no-store")
    .send(jsonError(status, code, message));
}

/** Refuses a path that is too long, cannot be decoded, or decodes to text no route accepts. */
const wellFormedPath: RequestHandler = (req, res, next) => {
  const raw = req.originalUrl;
  if (raw.length > MAX_PATH_LENGTH) return refuse(req, res, 414, "path_too_long", `The request path is longer than ${MAX_PATH_LENGTH} characters`);
  const pathname = raw.split("?")[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return refuse(req, res, 400, "invalid_path", "The request path is not valid percent-encoded UTF-8");
  }
  const problem = checkText(decoded);
  if (problem) return refuse(req, res, 400, "invalid_path", `The request path ${problem}`);
  next();
};

/**
 * An empty Idempotency-Key is a client's mistake, not "no key": refused here, because Remix's
 * request adapter drops empty headers and the write would otherwise run unprotected.
 */
const noEmptyIdempotencyKey: RequestHandler = (req, res, next) => {
  const key = req.headers["idempotency-key"];
  if (key !== undefined && String(key).trim() === "")
    return refuse(req, res, 400, "invalid_idempotency_key", "Idempotency-Key is empty: send 1 to 255 printable ASCII characters, or no header");
  next();
};

/** The last resort: an error that escaped a route is logged and answered without details. */
const lastResort: ErrorRequestHandler = (error, req, res, next) => {
  void next;
  // body-parser style errors carry their own client status; anything else is ours.
  const status =
    typeof (error as { status?: unknown }).status === "number" && (error as { status: number }).status < 500 ? (error as { status: number }).status : 500;
  if (status === 500) console.error(`unhandled error on ${req.method} ${req.path}: ${(error as Error)?.stack ?? String(error)}`);
  if (res.headersSent) return res.destroy();
  res
    .status(status)
    .type("application/json")
    .send(
      jsonError(
        status,
        status === 500 ? "internal_error" : "bad_request",
        status === 500 ? "Something went wrong on our side; it has been logged" : "The request could not be read",
      ),
    );
};

/** What the HTTP parser refuses (malformed request line, headers too large) gets JSON too. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket) {
  if (!socket.writable || error.code === "ECONNRESET") return socket.destroy();
  const [status, code, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers_too_large", "The request line or headers are too large"]
      : error.code === "HPE_URI_TOO_LONG"
        ? [414, "path_too_long", "The request path is too long"]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "request_timeout", "The request took too long to arrive"]
          : [400, "bad_request", "The request is not valid HTTP"];
  const body = jsonError(status, code, message);
  const reason = { 400: "Bad Request", 408: "Request Timeout", 414: "URI Too Long", 431: "Request Header Fields Too Large" }[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** How long, and how much, an unread request body is still read after its answer went out. */
const LINGER_MS = 3_000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * A route may answer before it has read the request's body (a 401 or 404 found from the path,
 * a 413 for a body far too large). Remix's request adapter still holds the body stream, so
 * Node does not drain it as it would otherwise: the client could never finish sending, and
 * its connection would hang. So after such an answer the rest of the body is read and
 * dropped, and a kept-alive connection serves the client's next request.
 *
 * An answer that closes the connection lingers, as nginx does: the socket sends its end but
 * keeps reading for a moment. Closing at once makes the kernel reset the connection, and a
 * client still writing its body sees EPIPE instead of the answer. A body that goes on for
 * longer than LINGER_MS or LINGER_BYTES after the answer is cut off.
 */
function drainUnreadBodies(server: Server) {
  const inFlight = new WeakMap<Socket, IncomingMessage>();
  const drain = (req: IncomingMessage) => {
    if (req.complete || (req as { holdfastDraining?: boolean }).holdfastDraining) return;
    (req as { holdfastDraining?: boolean }).holdfastDraining = true;
    let dropped = 0;
    const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
    cut.unref();
    req.removeAllListeners("data");
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.byteLength;
      if (dropped > LINGER_BYTES) req.socket.destroy();
    });
    req.once("end", () => clearTimeout(cut));
    req.socket.once("close", () => clearTimeout(cut));
    req.resume();
  };
  server.on("request", (req: IncomingMessage, res) => {
    inFlight.set(req.socket, req);
    res.once("finish", () => drain(req));
  });
  server.on("connection", (socket: Socket) => {
    const destroySoon = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      const req = inFlight.get(socket);
      if (!req || req.complete || socket.destroyed) return destroySoon();
      socket.once("end", () => socket.destroy());
      socket.end();
      drain(req);
    };
  });
}

export interface HttpServerOptions {
  /** Where the client build is served from and lies (remix.config.js's defaults). */
  publicPath?: string;
  assetsBuildDirectory?: string;
  publicDir?: string;
}

/**
 * The server for a Remix build. The build may be given as a function (the test suite's build
 * from source, whose modules load once the environment is set); requests wait for it.
 */
export function createHoldfastHttpServer(build: ServerBuild | (() => Promise<ServerBuild>), options: HttpServerOptions = {}): HoldfastHttpServer {
  const publicPath = typeof build === "function" ? (options.publicPath ?? "/build/") : build.publicPath;
  const assetsBuildDirectory = typeof build === "function" ? (options.assetsBuildDirectory ?? "public/build") : build.assetsBuildDirectory;
  const app = express();
  app.disable("x-powered-by");
  // A proxy in front (Shopify's app hosting, a load balancer) says which scheme the shopper used.
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use(wellFormedPath);
  app.use(noEmptyIdempotencyKey);
  // Pages, styles and scripts go out compressed (the shopper's checkout page on a phone most of
  // all). API answers and event streams are left as they are: streams must reach the client as
  // they are written, and API clients are servers on fast links.
  app.use(
    compression({
      filter: (_req, res) => /^(text\/html|text\/css|text\/javascript|application\/javascript)/.test(String(res.getHeader("Content-Type") ?? "")),
    }),
  );
  // Fingerprinted assets never change; everything else in public/ may.
  app.use(publicPath, express.static(assetsBuildDirectory, { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(options.publicDir ?? "public", { maxAge: "1h", index: false }));
  const guardedBuilds = new WeakMap<ServerBuild, ServerBuild>();
  const guard = (b: ServerBuild) => guardedBuilds.get(b) ?? guardedBuilds.set(b, guardUpstreamFailures(b)).get(b)!;
  const served = typeof build === "function" ? async () => guard(await build()) : guard(build);
  app.all("*", createRequestHandler({ build: served, mode: typeof build === "function" ? "production" : build.mode }));
  app.use(lastResort);

  const server = createServer(app);
  server.on("clientError", answerClientError);
  drainUnreadBodies(server);
  // Idle kept-alive sockets close a little after a load balancer's (typically 60 s) would.
  server.keepAliveTimeout = 65_000;

  return {
    server,
    close(graceMs = 10_000) {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A kept-alive connection whose request was in flight goes once its answer is out.
        server.closeIdleConnections();
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.once("close", () => {
          clearInterval(idle);
          clearTimeout(cut);
        });
      });
    },
  };
}
