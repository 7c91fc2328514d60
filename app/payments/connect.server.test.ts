import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { startStripeSimulator, type StripeSimulator } from "../../test/stripe-sim/server";

let t: TestApp;
let sim: StripeSimulator;

beforeAll(async () => {
  sim = await startStripeSimulator();
  process.env.STRIPE_SECRET_KEY = "sk_test_holdfast_platform";
  process.env.STRIPE_API_BASE = sim.url;
  t = await startTestApp();
  await t.install(DEFAULT_SHOP);
});
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

const status = async () => ((await (await t.adminFetch("/app/payments")).json()) as { status: { state: string; accountId: string | null } }).status;

describe("connecting the merchant's Stripe account (Stripe Connect)", () => {
  it("creates one connected account, sends the merchant through Stripe's onboarding, and is ready after it", async () => {
    expect(await status()).toMatchObject({ state: "not_connected", accountId: null });

    // "Connect Stripe": the embedded admin is told to open Stripe's onboarding in the top window.
    const connect = () => t.adminFetch("/app/payments", { method: "POST", body: new URLSearchParams({}) });
    const first = await connect();
    const onboarding = first.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
    expect(onboarding).toMatch(new RegExp(`^${sim.url}/_sim/connect/onboard/`));
    const { stripeAccountId } = await t.db.shop.findUniqueOrThrow({ where: { domain: DEFAULT_SHOP } });
    expect(stripeAccountId).toMatch(/^acct_/);
    expect(sim.accounts.get(stripeAccountId!)).toMatchObject({ metadata: { holdfast_shop: DEFAULT_SHOP }, charges_enabled: false });

    // A second click (or a double submit) makes no second account; the merchant gets a fresh link.
    const second = await connect();
    expect(second.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")).not.toBe(onboarding);
    expect(sim.accounts.size).toBe(1);
    expect(await status()).toMatchObject({ state: "onboarding", accountId: stripeAccountId });

    // The merchant finishes Stripe's forms and comes back to the Payments page in the Shopify admin.
    const back = await fetch(second.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")!, { redirect: "manual" });
    expect(back.status).toBe(302);
    expect(back.headers.get("Location")).toBe(`https://${DEFAULT_SHOP}/admin/apps/${t.apiKey}/app/payments`);
    expect(await status()).toMatchObject({ state: "ready", accountId: stripeAccountId });
  });

  it("an account Stripe no longer knows is shown as unreachable, and connecting again makes a new one", async () => {
    await t.db.shop.update({ where: { domain: DEFAULT_SHOP }, data: { stripeAccountId: "acct_closed_elsewhere" } });
    expect(await status()).toMatchObject({ state: "unreachable", accountId: "acct_closed_elsewhere" });
    const accounts = sim.accounts.size;
    const again = await t.adminFetch("/app/payments", { method: "POST", body: new URLSearchParams({}) });
    expect(again.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")).toMatch(new RegExp(`^${sim.url}/_sim/connect/onboard/`));
    const { stripeAccountId } = await t.db.shop.findUniqueOrThrow({ where: { domain: DEFAULT_SHOP } });
    expect(stripeAccountId).not.toBe("acct_closed_elsewhere");
    expect(sim.accounts.size).toBe(accounts + 1);
    expect(await status()).toMatchObject({ state: "onboarding", accountId: stripeAccountId });
  });
});
