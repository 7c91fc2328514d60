// What the browser tests share: `npm run demo` in the background (its own ports and database),
// the URLs it prints, and Debian's Chromium launched as this machine allows.
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "vitest";

export { startDemo, type Demo } from "../demo-process";

export const ARTIFACTS = join(process.cwd(), "test-artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Waits until Remix has hydrated the page: a form submitted before that is a plain browser POST,
 * which carries no session token in the embedded admin (and the test would wait for an answer
 * that never comes). Home's charts make its scripts heavier, so this matters more now.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized));
}

/** The page at a phone's width: a full-page screenshot (`<name>-360.png`), axe, and back to the desktop width. */
export async function atPhoneWidth(page: Page, name: string, fullPage = true) {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(ARTIFACTS, `${name}-360.png`), fullPage });
  await noSeriousViolations(page, `${name}, 360 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Chromium, and the user agent to browse with (HeadlessChrome is turned away as a bot by the Shopify library). */
export async function launchChromium(): Promise<{ browser: Browser; userAgent: string }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext();
  const userAgent = (await (await context.newPage()).evaluate(() => navigator.userAgent)).replace("HeadlessChrome", "Chrome");
  await context.close();
  return { browser, userAgent };
}

/** axe-core finds no serious or critical violation on the page as it is now. */
export async function noSeriousViolations(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.html.slice(0, 120)).join(" | ")}`)).toEqual([]);
}
