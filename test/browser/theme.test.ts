// The theme app extension in Chromium, on the cart page the dev store renders from its theme
// with a real Liquid engine, as `npm run demo` serves it (the merchant switched the app embed
// on): heading to checkout reserves the cart's items through the app proxy and shows the time
// left; a second shopper for the last unit is told it is short and kept on the cart; axe finds
// no serious violation. Screenshots at 390×844 and 1280×900 land in test-artifacts/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchChromium, noSeriousViolations, startDemo, type Demo } from "./demo";

let demo: Demo;
let browser: Browser;
let userAgent: string;
let cartUrl: string;
const VARIANT = 40005;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  demo = await startDemo(3321);
  cartUrl = demo.printed("STOREFRONT_CART_URL");
  ({ browser, userAgent } = await launchChromium());
  // The last unit: exactly one left.
  const store = new URL(cartUrl).origin;
  const res = await fetch(`${store}/_dev/shops/holdfast-dev.myshopify.com/stock`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ variantId: VARIANT, available: 1 }),
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  demo?.stop();
});

/** A shopper's browser at a size, with the variant in their cart, on the cart page. */
async function shopperOnCart(viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport, userAgent })).newPage();
  await page.route(/^https:\/\//, (route) => route.abort());
  await page.goto(cartUrl);
  const added = await page.evaluate(async (id) => {
    const res = await fetch(location.pathname.replace(/\/cart$/, "/cart/add.js"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ items: [{ id, quantity: 1 }] }),
    });
    return res.status;
  }, VARIANT);
  expect(added).toBe(200);
  await page.reload();
  await page.getByRole("main").getByRole("button", { name: "Check out" }).waitFor();
  return page;
}

describe("the cart reservation embed (theme app extension)", () => {
  let first: Page;

  it("reserves the cart when the shopper heads to checkout, then shows the time left back on the cart (390×844)", async () => {
    first = await shopperOnCart({ width: 390, height: 844 });
    const reserved = first.waitForResponse((r) => r.url().includes("/apps/holdfast/holds") && r.request().method() === "POST");
    await first.getByRole("main").getByRole("button", { name: "Check out" }).click();
    expect((await reserved).status()).toBe(200);
    await first.waitForURL(/\/checkouts\/[\w-]+$/);
    // Shopify's checkout page: the Function finds the cart's claim and lets this shopper through.
    expect(await first.getByRole("alert").count()).toBe(0);

    await first.goto(cartUrl);
    const notice = first.locator("#holdfast-reservation");
    await notice.waitFor({ state: "visible" });
    await expect.poll(() => notice.innerText()).toMatch(/Your items are reserved for 15 minutes\. 1[45]:\d\d/);
    expect(await notice.getByRole("listitem").allInnerTexts()).toEqual([expect.stringMatching(/ × 1$/)]);
    expect(await first.getByRole("status").innerText()).toContain("reserved");
    await first.screenshot({ path: join(ARTIFACTS, "theme-cart-reserved-390.png"), fullPage: false });
    await noSeriousViolations(first, "reserved, 390");
  });

  it("the same on a desktop (1280×900)", async () => {
    await first.setViewportSize({ width: 1280, height: 900 });
    await first.reload();
    await first.locator("#holdfast-reservation").waitFor({ state: "visible" });
    await first.screenshot({ path: join(ARTIFACTS, "theme-cart-reserved-1280.png") });
    await noSeriousViolations(first, "reserved, 1280");
  });

  it("a second shopper for the last unit, checking out from the cart drawer, is told it is short and stays, with the way on still open", async () => {
    const second = await shopperOnCart({ width: 390, height: 844 });
    await second.getByRole("button", { name: /^Cart \(1\)$/ }).click();
    const drawer = second.getByRole("dialog", { name: "Cart" });
    await drawer.getByRole("button", { name: "Check out" }).click();
    const notice = second.locator("#holdfast-reservation");
    await notice.waitFor({ state: "visible" });
    await expect.poll(() => notice.innerText()).toContain("none left (you chose 1)");
    expect(second.url()).toBe(cartUrl);
    // Keyboard users land on the way forward.
    expect(await second.evaluate(() => document.activeElement?.textContent)).toBe("Continue to checkout");
    await second.screenshot({ path: join(ARTIFACTS, "theme-cart-short-390.png") });
    await noSeriousViolations(second, "short, 390");
    await second.setViewportSize({ width: 1280, height: 900 });
    await second.screenshot({ path: join(ARTIFACTS, "theme-cart-short-1280.png") });

    // Going on anyway: Shopify's checkout, where the validation Function blocks the held unit.
    await second.getByRole("button", { name: "Continue to checkout" }).click();
    await second.waitForURL(/\/checkouts\/[\w-]+$/);
    expect(await second.getByRole("alert").innerText()).toContain("held for other shoppers");
  });
});
