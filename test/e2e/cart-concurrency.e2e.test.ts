// Issue 11, defect 2: twenty parallel adds of one variant lost updates on PostgreSQL (the line
// read, then written back plus n) or answered 500 (the race to create the line). Every write
// route, many requests at once on one cart and one line, with the same and with different
// Idempotency-Keys, against the production server: nothing answers 5xx, and the cart ends as
// the accepted writes say.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, storefront, type Stack } from "./stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.close());
const api = storefront(() => s);
const N = 20;

const gid = (id: number) => `gid://shopify/ProductVariant/${id}`;
function variants(count: number) {
  const { catalog } = s.store.shop();
  return catalog.variants.filter((v) => catalog.levels.some((l) => l.inventoryItemId === v.inventoryItemId)).slice(0, count);
}
const newCart = async () => (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
const lines = async (cart: string) => (await api("GET", `/api/v1/carts/${cart}/lines`)).body.lines as { id: string; variantId: string; quantity: number }[];
const version = async (cart: string) => (await s.db.cart.findUniqueOrThrow({ where: { id: cart } })).totalsVersion;
const parallel = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));
const no5xx = (answers: { status: number; text: string }[]) => {
  for (const a of answers) expect(a.status, a.text).toBeLessThan(500);
};

describe("concurrent writes to one cart, through the production server", () => {
  it("adds of a variant already in the cart, each with its own key: every one counted", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    expect((await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 2 })).status).toBe(201);
    const answers = await parallel(N, (i) =>
      api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 1 }, { "Idempotency-Key": `add-${cart}-${i}` }),
    );
    no5xx(answers);
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(201));
    expect((await lines(cart)).map((l) => l.quantity)).toEqual([2 + N]);
  });

  it("adds that race to create the line: one line, every unit counted, no unique-violation 500", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    const answers = await parallel(N, (i) =>
      api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 1 + (i % 3) }, { "Idempotency-Key": `race-${cart}-${i}` }),
    );
    no5xx(answers);
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(201));
    const expected = Array.from({ length: N }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0);
    expect(await lines(cart)).toEqual([expect.objectContaining({ variantId: gid(v.id), quantity: expected })]);
  });

  it("adds with no key at all, in parallel: the same sum", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    const answers = await parallel(N, () => api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 2 }));
    no5xx(answers);
    expect((await lines(cart))[0].quantity).toBe(2 * N);
  });

  it("the same add sent twenty times with one key: applied once; the rest replay it or are told to wait", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    const answers = await parallel(N, () =>
      api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 3 }, { "Idempotency-Key": `once-${cart}` }),
    );
    no5xx(answers);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await lines(cart))[0].quantity).toBe(3);
    const replay = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 3 }, { "Idempotency-Key": `once-${cart}` });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await lines(cart))[0].quantity).toBe(3);
  });

  it("adds of different variants at once: every line there once", async () => {
    const cart = await newCart();
    const vs = variants(10);
    const answers = await parallel(vs.length * 2, (i) =>
      api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(vs[i % vs.length].id), quantity: 1 }, { "Idempotency-Key": `multi-${cart}-${i}` }),
    );
    no5xx(answers);
    const got = await lines(cart);
    expect(got).toHaveLength(vs.length);
    for (const l of got) expect(l.quantity).toBe(2);
  });

  it("quantity changes to one line at once: each answered, the line ends at one of them, every write counted in the totals version", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 1 });
    const [line] = await lines(cart);
    const before = await version(cart);
    const answers = await parallel(N, (i) =>
      api("PATCH", `/api/v1/carts/${cart}/lines/${line.id}`, { quantity: i + 1 }, { "Idempotency-Key": `set-${cart}-${i}` }),
    );
    no5xx(answers);
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(200));
    const [after] = await lines(cart);
    expect(after.quantity).toBeGreaterThanOrEqual(1);
    expect(after.quantity).toBeLessThanOrEqual(N);
    expect(await version(cart)).toBe(before + N);
  });

  it("removals of one line at once: one removes it, the others are told it is gone (404), none fails", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 1 });
    const [line] = await lines(cart);
    const answers = await parallel(N, (i) =>
      api("DELETE", i % 2 ? `/api/v1/carts/${cart}/lines/${line.id}` : `/api/v1/carts/${cart}/lines`, i % 2 ? undefined : { lineIds: [line.id] }, {
        "Idempotency-Key": `rm-${cart}-${i}`,
      }),
    );
    no5xx(answers);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 404)).toHaveLength(N - 1);
    expect(await lines(cart)).toEqual([]);
  });

  it("adds and removals interleaved: the cart ends as the accepted writes say", async () => {
    const cart = await newCart();
    const [a, b] = variants(2);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(b.id), quantity: 1 });
    const [lineB] = await lines(cart);
    const answers = await parallel(N, (i) =>
      i === 7
        ? api("DELETE", `/api/v1/carts/${cart}/lines/${lineB.id}`, undefined, { "Idempotency-Key": `mix-${cart}-${i}` })
        : api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(a.id), quantity: 1 }, { "Idempotency-Key": `mix-${cart}-${i}` }),
    );
    no5xx(answers);
    expect(await lines(cart)).toEqual([expect.objectContaining({ variantId: gid(a.id), quantity: N - 1 })]);
  });

  it("contact, addresses and shipping choice set at once: all answered, the cart holds one of each, every write versioned", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 1 });
    await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", country: "US" } });
    const rates = (await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
    const before = await version(cart);
    const answers = await parallel(N, (i) =>
      i % 3 === 0
        ? api("PUT", `/api/v1/carts/${cart}/contact`, { email: `shopper${i}@example.com` }, { "Idempotency-Key": `c-${cart}-${i}` })
        : i % 3 === 1
          ? api(
              "PUT",
              `/api/v1/carts/${cart}/addresses`,
              { shippingAddress: { lastName: `Lee${i}`, address1: "1 Dock St", city: "Portland", country: "US" } },
              { "Idempotency-Key": `a-${cart}-${i}` },
            )
          : api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id }, { "Idempotency-Key": `r-${cart}-${i}` }),
    );
    no5xx(answers);
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(200));
    const row = await s.db.cart.findUniqueOrThrow({ where: { id: cart } });
    expect(row.email).toMatch(/^shopper\d+@example\.com$/);
    expect(row.shippingRateId).toBe(rates[0].id);
    expect(row.totalsVersion).toBe(before + N);
  });

  it("the same cart token asked for at once: one cart", async () => {
    const cart = await newCart();
    const answers = await parallel(N, (i) => api("POST", "/api/v1/carts", { cartToken: cart }, { "Idempotency-Key": `get-${cart}-${i}` }));
    no5xx(answers);
    expect(new Set(answers.map((a) => a.body.cart.id))).toEqual(new Set([cart]));
  });

  it("the same discount code applied and removed many times at once: the cart ends with it once, or without it", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 3 });
    const applied = await parallel(N, (i) =>
      api("POST", `/api/v1/carts/${cart}/discount-codes`, { code: "WELCOME10" }, { "Idempotency-Key": `code-${cart}-${i}` }),
    );
    no5xx(applied);
    expect(applied.map((a) => a.status)).toEqual(Array(N).fill(200));
    const codes = async () => ((await api("GET", `/api/v1/carts/${cart}`)).body.totals.discountCodes as { code: string }[]).map((c) => c.code);
    expect(await codes()).toEqual(["WELCOME10"]);
    const removed = await parallel(N, (i) =>
      api("DELETE", `/api/v1/carts/${cart}/discount-codes/WELCOME10`, undefined, { "Idempotency-Key": `uncode-${cart}-${i}` }),
    );
    no5xx(removed);
    expect(await codes()).toEqual([]);
  });

  it("different discount codes applied at once: every one kept (none lost to another's write)", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 3 });
    // An order, a product and a shipping discount: each combines with the other two.
    const wanted = ["WELCOME10", "DECK20", "FREESHIP"];
    const answers = await parallel(12, (i) =>
      api("POST", `/api/v1/carts/${cart}/discount-codes`, { code: wanted[i % 3] }, { "Idempotency-Key": `codes-${cart}-${i}` }),
    );
    no5xx(answers);
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    const codes = ((await api("GET", `/api/v1/carts/${cart}`)).body.totals.discountCodes as { code: string }[]).map((c) => c.code);
    expect(codes.sort()).toEqual([...wanted].sort());
  });

  it("checkouts of one cart started at once, with one key and with many: one checkout, one PaymentIntent, one hold", async () => {
    const cart = await newCart();
    const [v] = variants(1);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(v.id), quantity: 1 });
    await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "kim@example.com" });
    await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: { lastName: "Kim", address1: "2 Quay Rd", city: "Portland", country: "US" } });
    const rates = (await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
    const total = (await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id })).body.totals.grandTotal as number;
    const answers = await parallel(N, (i) =>
      api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: total }, { "Idempotency-Key": i % 2 ? `co-${cart}` : `co-${cart}-${i}` }),
    );
    no5xx(answers);
    const ids = new Set(answers.filter((a) => a.status === 202).map((a) => a.body.checkout.id));
    expect(ids.size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 202)) expect(a.status, a.text).toBe(409);
    const [id] = [...ids];
    expect([...s.sim.paymentIntents.values()].filter((p) => p.metadata.holdfast_run === id)).toHaveLength(1);
    expect(await s.db.hold.count({ where: { state: { in: ["held", "extended"] }, ownerId: { contains: id } } })).toBe(1);
  });
});
