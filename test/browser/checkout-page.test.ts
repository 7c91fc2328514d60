// Issue 15 in Chromium: a shopper buys from the demo's headless storefront through Holdfast's
// checkout page, as `npm run demo` serves them (production build, the dev store, the Stripe
// simulator and its Stripe.js stand-in). Each at a phone's size (390×844) and a desktop's (1280×900):
// a guest pays with the test Visa; a decline then a success; 3-D Secure passed and failed; Link
// from the Express Checkout Element; a discount code; an address that changes tax, shipping and
// the total; the hold ending on the page; the whole checkout with the keyboard alone. Every state
// is screenshotted (test-artifacts/checkout-*.png) and checked by axe.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, launchChromium, noSeriousViolations, startDemo, type Demo } from "./demo";

let demo: Demo;
let browser: Browser;
let userAgent: string;
let shopUrl: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  demo = await startDemo(3411);
  shopUrl = demo.printed("HEADLESS_STOREFRONT_URL");
  ({ browser, userAgent } = await launchChromium());
});

afterAll(async () => {
  await browser?.close();
  demo?.stop();
});

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function shopper(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, userAgent, hasTouch: viewport === PHONE, isMobile: viewport === PHONE });
  const page = await context.newPage();
  await page.route(/^https:\/\//, (route) => route.abort()); // nothing leaves this machine
  return { context, page };
}

/** Shot and axe: every state the shopper sees. */
async function look(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `checkout-${name}.png`), fullPage: true });
  await noSeriousViolations(page, name);
}

/** From the storefront's first page to the checkout page with one item (the nth product), Stripe's form mounted. */
async function toCheckout(page: Page, nth = 0, shots?: string) {
  await page.goto(shopUrl);
  if (shots) await look(page, `${shots}-storefront`);
  await page.locator("button:not([disabled])", { hasText: "Add to cart" }).nth(nth).click();
  await page.waitForURL(/\/cart$/);
  if (shots) await look(page, `${shots}-storefront-cart`);
  await page.getByRole("link", { name: "Check out" }).click();
  await page.waitForURL(/\/checkout\/holdfast-dev\//);
  await page.locator("#sim-number").waitFor();
}

async function fillDetails(
  page: Page,
  where: { country: string; province: string; zip: string; city: string } = { country: "US", province: "NY", zip: "10001", city: "New York" },
) {
  await page.locator("#email").fill("ann@example.com");
  await page.locator("#name").fill("Ann Lee");
  await page.locator("#address1").fill("350 Fifth Avenue");
  await page.locator("#zip").fill(where.zip);
  await page.locator("#city").fill(where.city);
  await page.locator("#country").selectOption(where.country);
  await page.locator("#province").selectOption(where.province);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("radio", { name: /Standard/ }).waitFor();
}

async function chooseStandard(page: Page) {
  await page.getByRole("radio", { name: /Standard/ }).check();

  await expect.poll(() => page.locator("form[data-pay] button").isEnabled()).toBe(true);
}

async function card(page: Page, number: string) {
  await page.locator("#sim-number").fill(number);
  await page.locator("#sim-exp").fill("12 / 34");
  await page.locator("#sim-cvc").fill("123");
}

const total = async (page: Page) => (await page.locator("[data-grand-total]").innerText()).split("\n")[0].trim();
const confirmed = (page: Page) => page.getByRole("heading", { name: "Thank you, your order is placed" }).waitFor({ timeout: 20_000 });

describe.each([
  ["phone", PHONE],
  ["desktop", DESKTOP],
] as const)("the checkout page in Chromium, %s", (size, viewport) => {
  it("a guest buys with the test Visa: costs from the first paint, the hold counting down, then the order from the server's state", async () => {
    const { context, page } = await shopper(viewport);
    await toCheckout(page, 0, size);
    await look(page, `${size}-opened`);
    // Costs before any field: the subtotal and the total are in the page, the hold is visible.
    await expect.poll(() => page.locator("[data-region=hold]").innerText()).toMatch(/Your item is reserved for 1[45]:\d\d/);
    const first = await page.locator("[data-clock]").innerText();
    await page.waitForTimeout(1200);
    expect(await page.locator("[data-clock]").innerText()).not.toBe(first);
    // Nothing wider than the screen (one column on the phone), touch targets of 44 px at least.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("main button, main input:not([type=hidden]), main select, main summary")]
        .filter((el) => el.offsetParent !== null)
        // A box or a radio button is pressed by its whole label.
        .map((el) => (el.matches("input[type=checkbox], input[type=radio]") ? (el.closest("label") ?? el) : el))
        .map((el) => ({ what: el.outerHTML.slice(0, 80), height: el.getBoundingClientRect().height }))
        .filter((x) => x.height < 44),
    );
    expect(small).toEqual([]);
    await fillDetails(page);
    await look(page, `${size}-delivery`);
    await chooseStandard(page);
    expect(await page.locator("[data-region=summary]").innerText()).toMatch(/Tax for New York \(8\.88%\)/);
    await card(page, "4242 4242 4242 4242");
    await look(page, `${size}-ready-to-pay`);
    const shown = await total(page);
    await page.locator("form[data-pay] button").click();
    await confirmed(page);
    expect(await page.locator("main").innerText()).toContain(shown.replace("Pay ", ""));
    await look(page, `${size}-confirmed`);
    await context.close();
  });

  it("a declined card, then a good one on the same page: the decline in Stripe's words, one order", async () => {
    const { context, page } = await shopper(viewport);
    await toCheckout(page, 1);
    await look(page, `${size}-decline-opened`);
    await fillDetails(page);
    await chooseStandard(page);
    await card(page, "4000 0000 0000 9995");
    await page.locator("form[data-pay] button").click();
    // Stripe.js's words at once; the server's (from the webhook, the Cart API's wording) once the page reads itself again.
    await expect.poll(() => page.locator("[data-payment-error]").innerText()).toMatch(/^Your card has insufficient funds\./);
    await look(page, `${size}-declined`);
    await card(page, "4242 4242 4242 4242");
    await page.locator("form[data-pay] button").click();
    await confirmed(page);
    await look(page, `${size}-decline-confirmed`);
    await context.close();
  });

  it("3-D Secure: failed, then passed", async () => {
    const { context, page } = await shopper(viewport);
    await toCheckout(page, 2);
    await fillDetails(page);
    await chooseStandard(page);
    await card(page, "4000 0027 6000 3184");
    await page.locator("form[data-pay] button").click();
    await page.getByRole("dialog", { name: "3D Secure 2 test page" }).waitFor();
    await look(page, `${size}-3ds-challenge`);
    await page.getByRole("button", { name: "Fail authentication" }).click();
    await expect.poll(() => page.locator("[data-payment-error]").innerText()).toMatch(/unable to authenticate your payment method/);
    await look(page, `${size}-3ds-failed`);
    await page.locator("form[data-pay] button").click();
    await page.getByRole("button", { name: "Complete authentication" }).click();
    await confirmed(page);
    await context.close();
  });

  it("Link from the Express Checkout Element, once contact and delivery are known", async () => {
    const { context, page } = await shopper(viewport);
    await toCheckout(page, 3);
    await page.getByRole("button", { name: "Pay with Link" }).click();
    await expect.poll(() => page.locator("[data-payment-error]").innerText()).toMatch(/Enter your email and delivery address first/);
    await fillDetails(page);
    await chooseStandard(page);
    await page.getByRole("button", { name: "Pay with Link" }).click();
    await confirmed(page);
    await look(page, `${size}-express-confirmed`);
    await context.close();
  });

  it("a discount code inline, and an address that changes tax, shipping and the total shown, with the reason", async () => {
    const { context, page } = await shopper(viewport);
    await toCheckout(page, 4);
    const before = await total(page);
    await page.locator("#code").fill("NOPE");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.locator("#code-error").innerText()).toMatch(/NOPE/);
    await page.locator("#code").fill("welcome10");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => total(page)).not.toBe(before);
    expect(await page.locator("[data-total-change]").innerText()).toMatch(/discounts: −\$/);
    await look(page, `${size}-discount`);
    await fillDetails(page);
    // The carrier quotes by destination: USPS to New York, Canada Post to Toronto.
    await page.getByRole("radio", { name: /USPS Priority Mail/ }).check();
    await expect.poll(() => page.locator("[data-region=summary]").innerText()).toMatch(/Shipping \(USPS Priority Mail\)\s+\$9\.80/);
    const inNewYork = await total(page);
    await fillDetails(page, { country: "CA", province: "ON", zip: "M5J 2X6", city: "Toronto" });
    await page.getByRole("radio", { name: /Canada Post Expedited/ }).waitFor();
    expect(await page.getByRole("radio", { name: /USPS/ }).count()).toBe(0);
    await page.getByRole("radio", { name: /Canada Post Expedited/ }).check();
    await expect.poll(() => page.locator("[data-region=summary]").innerText()).toMatch(/Shipping \(Canada Post Expedited\)\s+\$14\.50/);
    expect(await total(page)).not.toBe(inNewYork);
    expect(await page.locator("[data-region=summary]").innerText()).toMatch(/Tax for Ontario \(13%\)/);
    expect(await page.locator("[data-total-change]").innerText()).toMatch(/shipping: Canada Post Expedited \$14\.50/);
    await look(page, `${size}-address-changed`);
    await context.close();
  });

  it("the hold ends while the shopper is on the page: told, offered to reserve again, and can still pay", async () => {
    const { context, page } = await shopper(viewport);
    await page.clock.install();
    await toCheckout(page, 5);
    await fillDetails(page);
    await chooseStandard(page);
    // The server's clock moves on: the hold's time is up (the expiry job ends it in its own time).
    const db = createClient({ url: demo.databaseUrl });
    await db.execute(`UPDATE "Hold" SET "expiresAt" = '2026-01-01 00:00:00' WHERE "ownerType" = 'cart' AND "state" IN ('held','extended')`);
    db.close();
    await page.clock.fastForward("20:00");
    await page.getByText("Your items are no longer reserved.").waitFor();
    await look(page, `${size}-hold-ended`);
    await page.getByRole("button", { name: "Reserve again" }).click();
    await expect.poll(() => page.locator("[data-region=hold]").innerText()).toMatch(/reserved for 1[45]:\d\d/);
    await card(page, "4242 4242 4242 4242");
    await page.locator("form[data-pay] button").click();
    await confirmed(page);
    await context.close();
  });

  it("keyboard only, from the first field to the confirmation", async () => {
    const { context, page } = await shopper(viewport);
    await toCheckout(page, 6);
    await page.locator("#email").focus();
    const type = async (text: string) => {
      await page.keyboard.type(text);
      await page.keyboard.press("Tab");
    };
    await type("kim@example.com");
    await type("Kim Ode");
    await type("1 Main Street");
    await type("10001");
    await type("New York");
    // Country (already the shop's, United States), then the state, chosen by typing its name.
    await page.keyboard.press("Tab");
    await page.keyboard.type("New York");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("billingSame");
    await page.keyboard.press("Tab"); // the billing fields are hidden while the box is ticked
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save and continue");
    await page.keyboard.press("Enter");
    await page.getByRole("radio", { name: /Standard/ }).waitFor();
    await page.getByRole("radio", { name: /Standard/ }).focus();
    await page.keyboard.press("Space");
    await expect.poll(() => page.locator("form[data-pay] button").isEnabled()).toBe(true);
    await page.locator("#sim-number").focus();
    await type("4242424242424242");
    await type("1234");
    await page.keyboard.type("123");
    // Tab on to the pay button, and press it.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement?.closest("form[data-pay]") !== null)) break;
    }
    await page.keyboard.press("Enter");
    await confirmed(page);
    await context.close();
  });
});
