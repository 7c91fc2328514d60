// The setup guide (issue 14): each step checked against the real state — the theme's app embed in
// settings_data.json, the validation in Shopify, a storefront key — or marked by the merchant;
// progress and dismissal saved per shop, through Home's own data requests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstalledTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startInstalledTestApp([DEFAULT_SHOP, OTHER]);
});
afterAll(async () => t?.close());

type Setup = { dismissed: boolean; done: number; steps: { id: string; done: boolean; how: string; only?: string }[] };
const guide = async (shop = DEFAULT_SHOP): Promise<Setup> => (await (await t.adminFetch("/app", { shop })).json()).setup;
const post = (body: Record<string, string>, shop = DEFAULT_SHOP) => t.adminFetch("/app", { shop, method: "POST", body: new URLSearchParams(body) });
const stepOf = (s: Setup, id: string) => s.steps.find((x) => x.id === id)!;

describe("the setup guide", () => {
  it("checks what it can against Shopify and the app's data", async () => {
    let s = await guide();
    expect(s.steps.map((x) => x.id)).toEqual(["theme_embed", "stock_check", "hold_policy", "stripe", "storefront_key"]); // not Plus: no checkout block step
    expect(stepOf(s, "theme_embed")).toMatchObject({ done: false, how: "checked" });
    expect(stepOf(s, "stock_check")).toMatchObject({ done: true, how: "checked" }); // made at install
    expect(stepOf(s, "storefront_key")).toMatchObject({ done: false, how: "checked", only: "headless" });
    // The merchant switches the embed on in the theme editor: Shopify's settings_data.json says so.
    await fetch(`${t.store.url}/_dev/shops/${DEFAULT_SHOP}/theme/app-embeds`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ block: "reservation", disabled: false }),
    });
    const { createStorefrontKey } = await import("../storefront/keys.server");
    await createStorefrontKey(DEFAULT_SHOP, { name: "web", allowedOrigins: [] });
    s = await guide();
    expect(stepOf(s, "theme_embed")).toMatchObject({ done: true, how: "checked" });
    expect(stepOf(s, "storefront_key")).toMatchObject({ done: true, how: "checked" });
    expect(s.done).toBe(3);
  });

  it("saving the hold policy in Settings, or marking a step, is saved; an unknown step is refused", async () => {
    const saved = await t.adminFetch("/app/settings", {
      method: "POST",
      body: new URLSearchParams({ intent: "policy", holdTtlMinutes: "15", holdStrategy: "checkout_start" }),
    });
    expect(saved.status).toBe(200);
    expect((await post({ intent: "setup_step", step: "stripe" })).status).toBe(200);
    expect((await post({ intent: "setup_step", step: "bogus" })).status).toBe(400);
    const s = await guide();
    expect(stepOf(s, "hold_policy")).toMatchObject({ done: true, how: "marked" });
    expect(stepOf(s, "stripe")).toMatchObject({ done: true, how: "marked" });
    expect(s.done).toBe(5);
  });

  it("is dismissed and brought back per shop; another shop's guide is its own", async () => {
    await post({ intent: "setup_dismiss" });
    expect((await guide()).dismissed).toBe(true);
    const other = await guide(OTHER);
    expect(other).toMatchObject({ dismissed: false });
    expect(stepOf(other, "theme_embed").done).toBe(false);
    expect(stepOf(other, "hold_policy").done).toBe(false);
    await post({ intent: "setup_show" });
    expect((await guide()).dismissed).toBe(false);
  });

  it("reads settings_data.json as Shopify writes it (a comment first), and only Holdfast's reservation block, switched on", async () => {
    // Imported once the app's database is chosen (the module reads it on import).
    const { reservationEmbedOn } = await import("./setup.server");
    const data = (blocks: object) => `/*\n * auto-generated\n */\n${JSON.stringify({ current: { blocks } })}`;
    expect(reservationEmbedOn(data({ a: { type: "shopify://apps/holdfast/blocks/reservation/123", disabled: false } }))).toBe(true);
    expect(reservationEmbedOn(data({ a: { type: "shopify://apps/holdfast/blocks/reservation/123", disabled: true } }))).toBe(false);
    expect(reservationEmbedOn(data({ a: { type: "shopify://apps/other/blocks/reviews/9", disabled: false } }))).toBe(false);
    expect(reservationEmbedOn("not json")).toBe(false);
  });
});
