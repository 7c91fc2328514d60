// What the browser tests share: `npm run demo` in the background (its own ports and database),
// the URLs it prints, and Debian's Chromium launched as this machine allows.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "vitest";

export const ARTIFACTS = join(process.cwd(), "test-artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Demo {
  /** The demo's database (SQLite), for a test that must move time on the server. */
  databaseUrl: string;
  /** A `NAME=value` line the demo printed. */
  printed(name: string): string;
  output(): string;
  stop(): void;
}

/** Starts the demo on `appPort` (the dev store on appPort + 1000, the Stripe simulator on + 1100) and waits for its URLs. */
export function startDemo(appPort: number): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), "holdfast-demo-"));
  const child: ChildProcess = spawn("npm", ["run", "demo"], {
    env: {
      ...process.env,
      PORT: String(appPort),
      DEV_STORE_PORT: String(appPort + 1000),
      STRIPE_SIM_PORT: String(appPort + 1100),
      DEMO_STOREFRONT_PORT: String(appPort + 1200),
      DEMO_DATABASE_URL: `file:${join(dir, "demo.db")}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const demo: Demo = {
    databaseUrl: `file:${join(dir, "demo.db")}`,
    printed: (name) => new RegExp(`${name}=(\\S+)`).exec(output)?.[1] ?? "",
    output: () => output,
    stop: () => {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URLs:\n${output}`)), 180_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ADMIN_URL=\S+/.test(output) && /STOREFRONT_CART_URL=\S+/.test(output) && /HEADLESS_STOREFRONT_URL=\S+/.test(output)) {
        clearTimeout(timer);
        resolve(demo);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.on("exit", (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
  });
}

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
