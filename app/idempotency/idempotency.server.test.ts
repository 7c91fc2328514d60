import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

let t: TestApp;
let idem: typeof import("./idempotency.server");
beforeAll(async () => {
  t = await startTestApp();
  idem = await import("./idempotency.server");
});
afterAll(async () => t?.close());

const SHOP = "holdfast-dev.myshopify.com";
const scope = (key: string, clientId = "client-1", shop = SHOP) => ({ shop, clientId, key });
const request = (body: unknown = { quantity: 2 }) => ({ method: "POST", path: "/api/v1/carts/c1/lines", body });

/** A write with an effect we can count: one CustomerDataRequest row per execution. */
function writer(label: string, status = 201) {
  let runs = 0;
  const handler = async (tx: import("./idempotency.server").Tx) => {
    runs++;
    await tx.customerDataRequest.create({ data: { shop: SHOP, dataRequestId: `${label}-${runs}` } });
    return { status, body: { label, runs }, headers: { Location: `/things/${label}` } };
  };
  return { handler, runs: () => runs, rows: () => t.db.customerDataRequest.count({ where: { dataRequestId: { startsWith: `${label}-` } } }) };
}

describe("idempotency keys", () => {
  it("runs a write once and replays its exact answer for a retry", async () => {
    const w = writer("replay");
    const first = await idem.runIdempotent(scope("k1"), request(), w.handler);
    const second = await idem.runIdempotent(scope("k1"), request(), w.handler);
    expect(first).toEqual({ kind: "executed", answer: { status: 201, body: { label: "replay", runs: 1 }, headers: { Location: "/things/replay" } } });
    expect(second).toEqual({ kind: "replayed", answer: first.kind === "executed" ? first.answer : null });
    expect(w.runs()).toBe(1);
    expect(await w.rows()).toBe(1);
    const res = idem.idempotencyResponse(second);
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(res.headers.get("Location")).toBe("/things/replay");
  });

  it("refuses the same key with a different request (422) and changes nothing", async () => {
    const w = writer("mismatch");
    await idem.runIdempotent(scope("k2"), request({ quantity: 1 }), w.handler);
    const other = await idem.runIdempotent(scope("k2"), request({ quantity: 3 }), w.handler);
    expect(other).toEqual({ kind: "mismatch" });
    expect(idem.idempotencyResponse(other).status).toBe(422);
    expect(await w.rows()).toBe(1);
    // Key order in the body does not make a request different.
    expect(idem.fingerprintOf("post", "/x", { a: 1, b: 2 })).toBe(idem.fingerprintOf("POST", "/x", { b: 2, a: 1 }));
  });

  it("concurrent duplicates: one runs; the others wait their turn with 409 and Retry-After, or get the replay", async () => {
    const w = writer("race");
    const slow = async (tx: import("./idempotency.server").Tx) => {
      await new Promise((r) => setTimeout(r, 50));
      return w.handler(tx);
    };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => idem.runIdempotent(scope("k3"), request(), slow)));
    expect(outcomes.filter((o) => o.kind === "executed")).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === "executed" || o.kind === "replayed" || o.kind === "in_progress")).toBe(true);
    const busy = outcomes.find((o) => o.kind === "in_progress");
    if (busy) expect(Number(idem.idempotencyResponse(busy).headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await w.rows()).toBe(1);
  });

  it("after a crash mid-request (a lapsed lease, nothing committed), a retry runs the write once", async () => {
    const w = writer("crash");
    const past = new Date(Date.now() - idem.LEASE_MS - 1000);
    await t.db.idempotencyKey.create({
      data: {
        ...scope("k4"),
        fingerprint: idem.fingerprintOf("POST", "/api/v1/carts/c1/lines", { quantity: 2 }),
        state: "in_progress",
        lockedUntil: past,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const retry = await idem.runIdempotent(scope("k4"), request(), w.handler);
    expect(retry.kind).toBe("executed");
    expect(await w.rows()).toBe(1);
  });

  it("a failing write leaves nothing behind and frees the key; 5xx answers are not kept", async () => {
    const failing = async (tx: import("./idempotency.server").Tx) => {
      await tx.customerDataRequest.create({ data: { shop: SHOP, dataRequestId: "boom-1" } });
      throw new Error("boom");
    };
    await expect(idem.runIdempotent(scope("k5"), request(), failing)).rejects.toThrow("boom");
    expect(await t.db.customerDataRequest.count({ where: { dataRequestId: "boom-1" } })).toBe(0);
    const w = writer("after-failure", 503);
    expect((await idem.runIdempotent(scope("k5"), request(), w.handler)).kind).toBe("executed");
    expect((await idem.runIdempotent(scope("k5"), request(), w.handler)).kind).toBe("executed");
    expect(w.runs()).toBe(2);
  });

  it("keys are scoped per shop and client, and expire after 24 hours", async () => {
    const w = writer("scoped");
    await idem.runIdempotent(scope("k6", "client-1"), request(), w.handler);
    expect((await idem.runIdempotent(scope("k6", "client-2"), request(), w.handler)).kind).toBe("executed");
    expect((await idem.runIdempotent(scope("k6", "client-1", "other.myshopify.com"), request(), w.handler)).kind).toBe("executed");
    const tomorrow = new Date(Date.now() + idem.KEY_TTL_MS + 1000);
    expect((await idem.runIdempotent(scope("k6", "client-1"), request(), w.handler, tomorrow)).kind).toBe("executed");
    expect(await idem.expireIdempotencyKeys(new Date(Date.now() + 3 * idem.KEY_TTL_MS))).toBeGreaterThan(0);
  });

  it("refuses a malformed key", async () => {
    const outcome = await idem.runIdempotent(scope("has space"), request(), writer("bad").handler);
    expect(outcome.kind).toBe("invalid_key");
    expect(idem.idempotencyResponse(outcome).status).toBe(400);
  });
});
