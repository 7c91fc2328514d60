// Opens the admin in Chromium exactly as `npm run demo` serves it: the home page shows the
// shop's real status, and the settings page refuses bad input and saves good input.
// Screenshots land in test-artifacts/ (not committed).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, atPhoneWidth, hydrated, launchChromium, noSeriousViolations, startDemo, type Demo } from "./demo";
import { devStoreSessionTokens, shopifyShopper } from "../shopify-shopper";
import { storefrontClient } from "../storefront-client";
import { readyCart } from "../fixtures";

let demo: Demo;
let browser: Browser;
let page: Page;
let adminUrl: string;
/** The storefront key the merchant creates on its page (a headless storefront's checkout uses it). */
let storefrontKey = "";

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  demo = await startDemo(3311);
  adminUrl = demo.printed("ADMIN_URL");
  const launched = await launchChromium();
  browser = launched.browser;
  // A page of its own context: axe-core needs one.
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: launched.userAgent })).newPage();
  // Nothing leaves this machine: Shopify's CDN (App Bridge) is out of reach here.
  await page.route(/^https:\/\//, (route) => route.abort());
});

afterAll(async () => {
  await browser?.close();
  demo?.stop();
});

describe("admin in the browser (demo mode)", () => {
  it("home shows what Holdfast does and this shop's real status, with embedded-app security headers", async () => {
    const response = await page.goto(adminUrl);
    await hydrated(page);
    expect(response?.status()).toBe(200);
    const csp = (await response?.allHeaders())?.["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors https://holdfast-dev.myshopify.com https://admin.shopify.com");
    await expect.poll(() => page.getByText("What Holdfast did").isVisible()).toBe(true);
    const body = await page.locator("body").innerText();
    // The setup guide: the demo switched the theme's embed on and the install made the stock check.
    expect(body).toContain("Setup guide");
    // The demo set up a headless shop too (a storefront key, Stripe): only the hold policy is left.
    expect(body).toContain("4 of 5 tasks complete");
    expect(body).toContain("Choose how long holds last");
    // Before any shopper: the results say what will appear.
    expect(body).toContain("When shoppers start checking out, each hold appears here once it ends");
    expect(body).toContain("Once holds become orders, this shows how long shoppers took against the 15-minute hold");
    expect(body).toContain("Holdfast Dev (holdfast-dev.myshopify.com)");
    expect(body).toMatch(/Installed since\s+\w{3}, \d+ \w{3} \d{4}/);
    expect(body).toMatch(/Products\s+30/);
    expect(body).toMatch(/Active locations\s+2/);
    expect(body).toContain("2026-10");
    expect(body).toContain("SQLite");
    expect(body).toContain("Holds last 15 minutes");
    await page.screenshot({ path: join(ARTIFACTS, "admin-home.png"), fullPage: true });
  });

  it("settings refuses an out-of-range hold time and saves a valid policy", async () => {
    await page.getByRole("link", { name: "Change" }).click();
    await page.getByLabel("Hold time (minutes)").waitFor();
    await hydrated(page);
    expect(new URL(page.url()).pathname).toBe("/app/settings");

    await page.getByLabel("Hold time (minutes)").fill("25");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Nothing was saved").waitFor();
    expect(await page.getByText("Hold time must be a whole number of minutes from 10 to 20").isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "settings-error.png"), fullPage: true });

    await page.getByLabel("Hold time (minutes)").fill("12");
    await page.getByLabel("Default strategy").selectOption("hybrid");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Hold policy saved").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "settings-saved.png"), fullPage: true });

    await page.reload();

    await hydrated(page);
    await page.getByLabel("Hold time (minutes)").waitFor();
    expect(await page.getByLabel("Hold time (minutes)").inputValue()).toBe("12");
    expect(await page.getByLabel("Default strategy").inputValue()).toBe("hybrid");

    // Cart totals: how the Cart API answers a change by default.
    await page.getByLabel("How the Cart API gives totals after a change").selectOption("events");
    await page.getByRole("button", { name: "Save cart totals" }).click();
    await page.getByText("Saved", { exact: true }).waitFor();
    await page.reload();
    await hydrated(page);
    await page.getByLabel("How the Cart API gives totals after a change").waitFor();
    expect(await page.getByLabel("How the Cart API gives totals after a change").inputValue()).toBe("events");
    await page.screenshot({ path: join(ARTIFACTS, "settings-totals.png"), fullPage: true });
  });

  it("settings: the stock check in Shopify's checkout is on, and its failure mode is the merchant's choice", async () => {
    // The page is still Settings, from the test before.
    await page.getByRole("heading", { name: "Stock check in Shopify's checkout" }).waitFor();
    // Switched on at install: the badge beside the heading says so.
    expect(await page.getByText("On", { exact: true }).count()).toBe(1);
    expect(await page.getByLabel("Let shoppers check out (recommended)").isChecked()).toBe(true);
    // Polaris draws its own radio over the input: the merchant clicks the label.
    await page.getByText("Block checkout", { exact: true }).click();
    expect(await page.getByLabel("Block checkout").isChecked()).toBe(true);
    await page.getByRole("button", { name: "Save stock check" }).click();
    await page.getByText("Saved: the stock check is on").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "settings-stock-check.png"), fullPage: true });
    await page.reload();
    await hydrated(page);
    await page.getByRole("heading", { name: "Stock check in Shopify's checkout" }).waitFor();
    expect(await page.getByLabel("Block checkout").isChecked()).toBe(true);
  });

  it("settings adds a per-product override, refusing a product Shopify does not know", async () => {
    await page.getByLabel("Product ID").fill("123");
    await page.getByRole("button", { name: "Add override" }).click();
    await page.getByText("Shopify has no product gid://shopify/Product/123 in this shop").waitFor();
    await page.getByLabel("Product ID").fill("8004");
    await page.getByLabel("Strategy", { exact: true }).selectOption("final_check");
    await page.getByRole("button", { name: "Add override" }).click();
    await page.getByText("(8004): Check stock only at payment (no hold)").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "settings-overrides.png"), fullPage: true });
    await atPhoneWidth(page, "settings-overrides");
  });

  it("inside the Shopify admin (App Bridge): a product is picked with Shopify's resource picker, and unsaved changes raise the save bar", async () => {
    // App Bridge's CDN is out of reach here: its documented API — the \`shopify\` global's
    // resourcePicker and the <ui-save-bar> element's show()/hide() — is provided as Shopify does.
    const launched = await launchChromium();
    const context = await launched.browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: launched.userAgent });
    await context.addInitScript(() => {
      const w = window as unknown as { shopify: unknown; pickerOptions: unknown };
      w.shopify = {
        resourcePicker: async (options: unknown) => {
          w.pickerOptions = options;
          return [{ id: "gid://shopify/Product/8006", title: "Picked in Shopify" }];
        },
      };
      customElements.define(
        "ui-save-bar",
        class extends HTMLElement {
          show() {
            this.setAttribute("data-shown", "");
          }
          hide() {
            this.removeAttribute("data-shown");
          }
        },
      );
    });
    const embedded = await context.newPage();
    await embedded.route(/^https:\/\//, (route) => route.abort());
    try {
      await embedded.goto(new URL(`/app/settings${new URL(adminUrl).search}`, adminUrl).toString());
      await hydrated(embedded);
      await embedded.getByRole("button", { name: "Choose a product" }).click();
      await embedded.getByText("Picked in Shopify").waitFor();
      expect(await embedded.evaluate(() => (window as unknown as { pickerOptions: unknown }).pickerOptions)).toEqual({
        type: "product",
        action: "select",
        multiple: false,
      });
      expect(await embedded.getByLabel("Product ID").count()).toBe(0); // no typing inside the admin
      await embedded.getByLabel("Strategy", { exact: true }).selectOption("add_to_cart");
      await embedded.getByRole("button", { name: "Add override" }).click();
      await embedded.getByText("(8006): Reserve on add to cart (soft hold)").waitFor();

      // A changed hold time raises Shopify's save bar; saving from it saves the policy and lowers it.
      const saveBar = embedded.locator("ui-save-bar#hold-policy-save-bar");
      expect(await saveBar.getAttribute("data-shown")).toBeNull();
      await embedded.getByLabel("Hold time (minutes)").fill("14");
      await expect.poll(() => saveBar.getAttribute("data-shown")).toBe("");
      await embedded.screenshot({ path: join(ARTIFACTS, "settings-app-bridge.png"), fullPage: true });
      await saveBar.locator("button[variant=primary]").click();
      await embedded.getByText("Hold policy saved").waitFor();
      await expect.poll(() => saveBar.getAttribute("data-shown")).toBeNull();
      // Discard puts the saved values back.
      await embedded.getByLabel("Hold time (minutes)").fill("19");
      await expect.poll(() => saveBar.getAttribute("data-shown")).toBe("");
      await saveBar.locator("button:not([variant])").click();
      expect(await embedded.getByLabel("Hold time (minutes)").inputValue()).toBe("14");
      await expect.poll(() => saveBar.getAttribute("data-shown")).toBeNull();
      // Put back the policy the later tests expect.
      await embedded.getByLabel("Hold time (minutes)").fill("12");
      await saveBar.locator("button[variant=primary]").click();
      await expect.poll(() => saveBar.getAttribute("data-shown")).toBeNull();
    } finally {
      await launched.browser.close();
    }
  });

  it("storefront keys: a new key's secret is shown once", async () => {
    const search = new URL(adminUrl).search;
    await page.goto(new URL(`/app/storefront-keys${search}`, adminUrl).toString());
    await hydrated(page);
    await page.getByLabel("Name").fill("Hydrogen store");
    await page.getByLabel("Allowed origins").fill("https://shop.example.com");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByText("Copy the secret for “Hydrogen store” now: it is not shown again").waitFor();
    storefrontKey = await page.getByLabel("Secret").inputValue();
    expect(storefrontKey).toMatch(/^hfsk_/);
    await page.screenshot({ path: join(ARTIFACTS, "storefront-keys.png"), fullPage: true });
    await atPhoneWidth(page, "storefront-keys");
    await page.reload();
    await hydrated(page);
    await page.getByText("Hydrogen store").waitFor();
    expect(await page.getByText(/hfsk_/).count()).toBe(0);
  });

  it("shipping rates: a flat rate is added in the shop's currency; a bad price is refused inline", async () => {
    const search = new URL(adminUrl).search;
    await page.goto(new URL(`/app/shipping${search}`, adminUrl).toString());
    await hydrated(page);
    await page.getByLabel("Title").fill("Standard");
    await page.getByLabel("Price").fill("5.999");
    await page.getByRole("button", { name: "Add rate" }).click();
    await page.getByText("Price must be an amount such as 5.99").waitFor();
    await page.getByLabel("Price").fill("5.99");
    await page.getByLabel("Free over (optional)").fill("50");
    await page.getByRole("button", { name: "Add rate" }).click();
    await page.getByText("Standard: 5.99 · free over 50.00").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "shipping-rates.png"), fullPage: true });
    await atPhoneWidth(page, "shipping-rates");
  });

  it("payments: the demo's Stripe account is connected and ready to take payments", async () => {
    const search = new URL(adminUrl).search;
    await page.goto(new URL(`/app/payments${search}`, adminUrl).toString());
    await hydrated(page);
    await page.getByText("Ready to take payments").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "payments.png"), fullPage: true });
    await atPhoneWidth(page, "payments");
  });

  it("holds: a shopper's reservation (made through the theme's path) is listed, opened, and released by hand with a reason", async () => {
    // A shopper reserves their cart on the dev store's storefront, through Shopify's app proxy.
    const store = new URL(demo.printed("STOREFRONT_CART_URL")).origin;
    const shopBase = `${store}/shops/holdfast-dev.myshopify.com`;
    await fetch(`${store}/_dev/shops/holdfast-dev.myshopify.com/stock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ variantId: 40007, available: 3 }),
    });
    const added = await fetch(`${shopBase}/cart/add.js`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: 40007, quantity: 2 }),
    });
    const cart = (await added.json()) as { token: string };
    const held = await fetch(`${shopBase}/apps/holdfast/holds`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ cartToken: cart.token, lines: [{ variantId: "gid://shopify/ProductVariant/40007", quantity: 2 }] }),
    });
    expect(held.status).toBe(200);

    await page.goto(new URL(`/app/holds${new URL(adminUrl).search}`, adminUrl).toString());
    await hydrated(page);
    await page
      .getByText(/^Online Store cart /)
      .first()
      .waitFor();
    expect(await page.getByText("× 2").first().isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "holds.png"), fullPage: true });
    await atPhoneWidth(page, "holds");

    await page
      .getByText(/^Online Store cart /)
      .first()
      .click();
    await page.getByRole("heading", { name: "History" }).waitFor();
    await page.getByLabel("Why").fill("shopper asked by phone to drop it");
    await page.getByRole("button", { name: "Release hold" }).click();
    await page.getByText("Hold released").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "hold-released.png"), fullPage: true });
    await atPhoneWidth(page, "hold-released");
    // On the hold's history, and as why it is in its state now.
    await expect.poll(() => page.getByText("released by the merchant: shopper asked by phone to drop it").count()).toBe(2);
  });

  it("home shows what Holdfast did once two shoppers raced for the last unit in Shopify's checkout", async () => {
    const storeUrl = new URL(demo.printed("STOREFRONT_CART_URL")).origin;
    const appUrl = new URL(adminUrl).origin;
    const shop = "holdfast-dev.myshopify.com";
    const sessionToken = devStoreSessionTokens(storeUrl, shop);
    await fetch(`${storeUrl}/_dev/shops/${shop}/stock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ variantId: 40003, available: 1 }),
    });
    const [ann, ben] = [shopifyShopper({ storeUrl, shop, appUrl, sessionToken }), shopifyShopper({ storeUrl, shop, appUrl, sessionToken })];
    for (const s of [ann, ben]) {
      await s.add(40003, 1);
      await s.checkout();
    }
    expect((await ann.extension()).kind).toBe("held");
    expect((await ben.extension()).kind).toBe("short");
    expect((await ann.complete()).status).toBe(200);
    await expect.poll(async () => (await ann.readHold()).body?.hold?.state, { timeout: 10_000 }).toBe("committed");

    // Charts drawn at once (no animation), as for a merchant who asks for reduced motion.
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(adminUrl);
    await hydrated(page);
    await page.getByText("What Holdfast did").waitFor();
    const body = await page.locator("body").innerText();
    expect(body).toMatch(/Sales saved, last 7 days\s+1 unit\b/);
    expect(body).toMatch(/Oversells prevented, last 7 days\s+1 unit\b/);
    expect(body).toMatch(/Shoppers told "sold out", last 7 days\s+1\b/);
    // Ann's order, and the earlier hold released by hand.
    expect(body).toMatch(/Became orders\s+1\s+1/);
    expect(body).toMatch(/Released\s+1\s+2/);
    // The charts draw once the page runs.
    await page.locator("figure[data-chart^='How holds ended'] svg").first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "admin-home-results.png"), fullPage: true });
    await noSeriousViolations(page, "home with results");
    await atPhoneWidth(page, "admin-home-results");
  });

  it("checkouts: a headless checkout that could not take payment is listed, and its page tells what happened and what was undone", async () => {
    // A headless storefront checks out through the Cart API; the shop has not connected Stripe yet.
    const storeUrl = new URL(demo.printed("STOREFRONT_CART_URL")).origin;
    await fetch(`${storeUrl}/_dev/shops/holdfast-dev.myshopify.com/stock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ variantId: 40005, available: 5 }),
    });
    const api = storefrontClient(
      () => new URL(adminUrl).origin,
      () => storefrontKey,
    );
    // The shop answers writes without totals (Settings chose events above): readyCart reads them.
    const { cart, grandTotal } = await readyCart(api, [{ variantId: "gid://shopify/ProductVariant/40005", quantity: 2 }]);
    // The shop's Stripe account is disconnected for this one checkout (the demo connected it).
    const db = createClient({ url: demo.databaseUrl });
    const account = (await db.execute(`SELECT "stripeAccountId" FROM "Shop" WHERE "domain" = 'holdfast-dev.myshopify.com'`)).rows[0].stripeAccountId;
    await db.execute(`UPDATE "Shop" SET "stripeAccountId" = NULL WHERE "domain" = 'holdfast-dev.myshopify.com'`);
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `browser-${cart}` });
    await db.execute({ sql: `UPDATE "Shop" SET "stripeAccountId" = ? WHERE "domain" = 'holdfast-dev.myshopify.com'`, args: [account] });
    db.close();
    expect(started.body.checkout, JSON.stringify(started.body)).toMatchObject({ state: "failed", error: { step: "payment intent" } });

    const search = new URL(adminUrl).search;
    await page.goto(new URL(`/app/checkouts${search}`, adminUrl).toString());
    await hydrated(page);
    await page.getByText("a***@example.com").first().waitFor();
    expect(await page.getByRole("row").filter({ hasText: "a***@example.com" }).first().innerText()).toMatch(/Failed, undone\s+payment intent/);
    await page.screenshot({ path: join(ARTIFACTS, "checkouts.png"), fullPage: true });
    await atPhoneWidth(page, "checkouts");

    await page.getByText("a***@example.com").first().click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    const body = await page.locator("body").innerText();
    expect(body).toContain("This shop has not connected a Stripe account yet");
    expect(body).toMatch(/Step: hold\s+ok/);
    expect(body).toMatch(/Undo: hold\s+ok/);
    await page.screenshot({ path: join(ARTIFACTS, "checkout-run.png"), fullPage: true });
    await noSeriousViolations(page, "a checkout's page");
    await atPhoneWidth(page, "checkout-run");
  });

  it("home reflects the saved policy and reconciles on demand", async () => {
    await page.goto(adminUrl);
    await hydrated(page);
    await page.getByText("Holds last 12 minutes").waitFor();
    // Settings saved a policy: every task is done, and the guide steps aside.
    expect(await page.getByText("Setup guide").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "admin-home-setup.png"), fullPage: false });
    await atPhoneWidth(page, "admin-home-setup", false);
    expect(await page.getByText("Hybrid: soft on add to cart, hard at checkout start").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Check now" }).click();
    await page.getByText("Holds, ledger and Shopify agree").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "admin-home-reconciled.png"), fullPage: true });
  });

  it("findings: every check's findings with what was done, at desktop and 360 px", async () => {
    await page.getByRole("link", { name: "All findings, and what was done" }).click();
    await page.getByRole("heading", { name: "Findings" }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "findings.png"), fullPage: true });
    await atPhoneWidth(page, "findings");
  });

  it("status: the background jobs are running, and the mirror, checkouts and webhooks are healthy", async () => {
    await page.goto(new URL(`/app/status${new URL(adminUrl).search}`, adminUrl).toString());
    await hydrated(page);
    await page.getByRole("heading", { name: "Background work" }).waitFor();
    await expect.poll(async () => (await page.reload(), await page.getByText("Hold expiry").count()), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByText("Not running").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "status.png"), fullPage: true });
    await atPhoneWidth(page, "status");
  });
});
