import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { LeakyBucket } from "../../test/dev-store/store";
import { adminGraphql, defaultRetryPolicy, ShopifyThrottledError, throttleDelayMs, type RetryPolicy } from "./admin-graphql.server";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.install();
});
afterAll(async () => t?.close());

const QUERY = `#graphql
  query ThrottleProbe { products(first: 10) { nodes { id } } }`;

async function adminClient() {
  const { admin } = await t.shopify.unauthenticated.admin(DEFAULT_SHOP);
  return admin;
}

function recordingPolicy(overrides: Partial<RetryPolicy> = {}) {
  const waits: number[] = [];
  const policy: RetryPolicy = {
    ...defaultRetryPolicy,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, ms));
    },
    ...overrides,
  };
  return { policy, waits };
}

describe("admin GraphQL with throttle backoff", () => {
  it("waits out THROTTLED for as long as the bucket needs to refill this query's cost", async () => {
    const admin = await adminClient();
    const shop = t.store.shop();
    // Slow enough that the time between draining and asking cannot refill the query's cost.
    shop.bucket = new LeakyBucket(1000, 40);
    shop.bucket.drain();
    const { policy, waits } = recordingPolicy();
    const result = await adminGraphql<{ products: { nodes: unknown[] } }>(admin, QUERY, undefined, policy);
    expect(result.data.products.nodes).toHaveLength(10);
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    const cost = result.cost!.requestedQueryCost;
    // The first wait covers the deficit at the restore rate (cost / 40 per second), with jitter;
    // a few points may have come back before the request was made.
    expect(waits[0]).toBeGreaterThanOrEqual((cost / 40) * 1000 * 0.5);
    expect(waits[0]).toBeLessThanOrEqual((cost / 40) * 1000 * 1.25 + defaultRetryPolicy.baseDelayMs);
  });

  it("gives up with a clear error after the attempts allowed", async () => {
    const admin = await adminClient();
    const shop = t.store.shop();
    shop.bucket = new LeakyBucket(1000, 1);
    shop.bucket.drain();
    const { policy } = recordingPolicy({ maxAttempts: 2, sleep: async () => {} });
    await expect(adminGraphql(admin, QUERY, undefined, policy)).rejects.toBeInstanceOf(ShopifyThrottledError);
  });

  it("backs off and retries when Shopify answers 5xx", async () => {
    const admin = await adminClient();
    t.store.shop().bucket = new LeakyBucket(1000, 50);
    t.store.faults.push({ path: "graphql\\.json$", status: 502, times: 2 });
    const { policy, waits } = recordingPolicy({ baseDelayMs: 5 });
    const result = await adminGraphql<{ products: { nodes: unknown[] } }>(admin, QUERY, undefined, policy);
    expect(result.attempts).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThan(waits[0]);
  });

  it("computes the delay from throttleStatus, capped", () => {
    const status = { maximumAvailable: 1000, currentlyAvailable: 10, restoreRate: 50 };
    const policy = { ...defaultRetryPolicy, random: () => 0 };
    expect(throttleDelayMs({ requestedQueryCost: 110, actualQueryCost: null, throttleStatus: status }, 0, policy)).toBe(2000);
    expect(throttleDelayMs({ requestedQueryCost: 5, actualQueryCost: null, throttleStatus: status }, 0, policy)).toBe(0);
    expect(throttleDelayMs({ requestedQueryCost: 1e6, actualQueryCost: null, throttleStatus: status }, 0, policy)).toBe(policy.maxDelayMs);
  });
});
