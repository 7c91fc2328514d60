import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

const SHOP = "carrier-shop.myshopify.com";
let t: TestApp;
let carts: typeof import("./carts.server");
let providers: typeof import("./rate-providers.server");
let service: Server;
let serviceUrl: string;
const received: { rate: { destination: { country: string }; items: { grams: number; quantity: number }[]; currency: string } }[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  // A carrier's rate service, answering in Shopify's CarrierService callback format.
  service = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      received.push(JSON.parse(raw));
      res.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => service.listen(0, "127.0.0.1", r));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/rates`;
  t = await startTestApp({ shops: [SHOP] });
  await t.install(SHOP);
  carts = await import("./carts.server");
  providers = await import("./rate-providers.server");
  const { createShippingRate } = await import("./shipping.server");
  await createShippingRate(SHOP, { kind: "flat", title: "Standard", amount: 700 });
});
afterAll(async () => {
  await t?.close();
  service?.close();
});

async function cartToMaine(quantity = 2) {
  const { catalog } = t.store.state.shop(SHOP)!;
  const v = catalog.variants.find((x) => catalog.levels.some((l) => l.inventoryItemId === x.inventoryItemId && l.quantities.available > 2))!;
  const { cart } = await carts.getOrCreateCart(SHOP, null, "USD");
  await carts.addLine(SHOP, cart.id, { variantId: `gid://shopify/ProductVariant/${v.id}`, quantity });
  await carts.setAddresses(SHOP, cart.id, {
    shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", province: "ME", zip: "04101", country: "US" },
  });
  return { id: cart.id, grams: v.weightGrams };
}

describe("an external rate service", () => {
  it("refuses a service address that is not https (or localhost)", async () => {
    expect(await providers.setRateProviderUrl(SHOP, "http://rates.example.com/x")).toMatchObject({ ok: false });
    expect(await providers.setRateProviderUrl(SHOP, "not a url")).toMatchObject({ ok: false });
  });

  it("offers the service's rates next to the table's; the shopper can choose one and totals include it", async () => {
    expect(await providers.setRateProviderUrl(SHOP, serviceUrl)).toEqual({ ok: true });
    answer = {
      status: 200,
      body: {
        rates: [
          { service_name: "Harbor Express", service_code: "HX", total_price: "1295", currency: "USD" },
          { service_name: "Euro only", service_code: "EU", total_price: "900", currency: "EUR" },
        ],
      },
    };
    const { id, grams } = await cartToMaine();
    const totals = await carts.cartTotals(SHOP, id);
    expect(totals.availableShippingRates.map((r) => [r.title, r.amount])).toEqual([
      ["Standard", 700],
      ["Harbor Express", 1295],
    ]);
    expect(received.at(-1)!.rate).toMatchObject({ currency: "USD", destination: { country: "US" }, items: [{ quantity: 2, grams }] });
    await carts.chooseShippingRate(SHOP, id, { rateId: "carrier:HX" });
    expect((await carts.cartTotals(SHOP, id)).shipping).toBe(1295);
  });

  it("a failing service leaves the table's rates, and the cart still answers", async () => {
    answer = { status: 500, body: { error: "down" } };
    // (Another cart content: the quote for the first is cached for a minute.)
    const { id } = await cartToMaine(3);
    const totals = await carts.cartTotals(SHOP, id);
    expect(totals.availableShippingRates.map((r) => r.title)).toEqual(["Standard"]);
    answer = { status: 200, body: { rates: [{ service_name: "Bad", service_code: "B", total_price: "12.95", currency: "USD" }] } };
    const { id: other } = await cartToMaine(4);
    expect((await carts.cartTotals(SHOP, other)).availableShippingRates.map((r) => r.title)).toEqual(["Standard"]);
  });
});
