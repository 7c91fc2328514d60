// The production process: validate the configuration, serve the Remix build, run the
// background jobs, and stop cleanly. On SIGTERM or SIGINT it stops taking connections, lets
// requests in flight finish (up to HOLDFAST_SHUTDOWN_GRACE_MS), stops the jobs (a round in
// progress finishes), closes the database pool, and exits 0 (decision 018).
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import type { AddressInfo } from "node:net";
import { appConfig, ConfigError } from "../config.server";
import { createHoldfastHttpServer } from "./http.server";

export async function runProductionServer(build: ServerBuild): Promise<void> {
  let config;
  try {
    config = appConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Loaded after the configuration is known good: these read it at import.
  const { default: shopify } = await import("../shopify.server");
  const { default: db } = await import("../db.server");
  const { startJobs } = await import("../jobs/jobs.server");

  const http = createHoldfastHttpServer(build);
  const jobs =
    config.HOLDFAST_WORKERS === "on"
      ? startJobs({
          adminFor: async (shop) => (await shopify.unauthenticated.admin(shop)).admin,
          sweepEveryMs: config.HOLDFAST_SWEEP_EVERY_MS,
          mirrorEveryMs: config.HOLDFAST_MIRROR_EVERY_MS,
          sagaEveryMs: config.HOLDFAST_SAGA_EVERY_MS,
          reconcileEveryMs: config.HOLDFAST_RECONCILE_EVERY_MS,
          abandonedEveryMs: config.HOLDFAST_ABANDONED_EVERY_MS,
          holdStateEveryMs: config.HOLDFAST_HOLD_STATE_EVERY_MS,
        })
      : undefined;

  await new Promise<void>((resolve) => http.server.listen(config.PORT, config.HOST, resolve));
  const { address, port } = http.server.address() as AddressInfo;
  console.log(`Holdfast listening on http://${address.includes(":") ? `[${address}]` : address}:${port}`);
  // Under `remix dev` (npm run dev), the dev server waits for this before it reloads the browser.
  if (config.REMIX_DEV_ORIGIN) await broadcastDevReady(build);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (finishing requests in flight)`);
    await http.close(config.HOLDFAST_SHUTDOWN_GRACE_MS);
    await jobs?.stop();
    await db.$disconnect();
    console.log("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
