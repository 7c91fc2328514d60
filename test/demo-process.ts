// `npm run demo` in the background (its own ports and database) and the URLs it prints: for the
// browser tests and the checkout page's bench.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
