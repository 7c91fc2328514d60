// `npm run bench:checkout-page`: the shopper's checkout page as `npm run demo` serves it (the
// production build on SQLite, the dev store, the Stripe simulator), measured three ways:
//   1. its own JavaScript, per script the page loads (Stripe.js excluded), gzipped: budget 60 KB;
//   2. Lighthouse 12.2.3 on the local Chromium, mobile and desktop presets (simulated throttling):
//      performance ≥ 95, accessibility 100, LCP ≤ 2.0 s, CLS ≤ 0.05, TBT ≤ 150 ms;
//   3. time to first byte under 16 connections, against the app's trivial route (/healthz) in the
//      same run (machines are noisy: the ratio is the figure).
// The last line printed is one JSON object with every figure and whether each budget holds.
import { gzipSync } from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { startDemo } from "../test/demo-process";

const PORT = Number(process.env.BENCH_PORT ?? 3511);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 (Holdfast bench)";

/** A shopper's cart with two items, made through the demo storefront; its checkout page's address. */
async function checkoutLink(shopUrl: string): Promise<string> {
  const home = await (await fetch(shopUrl)).text();
  const variants = [...home.matchAll(/name="variantId" value="(\d+)"><button\s+aria-label/g)].map((m) => m[1]).slice(0, 2);
  let cookie = "";
  for (const variantId of variants) {
    const added = await fetch(`${shopUrl}/cart/add`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams({ variantId }),
    });
    cookie = added.headers.get("set-cookie")?.split(";")[0] ?? cookie;
  }
  const cart = await (await fetch(`${shopUrl}/cart`, { headers: { Cookie: cookie } })).text();
  const link = /href="([^"]+\/checkout\/[^"]+)"/.exec(cart)?.[1];
  if (!link) throw new Error("the demo storefront gave no checkout link");
  return link.replace(/&amp;/g, "&");
}

/** Time to first byte (fetch resolves on the headers), `CONNECTIONS` loops for `SECONDS`. */
async function ttfb(url: string) {
  const times: number[] = [];
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const res = await fetch(url, { headers: { "User-Agent": UA } });
        times.push(performance.now() - started);
        if (res.status !== 200) failures++;
        await res.arrayBuffer();
      }
    }),
  );
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
  return { requests: times.length, perSecond: Math.round(times.length / SECONDS), p50Ms: at(0.5), p99Ms: at(0.99), non200: failures };
}

async function lighthouseRun(url: string, preset: "mobile" | "desktop") {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] },
      preset === "desktop" ? desktopConfig : undefined,
    );
    const lhr = result!.lhr;
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    return {
      performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
      lcpMs: Math.round(audit("largest-contentful-paint")),
      cls: Math.round(audit("cumulative-layout-shift") * 1000) / 1000,
      tbtMs: Math.round(audit("total-blocking-time")),
      fcpMs: Math.round(audit("first-contentful-paint")),
      failedAccessibilityAudits: Object.values(lhr.audits)
        .filter((a) => lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id) && a.score === 0)
        .map((a) => a.id),
    };
  } finally {
    await chrome.kill();
  }
}

const demo = await startDemo(PORT);
try {
  const link = await checkoutLink(demo.printed("HEADLESS_STOREFRONT_URL"));
  const appUrl = new URL(link).origin;
  const html = await (await fetch(link, { headers: { "User-Agent": UA } })).text();
  const stripeJs = /"jsUrl":"([^"]+)"/.exec(html)?.[1];
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]).filter((src) => src !== stripeJs);
  const chunks = await Promise.all(
    scripts.map(async (src) => {
      const body = Buffer.from(await (await fetch(new URL(src, appUrl))).arrayBuffer());
      return { script: src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    }),
  );
  const inlineBytes = Buffer.byteLength(html);
  const ownJsGzip = chunks.reduce((n, c) => n + c.gzipBytes, 0);

  const mobile = await lighthouseRun(link, "mobile");
  const desktop = await lighthouseRun(link, "desktop");

  const baseline = await ttfb(`${appUrl}/healthz`);
  const page = await ttfb(link);

  const lighthouseBudget = (r: typeof mobile) => r.performance >= 95 && r.accessibility === 100 && r.lcpMs <= 2000 && r.cls <= 0.05 && r.tbtMs <= 150;
  const report = {
    bench: "checkout-page",
    javascript: {
      chunks,
      totalGzipBytes: ownJsGzip,
      budgetGzipBytes: 60 * 1024,
      withinBudget: ownJsGzip <= 60 * 1024,
      htmlBytes: inlineBytes,
      htmlGzipBytes: gzipSync(html).length,
    },
    lighthouse: {
      version: "12.2.3",
      mobile: { ...mobile, withinBudget: lighthouseBudget(mobile) },
      desktop: { ...desktop, withinBudget: lighthouseBudget(desktop) },
    },
    ttfb: {
      connections: CONNECTIONS,
      seconds: SECONDS,
      baseline,
      page,
      p50Ratio: Math.round((page.p50Ms / baseline.p50Ms) * 100) / 100,
      throughputRatio: Math.round((page.perSecond / baseline.perSecond) * 100) / 100,
    },
  };
  console.log(JSON.stringify(report));
} finally {
  demo.stop();
}
