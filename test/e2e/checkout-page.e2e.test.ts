// Issue 15: the shopper's checkout page, over HTTP against the production server (the browser
// tests in test/browser/checkout-page.test.ts drive it in Chromium). Here: the page from its
// link, costs in the first HTML, the hold placed on opening, plain form posts (no script), every
// way a link can be wrong, and no secret or other shop's data in what the browser receives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../dev-store/server";
import { startStack, storefront, UA, type Stack } from "./stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack();
  // Ontario's tax, for "tax for Ontario".
  const tax = await s.adminData("/app/shipping", "routes/app.shipping", {
    method: "POST",
    body: new URLSearchParams({ intent: "tax", country: "CA", province: "ON", percent: "13" }),
  });
  expect(tax.status).toBe(200);
});
afterAll(async () => s?.close());
const api = storefront(() => s);

async function cartWith(quantity = 1) {
  const { catalog } = s.store.shop();
  const level = catalog.levels.find((l) => l.quantities.available >= 5 && catalog.variants.some((v) => v.inventoryItemId === l.inventoryItemId))!;
  const variant = catalog.variants.find((v) => v.inventoryItemId === level.inventoryItemId)!;
  const created = await api("POST", "/api/v1/carts", {});
  const cart = created.body.cart.id as string;
  const added = await api(
    "POST",
    `/api/v1/carts/${cart}/lines`,
    { variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity },
    { "Idempotency-Key": `l-${cart}` },
  );
  expect(added.status, added.text).toBe(201);
  return { cart, link: added.body.checkoutUrl as string, variant };
}

/** A guest's details form, filled in for Portland, Oregon. */
const PORTLAND = {
  intent: "details",
  email: "ann@example.com",
  name: "Ann Lee",
  address1: "1 Dock St",
  zip: "97201",
  city: "Portland",
  country: "US",
  province: "OR",
  billingSame: "on",
};
/** The page's script's request for data (Remix `_data`): a JSON answer rather than the page. */
const asData = (url: string) => `${url}&_data=${encodeURIComponent("routes/checkout.$shop.$cartId")}`;
const open = (url: string, init: RequestInit = {}) => fetch(url, { ...init, redirect: "manual", headers: { "User-Agent": UA, ...(init.headers ?? {}) } });
/** A form of the page posted as a browser does without the script, or (`asData`) as its script does. */
const post = (url: string, fields: Record<string, string>, o: { asData?: boolean } = {}) =>
  open(o.asData ? asData(url) : url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(o.asData ? { "X-Holdfast-Page-Data": "1" } : {}) },
    body: new URLSearchParams(fields),
  });

describe("the checkout page", () => {
  it("opens from the Cart API's link: the shop, the lines and the total in the first HTML, the stock held, no script needed to read it", async () => {
    const { cart, link } = await cartWith(2);
    expect(link).toMatch(new RegExp(`^${s.url}/checkout/${DEFAULT_SHOP.replace(".myshopify.com", "")}/${cart}\\?sig=[\\w-]{32}$`));
    const res = await open(link);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    const html = await res.text();
    const view = (await api("GET", `/api/v1/carts/${cart}`)).body;
    const total = new Intl.NumberFormat("en", { style: "currency", currency: view.cart.currency }).format(view.totals.grandTotal / 100);
    expect(html).toContain(total);
    expect(html).toContain(view.lines[0].title);
    expect(html).toContain(s.store.shop().name);
    expect(html).toContain("Your 2 items are reserved for");
    expect(html).toMatch(/<details class="policy"><summary>Refund policy<\/summary>/);
    // No React on this page: only its own script (and Stripe.js).
    expect(html).not.toContain("__remixContext");
    expect(html).toMatch(/<script type="module" src="\/build\/checkout\/checkout-[0-9a-f]{12}\.js">/);
    const hold = await s.db.hold.findFirst({ where: { ownerType: "cart", ownerId: cart, state: "held" } });
    expect(hold?.units).toBe(2);
    // Opening again refreshes the same hold; it never makes a second.
    expect((await open(link)).status).toBe(200);
    expect(await s.db.hold.count({ where: { ownerType: "cart", ownerId: cart } })).toBe(1);
    // The cart changes in the shop: the next opening holds what the cart has now, in place of the old hold.
    const line = (await api("GET", `/api/v1/carts/${cart}`)).body.lines[0].id as string;
    expect((await api("PATCH", `/api/v1/carts/${cart}/lines/${line}`, { quantity: 3 }, { "Idempotency-Key": `q-${line}` })).status).toBe(200);
    expect(await (await open(link)).text()).toContain("Your 3 items are reserved for");
    const holds = await s.db.hold.findMany({ where: { ownerType: "cart", ownerId: cart }, orderBy: { createdAt: "asc" } });
    expect(holds.map((h) => [h.state, h.units])).toEqual([
      ["released", 2],
      ["held", 3],
    ]);
  });

  it("takes the shopper's details as a plain form post: shipping rates and Ontario's tax appear, the total changes", async () => {
    const { cart, link } = await cartWith(1);
    const before = (await api("GET", `/api/v1/carts/${cart}`)).body.totals.grandTotal as number;
    const posted = await post(link, {
      intent: "details",
      email: "ann@example.com",
      name: "Ann Lee",
      address1: "1 Front St W",
      zip: "M5J 2X6",
      city: "Toronto",
      country: "CA",
      province: "ON",
      billingSame: "on",
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe(new URL(link).pathname + new URL(link).search);
    const page = await (await open(link)).text();
    expect(page).toContain("Tax for Ontario (13%)");
    expect(page).toContain("Standard");
    const view = (await api("GET", `/api/v1/carts/${cart}`)).body;
    expect(view.cart.shippingAddress).toMatchObject({ firstName: "Ann", lastName: "Lee", province: "ON", country: "CA" });
    const rate = view.totals.availableShippingRates[0].id as string;
    const chose = await post(link, { intent: "shipping-rate", rateId: rate });
    expect(chose.status).toBe(303);
    const after = (await api("GET", `/api/v1/carts/${cart}`)).body.totals;
    expect(after.taxLines[0]).toMatchObject({ title: "CA-ON tax", basisPoints: 1300 });
    expect(after.grandTotal).toBe(before + after.shipping + after.tax);
  });

  it("many tabs at once: twenty openings hold once; ten Pay presses start one checkout with one PaymentIntent", async () => {
    const { cart, link } = await cartWith(2);
    const opened = await Promise.all(Array.from({ length: 20 }, () => open(link)));
    expect(opened.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await s.db.hold.count({ where: { ownerType: "cart", ownerId: cart, state: { in: ["held", "extended"] } } })).toBe(1);
    expect(await s.db.hold.count({ where: { ownerType: "cart", ownerId: cart } })).toBe(1);
    await post(link, PORTLAND);
    const rate = (await api("GET", `/api/v1/carts/${cart}`)).body.totals.availableShippingRates[0].id as string;
    await post(link, { intent: "shipping-rate", rateId: rate });
    const total = (await api("GET", `/api/v1/carts/${cart}`)).body.totals.grandTotal as number;
    const pressed = await Promise.all(Array.from({ length: 10 }, () => post(link, { intent: "pay", expectedTotal: String(total) }, { asData: true })));
    const answers = (await Promise.all(pressed.map((r) => r.json()))) as {
      ok: boolean;
      payment: { state: string; checkoutId: string; clientSecret: string };
    }[];
    expect(answers.map((a) => (a.ok ? a.payment.state : JSON.stringify(a)))).toEqual(Array(10).fill("awaiting_payment"));
    expect(new Set(answers.map((a) => a.payment.checkoutId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.payment.clientSecret)).size).toBe(1);
    const runId = answers[0].payment.checkoutId;
    expect([...s.sim.paymentIntents.values()].filter((pi) => pi.metadata.holdfast_run === runId)).toHaveLength(1);
    // The cart's hold became the run's: still one hold for the shopper's units.
    expect(await s.db.hold.count({ where: { ownerId: { in: [cart, `hf-${runId}`] }, state: { in: ["held", "extended"] } } })).toBe(1);
    expect((await s.db.hold.findFirst({ where: { ownerId: `hf-${runId}` } }))?.units).toBe(2);
  });

  it("says what to fix, field by field, and changes nothing", async () => {
    const { cart, link } = await cartWith(1);
    const res = await post(
      link,
      {
        intent: "details",
        email: "not-an-email",
        name: "",
        address1: "1 Dock St",
        zip: "",
        city: "Portland",
        country: "XX",
        billingSame: "on",
      },
      { asData: true },
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { ok: boolean; fieldErrors: Record<string, string> };
    expect(body.ok).toBe(false);
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["country", "email", "name"]);
    expect((await api("GET", `/api/v1/carts/${cart}`)).body.cart).toMatchObject({ email: null, shippingAddress: null });
    // The same form without a script: the page again, with the messages by their fields.
    const plain = await post(link, {
      intent: "details",
      email: "not-an-email",
      name: "Ann",
      address1: "1 Dock St",
      city: "Portland",
      country: "US",
      billingSame: "on",
    });
    expect(plain.status).toBe(422);
    expect(await plain.text()).toMatch(/id="email-error">Enter an email address/);
  });

  it("asks for a phone number only when the shop requires one (Settings)", async () => {
    const { link } = await cartWith(1);
    const fields = (html: string) => [...html.matchAll(/<(input|select)\b(?![^>]*type="(hidden|checkbox|radio)")[^>]*\bid="(\w+)"/g)].map((m) => m[3]);
    const guest = fields(await (await open(link)).text());
    // A new guest's fields (the billing ones stay hidden while billing = delivery, the code is the summary's).
    expect(guest.filter((f) => !f.startsWith("billing") && f !== "code")).toEqual(["email", "name", "address1", "zip", "city", "country", "province"]);
    const setting = (on: boolean) =>
      s.adminData("/app/settings", "routes/app.settings", {
        method: "POST",
        body: new URLSearchParams({ intent: "checkout_page", ...(on ? { requirePhone: "on" } : {}) }),
      });
    expect((await setting(true)).status).toBe(200);
    try {
      expect(fields(await (await open(link)).text())).toContain("phone");
      const res = await post(link, PORTLAND, { asData: true });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
        phone: "Enter a phone number; this shop needs one for delivery",
      });
    } finally {
      await setting(false);
    }
    expect(fields(await (await open(link)).text())).not.toContain("phone");
  });

  it("applies a discount code inline, and refuses an unknown one by its field", async () => {
    const { cart, link } = await cartWith(1);
    const code = "WELCOME10"; // the dev store's 10% off any order
    const unknown = await post(link, { intent: "discount", code: "NO-SUCH-CODE" }, { asData: true });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { fieldErrors: Record<string, string> }).fieldErrors.code).toMatch(/NO-SUCH-CODE/i);
    const applied = await post(link, { intent: "discount", code }, { asData: true });
    expect(applied.status, await applied.clone().text()).toBe(200);
    const totals = (await api("GET", `/api/v1/carts/${cart}`)).body.totals;
    expect(totals.discounts).toBe(Math.round(totals.subtotal / 10));
    expect(await (await open(link)).text()).toMatch(/<dt>Discounts<\/dt>/);
  });

  it("a signed-in customer's cart starts from their details, and opens only from the link their session was given", async () => {
    const { cart, link } = await cartWith(1);
    const storefrontToken = s.store.state.issueAccessToken(DEFAULT_SHOP, "unauthenticated_read_product_listings,unauthenticated_write_customers", {
      expiring: false,
    }).token.token;
    const signIn = await fetch(`${s.store.url}/shops/${DEFAULT_SHOP}/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Shopify-Storefront-Private-Token": storefrontToken },
      body: JSON.stringify({
        query: `mutation { customerAccessTokenCreate(input: { email: "ann@example.com", password: "harbor-lights" }) { customerAccessToken { accessToken } } }`,
      }),
    });
    const customerToken = ((await signIn.json()) as { data: { customerAccessTokenCreate: { customerAccessToken: { accessToken: string } } } }).data
      .customerAccessTokenCreate.customerAccessToken.accessToken;
    const claimed = await api("POST", "/api/v1/carts", { cartToken: cart }, { "X-Holdfast-Customer-Token": customerToken });
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.body.cart).toMatchObject({
      email: "ann@example.com",
      shippingAddress: { firstName: "Ann", lastName: "Lee", address1: "350 Fifth Avenue", city: "New York", province: "NY", zip: "10118", country: "US" },
    });
    const own = claimed.body.checkoutUrl as string;
    expect(own).not.toBe(link);
    // The guest's link no longer opens the cart, now a customer's; the customer's own link does, filled in.
    expect((await open(link)).status).toBe(404);
    const page = await open(own);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/id="email"[^>]*value="ann@example.com"/);
    expect(html).toMatch(/id="address1"[^>]*value="350 Fifth Avenue"/);
    expect(html).toContain("Standard");
    // What the shopper types is never overwritten by a later sign-in.
    await api("PUT", `/api/v1/carts/${claimed.body.cart.id}/contact`, { email: "ann.work@example.com" }, { "X-Holdfast-Customer-Token": customerToken });
    const again = await api("POST", "/api/v1/carts", { cartToken: claimed.body.cart.id }, { "X-Holdfast-Customer-Token": customerToken });
    expect(again.body.cart.email).toBe("ann.work@example.com");
  });

  it("answers a clear page for a wrong link, a link of another shop, an emptied cart and a cart already bought; never a stack trace", async () => {
    const { cart, link } = await cartWith(1);
    const handle = DEFAULT_SHOP.replace(".myshopify.com", "");
    const cases: [string, number, RegExp][] = [
      [`${s.url}/checkout/${handle}/not-a-cart`, 404, /This checkout link is not valid/],
      [`${s.url}/checkout/${handle}/${cart}`, 404, /This checkout link is not valid/], // no signature
      [`${s.url}/checkout/${handle}/${cart}?sig=${"A".repeat(32)}`, 404, /This checkout link is not valid/],
      [`${s.url}/checkout/other-shop/${cart}${new URL(link).search}`, 404, /This checkout link is not valid/],
      [`${s.url}/checkout/NOT%20A%20SHOP/${cart}${new URL(link).search}`, 404, /This checkout link is not valid/],
    ];
    for (const [url, status, text] of cases) {
      const res = await open(url);
      const html = await res.text();
      expect(res.status, url).toBe(status);
      expect(html).toMatch(text);
      expect(html).not.toMatch(/at \w+ \(|node_modules|Error:/);
    }
    const emptied = await cartWith(1);
    const line = (await api("GET", `/api/v1/carts/${emptied.cart}`)).body.lines[0].id as string;
    await api("DELETE", `/api/v1/carts/${emptied.cart}/lines/${line}`, undefined, { "Idempotency-Key": `d-${line}` });
    const empty = await open(emptied.link);
    expect(empty.status).toBe(409);
    expect(await empty.text()).toContain("Your cart is empty");
    await s.db.cart.update({ where: { id: cart }, data: { convertedAt: new Date() } });
    const bought = await open(link);
    expect(bought.status).toBe(410);
    expect(await bought.text()).toContain("This cart has already been checked out");
    // A form posted to a wrong link changes nothing and says so.
    const posted = await post(`${s.url}/checkout/${handle}/${cart}?sig=${"A".repeat(32)}`, { intent: "discount", code: "X" }, { asData: true });
    expect(posted.status).toBe(404);
  });

  it("sends the browser no secret: not in the page, not in its script, not in the live totals", async () => {
    const { link } = await cartWith(1);
    const html = await (await open(link)).text();
    const script = /<script type="module" src="([^"]+)"/.exec(html)![1];
    const js = await (await open(`${s.url}${script}`)).text();
    const events = await open(`${new URL(link).origin}${new URL(link).pathname}/events${new URL(link).search}`);
    expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toMatch(/event: totals/);
    const secrets = [s.env.SHOPIFY_API_SECRET, s.env.STRIPE_SECRET_KEY, s.env.STRIPE_WEBHOOK_SECRET, s.key, s.key.split("_")[2]];
    const offline = await s.db.session.findFirst({ where: { shop: DEFAULT_SHOP, isOnline: false } });
    secrets.push(offline!.accessToken);
    for (const [name, text] of Object.entries({ html, js, first }))
      for (const secret of secrets) expect(text.includes(secret), `${name} contains a secret`).toBe(false);
    // The publishable key and the connected account are meant for the browser; nothing else of Stripe's is.
    expect(html).toContain("pk_test_holdfast_platform");
    expect(html).not.toMatch(/sk_(test|live)_|whsec_|hfsk_|shpat_|shpua_/);
  });
});
