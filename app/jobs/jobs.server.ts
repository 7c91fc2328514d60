// Background work, in-process, in one place: the schedule of every area's jobs, started by the
// server entry (app/server/main.server.ts). Each area owns its job functions: hold expiry
// (holds), the Shopify mirror's drain (holds), abandoned carts (cart), saga resume and the
// checkouts the holds outlived (checkout), reconcile rounds (holds, checkout). All are safe
// with several app instances (conditional updates, SKIP LOCKED on PostgreSQL, leases on the
// outbox, row locks in the reconciler's repairs), so every instance may run them.
import { expireDueHolds } from "../holds/holds.server";
import { drainInventoryMoves } from "../holds/mirror.server";
import { reconcileShop } from "../holds/reconciler.server";
import db from "../db.server";
import { recordBeat } from "./beats.server";
import { markAbandonedCarts } from "../cart/carts.server";
// The checkout runner has the checkout saga registered, so runs left mid-way resume here.
import { abandonExpiredCheckouts, sagaRunner } from "../headless-checkout/checkout-runner.server";
import { reconcileCheckouts } from "../headless-checkout/checkout-reconciler.server";
import { publishHoldState } from "../shopify-checkout/hold-state.server";
import type { AdminGraphqlClient } from "../shopify/admin-graphql.server";

export interface Jobs {
  /** Stops the timers and waits for a round in progress to finish. */
  stop(): Promise<void>;
}

export function startJobs(o: {
  adminFor: (shop: string) => Promise<AdminGraphqlClient>;
  sweepEveryMs?: number;
  mirrorEveryMs?: number;
  reconcileEveryMs?: number;
  abandonedEveryMs?: number;
  sagaEveryMs?: number;
  holdStateEveryMs?: number;
  log?: (message: string) => void;
}): Jobs {
  const log = o.log ?? ((m) => console.error(m));
  const installedShops = async () => (await db.session.findMany({ where: { isOnline: false }, select: { shop: true }, distinct: ["shop"] })).map((s) => s.shop);
  const running = new Map<string, Promise<void>>();
  const every = (name: string, ms: number, work: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      if (running.has(name)) return; // the previous round is still going
      const round = work()
        .then(() => recordBeat(name, ms, { ok: true }))
        .catch((error) => {
          log(`job ${name} failed: ${(error as Error).message}`);
          return recordBeat(name, ms, { ok: false, error: (error as Error).message });
        })
        // The pulse is for the Status page: a failure to write it must not stop the job.
        .catch(() => undefined)
        .finally(() => running.delete(name));
      running.set(name, round);
    }, ms);
    timer.unref();
    return timer;
  };
  // Crash recovery at start-up: runs this or another instance left mid-way move on now.
  void sagaRunner
    .releaseLeasesOfPreviousLife()
    .then(() => sagaRunner.resumeDue())
    .catch((error) => log(`saga resume at start-up failed: ${(error as Error).message}`));
  const timers = [
    every("sweep", o.sweepEveryMs ?? 15_000, async () => {
      while ((await expireDueHolds()) > 0) {
        /* keep expiring while whole batches come back */
      }
    }),
    every("mirror", o.mirrorEveryMs ?? 5_000, () => drainInventoryMoves({ adminFor: o.adminFor })),
    // Not a hold's work, but the same kind of in-process sweep: carts left with lines.
    every("abandoned carts", o.abandonedEveryMs ?? 600_000, async () => {
      while ((await markAbandonedCarts()) > 0) {
        /* whole batches came back: more may be waiting */
      }
    }),
    // Saga runs left by a stopped or crashed instance, and retries that are due.
    every("saga resume", o.sagaEveryMs ?? 5_000, async () => {
      await sagaRunner.resumeDue();
      await abandonExpiredCheckouts();
    }),
    // What the validation Function reads in Shopify's checkout: written when it changed.
    every("hold state", o.holdStateEveryMs ?? 2_000, async () => {
      for (const shop of await installedShops()) await publishHoldState(shop, await o.adminFor(shop));
    }),
    every("reconcile", o.reconcileEveryMs ?? 300_000, async () => {
      const installed = (await installedShops()).map((shop) => ({ shop }));
      for (const { shop } of installed) {
        await reconcileShop(shop, await o.adminFor(shop));
        await reconcileCheckouts(shop);
      }
    }),
  ];
  return {
    async stop() {
      timers.forEach(clearInterval);
      await Promise.all(running.values());
    },
  };
}
