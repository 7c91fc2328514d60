// Issue 11, defect 3 and the fuzz corpus: the Cart and Checkout API under arbitrary and hostile
// input, against the production server. Lone UTF-16 surrogates, NUL and other control
// characters, invalid UTF-8 in bodies and paths, over-long paths and bodies, deep nesting,
// prototype keys, wrong content types: never a 5xx, every refusal a JSON {error:{code,message}},
// and after a refusal the cart's rows are byte-identical.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startStack, type Stack } from "./stack";

let s: Stack;
let cartId: string;
let lineId: string;
const headers = (extra: Record<string, string> = {}) => ({
  "Content-Type": "application/json",
  "User-Agent": "HydrogenStorefront/1.0",
  "X-Holdfast-Storefront-Key": s.key,
  ...extra,
});

/** A request exactly as written: the path and the body's bytes are not normalised by a URL parser. */
function raw(
  method: string,
  path: string,
  body?: Buffer | string,
  extra: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
    const req = http.request(
      { host: "127.0.0.1", port: s.port, method, path, headers: { ...headers(extra), ...(payload ? { "Content-Length": String(payload.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

beforeAll(async () => {
  s = await startStack();
  cartId = (await (await fetch(`${s.url}/api/v1/carts`, { method: "POST", headers: headers(), body: "{}" })).json()).cart.id;
  const { catalog } = s.store.shop();
  const v = catalog.variants.find((x) => catalog.levels.some((l) => l.inventoryItemId === x.inventoryItemId && l.quantities.available > 0))!;
  const added = await (
    await fetch(`${s.url}/api/v1/carts/${cartId}/lines`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ variantId: `gid://shopify/ProductVariant/${v.id}`, quantity: 1 }),
    })
  ).json();
  lineId = added.lines[0].id;
});
afterAll(async () => s?.close());

/** The cart's stored rows, exactly. */
const snapshot = async () =>
  JSON.stringify({
    cart: await s.db.cart.findUniqueOrThrow({ where: { id: cartId } }),
    lines: await s.db.cartLine.findMany({ where: { cartId }, orderBy: { id: "asc" } }),
    carts: await s.db.cart.count(),
    runs: await s.db.sagaRun.count(),
  });

async function expectRefusedCleanly(answer: { status: number; text: string }, before: string, what: string) {
  expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    let parsed: { error?: { code?: unknown; message?: unknown } };
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      throw new Error(`${what}: a ${answer.status} that is not JSON: ${answer.text.slice(0, 200)}`);
    }
    expect(parsed.error, what).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(await snapshot(), what).toBe(before);
  }
}

const writes = () =>
  [
    ["POST", `/api/v1/carts/${cartId}/lines`],
    ["DELETE", `/api/v1/carts/${cartId}/lines`],
    ["PATCH", `/api/v1/carts/${cartId}/lines/${lineId}`],
    ["DELETE", `/api/v1/carts/${cartId}/lines/${lineId}`],
    ["PUT", `/api/v1/carts/${cartId}/contact`],
    ["PUT", `/api/v1/carts/${cartId}/addresses`],
    ["PUT", `/api/v1/carts/${cartId}/shipping-rates`],
    ["POST", `/api/v1/carts/${cartId}/discount-codes`],
    ["POST", `/api/v1/carts`],
    ["POST", `/api/v1/checkouts`],
  ] as const;

// Text no field accepts: lone surrogates, NUL and other controls, bidi overrides mixed in.
const hostileText = fc.oneof(
  fc.constantFrom("\ud800", "\udfff", "a\ud800b", "\u0000", "x\u0000", "\u0007", "\u001b[2J", "\u007f", "\u0085"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 12 }),
);
const nearly = fc.record(
  {
    variantId: fc.oneof(fc.constant("gid://shopify/ProductVariant/40001"), fc.string(), fc.integer(), fc.constant(null), hostileText),
    quantity: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.string(), fc.constant(null), fc.constant(1e308)),
    lineIds: fc.oneof(fc.array(fc.string()), fc.string(), fc.constant(null), fc.array(hostileText)),
    email: fc.oneof(fc.emailAddress(), fc.string(), fc.integer(), hostileText),
    phone: fc.oneof(fc.constant("+14155550123"), fc.string()),
    code: fc.oneof(fc.string(), hostileText),
    cartToken: fc.oneof(fc.uuid(), fc.integer(), fc.boolean(), fc.object(), hostileText),
    cartId: fc.oneof(fc.uuid(), hostileText),
    expectedTotal: fc.oneof(fc.integer(), fc.string()),
    shippingAddress: fc.oneof(
      fc.object(),
      fc.constant(null),
      fc.record({ lastName: fc.oneof(fc.string(), hostileText), address1: fc.string(), city: fc.string(), country: fc.string({ maxLength: 3 }) }),
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  nearly.map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom(
    '{"lineIds":["\\ud800"]}',
    '{"email":"a\\u0000b@example.com"}',
    '{"__proto__":{"admin":true},"quantity":1}',
    '{"constructor":{"prototype":{"polluted":true}},"variantId":"gid://shopify/ProductVariant/40001","quantity":1}',
    "[".repeat(20_000) + "]".repeat(20_000),
    '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000),
    JSON.stringify({ email: "x".repeat(70_000) }),
  ),
);
const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xff, 0xfe, 0x7b]),
  Buffer.from('{"email":"\xff@example.com"}', "latin1"),
  Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]),
  Buffer.from([0xc3, 0x28]),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
);

describe("the API under fuzzing, through the production server", () => {
  it("answers every request below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes()), body, async ([method, path], payload) => {
        const before = await snapshot();
        await expectRefusedCleanly(await raw(method, path, payload), before, `${method} ${path} ${payload.slice(0, 80)}`);
      }),
      { numRuns: 200 },
    );
  });

  it("invalid UTF-8 bodies and wrong content types: refused with a code, nothing changed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes()),
        fc.oneof(
          invalidUtf8,
          body.map((b) => Buffer.from(b)),
        ),
        contentType,
        async ([method, path], payload, type) => {
          const before = await snapshot();
          const answer = await raw(method, path, payload, type ? { "Content-Type": type } : {});
          await expectRefusedCleanly(answer, before, `${method} ${path} as ${type || "no type"}`);
          // Refused for its type, or for its size first; checkouts refuse a missing Idempotency-Key before they read the body.
          if (type && !/json/.test(type) && payload.toString("latin1").trim())
            expect(path === "/api/v1/checkouts" ? [400, 413, 415] : [413, 415], `${method} ${path}`).toContain(answer.status);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("hostile path parameters (NUL, lone surrogates as UTF-8, bad escapes, traversal, very long): JSON refusals", async () => {
    const segments = ["%00", "a%00b", "%ED%A0%80", "%C3%28", "%FF", "%", "%zz", "%E2%80%AE", "..%2F..%2Fetc", "x".repeat(3_000), encodeURIComponent("\u0007")];
    const before = await snapshot();
    for (const seg of segments) {
      for (const [method, path] of [
        ["PATCH", `/api/v1/carts/${cartId}/lines/${seg}`],
        ["DELETE", `/api/v1/carts/${cartId}/lines/${seg}`],
        ["GET", `/api/v1/carts/${seg}`],
        ["POST", `/api/v1/checkouts/${seg}/confirm`],
        ["GET", `/api/v1/checkouts/${seg}`],
        ["DELETE", `/api/v1/carts/${cartId}/discount-codes/${seg}`],
      ] as const) {
        const answer = await raw(method, path, method === "GET" || method === "DELETE" ? undefined : JSON.stringify({ quantity: 2 }), {
          "Idempotency-Key": `p-${seg.slice(0, 20)}`,
        });
        await expectRefusedCleanly(answer, before, `${method} ${path.slice(0, 120)}`);
        expect(answer.status, `${method} ${path.slice(0, 120)}`).toBeGreaterThanOrEqual(400);
      }
    }
    // Paths longer than the HTTP parser takes are refused in the same JSON shape.
    const huge = await raw("GET", `/api/v1/carts/${"y".repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.text).error.code).toBe("headers_too_large");
  });

  it("the lone surrogate and NUL cases that once reached the database: 400 with a code", async () => {
    const before = await snapshot();
    const cases: [string, string, string, string][] = [
      ["DELETE", `/api/v1/carts/${cartId}/lines`, '{"lineIds":["\\ud800"]}', "invalid_text"],
      ["DELETE", `/api/v1/carts/${cartId}/lines`, '{"lineIds":["a\\u0000"]}', "invalid_text"],
      ["PATCH", `/api/v1/carts/${cartId}/lines/%00`, '{"quantity":2}', "invalid_path"],
      ["DELETE", `/api/v1/carts/${cartId}/lines/%00`, "", "invalid_path"],
      ["POST", "/api/v1/checkouts/%00/confirm", "{}", "invalid_path"],
      ["PUT", `/api/v1/carts/${cartId}/contact`, '{"email":"\\u0000@example.com"}', "invalid_text"],
      ["POST", `/api/v1/carts/${cartId}/discount-codes`, '{"code":"SAVE\\u0000"}', "invalid_text"],
    ];
    for (const [method, path, payload, code] of cases) {
      const answer = await raw(method, path, payload || undefined, { "Idempotency-Key": `h-${code}-${method}` });
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(400);
      expect(JSON.parse(answer.text).error.code).toBe(code);
    }
    expect(await snapshot()).toBe(before);
  });
});
