// The dev store behaves as Shopify does for what Holdfast uses: schema validation, cost-based
// throttling, pagination, access tokens, fault injection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDevStore, DEFAULT_SHOP, type DevStore } from "./server";
import { LeakyBucket } from "./store";

let store: DevStore;
let token: string;
const app = { apiKey: "k", apiSecret: "s".repeat(32), appUrl: "http://127.0.0.1:1", scopes: ["read_products"], webhooks: [] };

async function admin(query: string, variables?: Record<string, unknown>, accessToken = token) {
  const res = await fetch(`${store.url}/shops/${DEFAULT_SHOP}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  store = await startDevStore({ app, bucketSize: 1000, restoreRate: 50 });
  token = store.state.issueAccessToken(DEFAULT_SHOP, "read_products", { expiring: false }).token.token;
});
afterAll(async () => store?.close());
beforeEach(() => {
  const shop = store.shop();
  shop.bucket = new LeakyBucket(1000, 50);
  store.faults.length = 0;
});

describe("dev store Admin API", () => {
  it("answers a valid query with data and its cost", async () => {
    const { status, body } = await admin(
      `{ shop { name myshopifyDomain currencyCode } products(first: 5) { nodes { id title variants(first: 3) { nodes { sku price } } } } }`,
    );
    expect(status).toBe(200);
    expect(body.data.shop).toEqual({ name: "Holdfast Dev", myshopifyDomain: DEFAULT_SHOP, currencyCode: "USD" });
    expect(body.data.products.nodes).toHaveLength(5);
    expect(body.data.products.nodes[0].id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: expect.any(Number), throttleStatus: { maximumAvailable: 1000, restoreRate: 50 } });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(1000);
  });

  it("rejects a document that does not validate against the 2026-10 schema, as Shopify does", async () => {
    const { status, body } = await admin(`{ shop { name notAField } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({
      message: "Field 'notAField' doesn't exist on type 'Shop'",
      extensions: { code: "undefinedField", typeName: "Shop", fieldName: "notAField" },
    });
    const missingArg = await admin(`{ product { id } }`);
    expect(missingArg.body.errors[0].extensions.code).toBe("missingRequiredArguments");
    const syntax = await admin(`{ shop { name }`);
    expect(syntax.body.errors[0].extensions.code).toBe("parseError");
  });

  it("refuses a request without a valid access token", async () => {
    const { status, body } = await admin(`{ shop { name } }`, undefined, "shpat_forged");
    expect(status).toBe(401);
    expect(body.errors).toMatch(/Invalid API key or access token/);
  });

  it("throttles when the bucket is empty, then restores at the restore rate", async () => {
    // A bucket that refills too slowly to matter while the throttled request is made.
    const bucket = (store.shop().bucket = new LeakyBucket(1000, 0.01));
    bucket.drain();
    const throttled = await admin(`{ shop { name } }`);
    expect(throttled.body.errors[0]).toMatchObject({ message: "Throttled", extensions: { code: "THROTTLED" } });
    expect(throttled.body.extensions.cost).toMatchObject({ requestedQueryCost: 1, throttleStatus: { currentlyAvailable: 0, restoreRate: 0.01 } });
    expect(throttled.body.data).toBeUndefined();
    bucket.restoreRate = 100; // 100 points/s: at least one point after 20 ms
    await new Promise((r) => setTimeout(r, 20));
    expect((await admin(`{ shop { name } }`)).body.data.shop.name).toBe("Holdfast Dev");
  });

  it("prices connections by page size and refuses a query above the single-query maximum", async () => {
    const small = await admin(`{ products(first: 2) { nodes { id } } }`);
    const large = await admin(`{ products(first: 100) { nodes { id } } }`);
    expect(large.body.extensions.cost.requestedQueryCost).toBeGreaterThan(small.body.extensions.cost.requestedQueryCost * 10);
    const mutation = await admin(`mutation { storefrontAccessTokenCreate(input: { title: "t" }) { userErrors { message } } }`);
    expect(mutation.body.extensions.cost.requestedQueryCost).toBeGreaterThanOrEqual(10);
    const huge = await admin(`{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }`);
    expect(huge.body.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
  });

  it("pages through connections with cursors and requires first or last", async () => {
    const first = await admin(`{ products(first: 10) { pageInfo { hasNextPage endCursor } nodes { id } } }`);
    const next = await admin(`query($after: String) { products(first: 10, after: $after) { pageInfo { hasPreviousPage } nodes { id } } }`, {
      after: first.body.data.products.pageInfo.endCursor,
    });
    expect(first.body.data.products.pageInfo.hasNextPage).toBe(true);
    expect(next.body.data.products.pageInfo.hasPreviousPage).toBe(true);
    const ids = new Set([...first.body.data.products.nodes, ...next.body.data.products.nodes].map((n: { id: string }) => n.id));
    expect(ids.size).toBe(20);
    const unbounded = await admin(`{ products { nodes { id } } }`);
    expect(unbounded.body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("reports inventory quantities by state, with on_hand their sum", async () => {
    const { body } = await admin(
      `{ inventoryItems(first: 1) { nodes { id inventoryLevels(first: 5) { nodes { location { name } quantities(names: ["available", "reserved", "committed", "on_hand"]) { name quantity } } } } } }`,
    );
    const levels = body.data.inventoryItems.nodes[0].inventoryLevels.nodes;
    expect(levels).toHaveLength(2);
    for (const level of levels) {
      const q = Object.fromEntries(level.quantities.map((x: { name: string; quantity: number }) => [x.name, x.quantity]));
      expect(q.on_hand).toBe(q.available + q.reserved + q.committed);
    }
    const bad = await admin(`{ inventoryItems(first: 1) { nodes { inventoryLevels(first: 1) { nodes { quantities(names: ["sellable"]) { quantity } } } } } }`);
    expect(bad.body.errors[0].message).toBe("The quantity name 'sellable' is not valid.");
  });

  it("seeds a catalog with two locations and scarce stock", () => {
    const { catalog } = store.shop();
    expect(catalog.products.length).toBeGreaterThanOrEqual(24);
    expect(catalog.locations).toHaveLength(2);
    expect(catalog.levels.some((l) => l.quantities.available <= 3)).toBe(true);
  });

  it("injects faults: 5xx, latency and timeouts on matching paths", async () => {
    store.faults.push({ path: "graphql\\.json$", status: 503, times: 1 });
    expect((await admin(`{ shop { name } }`)).status).toBe(503);
    expect((await admin(`{ shop { name } }`)).status).toBe(200);
    store.faults.push({ path: "graphql\\.json$", latencyMs: 150, times: 1 });
    const started = Date.now();
    await admin(`{ shop { name } }`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    store.faults.push({ path: "graphql\\.json$", timeout: true, times: 1 });
    await expect(
      fetch(`${store.url}/shops/${DEFAULT_SHOP}/admin/api/2026-10/graphql.json`, { method: "POST", body: "{}", signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
  });
});

describe("dev store Storefront API", () => {
  it("serves product facts to a storefront token created through the Admin API", async () => {
    const created = await admin(
      `mutation { storefrontAccessTokenCreate(input: { title: "headless" }) { storefrontAccessToken { accessToken } userErrors { message } } }`,
    );
    const sfToken = created.body.data.storefrontAccessTokenCreate.storefrontAccessToken.accessToken;
    const query = (t: string) =>
      fetch(`${store.url}/shops/${DEFAULT_SHOP}/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Storefront-Access-Token": t },
        body: JSON.stringify({
          query: `{ products(first: 1) { nodes { title variants(first: 1) { nodes { price { amount currencyCode } availableForSale requiresShipping } } } } }`,
        }),
      });
    const res = await query(sfToken);
    const body = await res.json();
    expect(body.data.products.nodes[0].variants.nodes[0].price).toMatchObject({ amount: expect.stringMatching(/^\d+\.\d{2}$/), currencyCode: "USD" });
    expect((await query("nope")).status).toBe(401);
  });

  it("keeps Storefront API carts as the Online Store's carts: lines, checkoutUrl, and `$app` metafields only the app may write", async () => {
    const created = await admin(`mutation { storefrontAccessTokenCreate(input: { title: "carts" }) { storefrontAccessToken { accessToken } } }`);
    const sfToken = created.body.data.storefrontAccessTokenCreate.storefrontAccessToken.accessToken;
    const sf = async (query: string, variables: Record<string, unknown> = {}) =>
      (
        await fetch(`${store.url}/shops/${DEFAULT_SHOP}/api/2026-10/graphql.json`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Shopify-Storefront-Access-Token": sfToken },
          body: JSON.stringify({ query, variables }),
        })
      ).json();
    const [a, b] = store.shop().catalog.variants;
    const made = await sf(
      `mutation($lines: [CartLineInput!]) { cartCreate(input: { lines: $lines, note: "gift" }) { cart { id checkoutUrl totalQuantity note } userErrors { code message } } }`,
      { lines: [{ merchandiseId: `gid://shopify/ProductVariant/${a.id}`, quantity: 2 }] },
    );
    const cart = made.data.cartCreate.cart;
    expect(cart).toMatchObject({ id: expect.stringMatching(/^gid:\/\/shopify\/Cart\/c1-/), totalQuantity: 2, note: "gift" });
    const added = await sf(
      `mutation($id: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $id, lines: $lines) { cart { totalQuantity lines(first: 5) { nodes { quantity merchandise { ... on ProductVariant { id } } } } } userErrors { code } } }`,
      { id: cart.id, lines: [{ merchandiseId: `gid://shopify/ProductVariant/${b.id}`, quantity: 1 }] },
    );
    expect(added.data.cartLinesAdd.cart.totalQuantity).toBe(3);
    const bad = await sf(
      `mutation($id: ID!) { cartLinesAdd(cartId: $id, lines: [{ merchandiseId: "gid://shopify/ProductVariant/1" }]) { userErrors { code field } } }`,
      {
        id: cart.id,
      },
    );
    expect(bad.data.cartLinesAdd.userErrors).toEqual([{ code: "INVALID_MERCHANDISE_LINE", field: ["lines", "0", "merchandiseId"] }]);
    // A shopper's token cannot write the app's claim.
    const forged = await sf(`mutation($m: [CartMetafieldsSetInput!]!) { cartMetafieldsSet(metafields: $m) { userErrors { code } } }`, {
      m: [{ ownerId: cart.id, key: "hold", type: "json", value: "{}" }],
    });
    expect(forged.data.cartMetafieldsSet.userErrors).toEqual([{ code: "APP_NOT_AUTHORIZED" }]);
    // The same cart behind /cart.js, and its checkoutUrl leads to a checkout of it.
    const token = cart.id.split("/").pop();
    const ajax = await (await fetch(`${store.url}/shops/${DEFAULT_SHOP}/cart.js`, { headers: { Cookie: `cart=${token}` } })).json();
    expect(ajax).toMatchObject({ token, item_count: 3 });
    const go = await fetch(`${store.url}/shops/${DEFAULT_SHOP}${new URL(cart.checkoutUrl).pathname}`, { redirect: "manual" });
    expect(go.status).toBe(302);
    expect(go.headers.get("location")).toMatch(/\/checkouts\/[\w-]+$/);
  });
});

describe("dev store inventoryMoveQuantities", () => {
  const MOVE = `mutation Move($input: InventoryMoveQuantitiesInput!, $key: String!) {
    inventoryMoveQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { referenceDocumentUri changes { name delta quantityAfterChange ledgerDocumentUri } }
      userErrors { field message code }
    }
  }`;
  const level = () => store.shop().catalog.levels.find((l) => l.locationId === 1001 && l.quantities.available >= 3)!;
  const input = (l: ReturnType<typeof level>, over: Record<string, unknown> = {}) => ({
    reason: "reserved",
    referenceDocumentUri: "gid://holdfast/Hold/abc",
    changes: [
      {
        inventoryItemId: `gid://shopify/InventoryItem/${l.inventoryItemId}`,
        quantity: 2,
        from: { locationId: "gid://shopify/Location/1001", name: "available", changeFromQuantity: l.quantities.available },
        to: {
          locationId: "gid://shopify/Location/1001",
          name: "reserved",
          changeFromQuantity: l.quantities.reserved,
          ledgerDocumentUri: "gid://holdfast/Hold/abc",
        },
        ...over,
      },
    ],
  });

  it("moves between states atomically and replays a repeated key; a changed request under that key is refused", async () => {
    const l = level();
    const before = { ...l.quantities };
    const request = input(l);
    const first = await admin(MOVE, { input: request, key: "k-1" });
    expect(first.body.data.inventoryMoveQuantities.userErrors).toEqual([]);
    expect(first.body.data.inventoryMoveQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: -2, quantityAfterChange: before.available - 2, ledgerDocumentUri: null },
      { name: "reserved", delta: 2, quantityAfterChange: before.reserved + 2, ledgerDocumentUri: "gid://holdfast/Hold/abc" },
    ]);
    const replay = await admin(MOVE, { input: request, key: "k-1" });
    expect(replay.body.data).toEqual(first.body.data);
    expect(l.quantities.available).toBe(before.available - 2);
    const changed = await admin(MOVE, { input: input(l), key: "k-1" });
    expect(changed.body.data.inventoryMoveQuantities.userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
  });

  it.each([
    [{ quantity: 0 }, "INVALID_QUANTITY_NEGATIVE"],
    [{ to: { locationId: "gid://shopify/Location/1002", name: "reserved", ledgerDocumentUri: "gid://holdfast/Hold/abc" } }, "DIFFERENT_LOCATIONS"],
    [{ to: { locationId: "gid://shopify/Location/1001", name: "committed", ledgerDocumentUri: "gid://holdfast/Hold/abc" } }, "INVALID_QUANTITY_NAME"],
    [{ to: { locationId: "gid://shopify/Location/1001", name: "reserved" } }, "INVALID_QUANTITY_DOCUMENT"],
    [{ from: { locationId: "gid://shopify/Location/1001", name: "available", changeFromQuantity: -7 } }, "CHANGE_FROM_QUANTITY_STALE"],
    [{ inventoryItemId: "gid://shopify/InventoryItem/1" }, "INVALID_INVENTORY_ITEM"],
  ])("refuses %j with %s and changes nothing", async (over, code) => {
    const l = level();
    const before = { ...l.quantities };
    const res = await admin(MOVE, { input: input(l, over), key: crypto.randomUUID() });
    expect(res.body.data.inventoryMoveQuantities.inventoryAdjustmentGroup).toBeNull();
    expect(res.body.data.inventoryMoveQuantities.userErrors.map((e: { code: string }) => e.code)).toContain(code);
    expect(l.quantities).toEqual(before);
  });
});

describe("query cost", () => {
  it("a union costs its most expensive possible selection, not the sum of its fragments", async () => {
    const { parse } = await import("graphql");
    const { shopifySchema } = await import("./schemas");
    const { requestedQueryCost } = await import("./graphql-support");
    const schema = shopifySchema("admin");
    const cost = (query: string) => {
      const document = parse(query);
      return requestedQueryCost(schema, document, document.definitions[0] as never, {});
    };
    const basic = `... on DiscountCodeBasic { customerGets { items { ... on DiscountProducts { products(first: 10) { nodes { id } } } } } }`;
    const shipping = `... on DiscountCodeFreeShipping { minimumRequirement { __typename } }`;
    const both = cost(`{ codeDiscountNodeByCode(code: "X") { codeDiscount { ${basic} ${shipping} } } }`);
    expect(both).toBe(cost(`{ codeDiscountNodeByCode(code: "X") { codeDiscount { ${basic} } } }`));
    expect(both).toBeGreaterThan(cost(`{ codeDiscountNodeByCode(code: "X") { codeDiscount { ${shipping} } } }`));
  });
});

describe("dev store orders (orderCreate, orderCancel)", () => {
  const ORDER_CREATE = `mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) @idempotent(key: KEY) {
      order { id name displayFinancialStatus totalPriceSet { shopMoney { amount currencyCode } } }
      userErrors { field message code }
    }
  }`;
  const withKey = (key: string) => ORDER_CREATE.replace("KEY", JSON.stringify(key));
  const orderFor = (variantId: number, quantity: number, price = "10.00") => ({
    currency: "USD",
    email: "ann@example.com",
    sourceIdentifier: "holdfast-run-1",
    lineItems: [{ variantId: `gid://shopify/ProductVariant/${variantId}`, quantity, priceSet: { shopMoney: { amount: price, currencyCode: "USD" } } }],
    shippingLines: [{ title: "Standard", priceSet: { shopMoney: { amount: "7.00", currencyCode: "USD" } } }],
    taxLines: [{ title: "Tax", rate: "0.05", priceSet: { shopMoney: { amount: "1.35", currencyCode: "USD" } } }],
    transactions: [
      {
        kind: "AUTHORIZATION",
        status: "SUCCESS",
        gateway: "stripe",
        authorizationCode: "pi_123",
        amountSet: { shopMoney: { amount: "28.35", currencyCode: "USD" } },
      },
    ],
  });

  it("creates an order that commits stock once per @idempotent key, refuses what Shopify refuses, and cancels with a restock", async () => {
    const writer = store.state.issueAccessToken(DEFAULT_SHOP, "read_orders,write_orders", { expiring: false }).token.token;
    const { catalog } = store.shop();
    const level = catalog.levels.find((l) => l.quantities.available >= 4)!;
    const variant = catalog.variants.find((v) => v.inventoryItemId === level.inventoryItemId)!;
    const levels = catalog.levels.filter((l) => l.inventoryItemId === level.inventoryItemId);
    const available = () => levels.reduce((s, l) => s + l.quantities.available, 0);
    const before = available();
    const variables = { order: orderFor(variant.id, 2), options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" } };
    const first = await admin(withKey("order-1"), variables, writer);
    expect(first.body.data.orderCreate.userErrors).toEqual([]);
    expect(first.body.data.orderCreate.order).toMatchObject({
      displayFinancialStatus: "AUTHORIZED",
      totalPriceSet: { shopMoney: { amount: "28.35", currencyCode: "USD" } },
    });
    expect(available()).toBe(before - 2);
    // The same key again: the same order, no second commit; another request under it: refused.
    const again = await admin(withKey("order-1"), variables, writer);
    expect(again.body.data.orderCreate.order.id).toBe(first.body.data.orderCreate.order.id);
    expect(available()).toBe(before - 2);
    const changed = await admin(withKey("order-1"), { ...variables, order: orderFor(variant.id, 3) }, writer);
    expect(changed.body.data.orderCreate.userErrors[0].code).toBe("INVALID");
    // Not enough stock, obeying the policy: refused, nothing committed.
    const tooMany = await admin(
      withKey("order-2"),
      { order: orderFor(variant.id, before + 5), options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } },
      writer,
    );
    expect(tooMany.body.data.orderCreate).toMatchObject({ order: null, userErrors: [{ code: "INVENTORY_CLAIM_FAILED" }] });
    expect(available()).toBe(before - 2);
    // Cancelled with a restock: the units come back.
    const cancel = await admin(
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: DECLINED, refund: false, restock: true) { job { id done } orderCancelUserErrors { code message } } }`,
      { id: first.body.data.orderCreate.order.id },
      writer,
    );
    expect(cancel.body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(available()).toBe(before);
    // Without write_orders Shopify refuses the mutation.
    const denied = await admin(withKey("order-3"), variables);
    expect(denied.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
  });
});
