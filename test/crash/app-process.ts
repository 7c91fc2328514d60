// The app as its own process, for the crash tests: the route modules behind an HTTP server on
// PORT and the background workers (hold expiry, Shopify mirror, saga resume) on short timers.
// Configured through the environment like the app itself. With HOLDFAST_CRASH_AT set
// (`{"step":"capture","phase":"action","when":"after"}`), the process kills itself with SIGKILL
// at that saga step boundary: no cleanup, no finally blocks, exactly like a machine dying.
import { createAppServer, handleWithRoutes } from "../app-server";

process.env.HOLDFAST_WORKERS = "off"; // the workers are started below, on test timers

const { sagaRunner } = await import("../../app/checkout/runner.server");
const crashAt = process.env.HOLDFAST_CRASH_AT ? (JSON.parse(process.env.HOLDFAST_CRASH_AT) as { step: string; phase: string; when: string }) : null;
if (crashAt) {
  sagaRunner.observeBoundaries((b) => {
    if (b.step === crashAt.step && b.phase === crashAt.phase && b.when === crashAt.when) process.kill(process.pid, "SIGKILL");
  });
}

const shopify = (await import("../../app/shopify.server")).default;
const { startHoldWorkers } = await import("../../app/holds/workers.server");
startHoldWorkers({
  adminFor: async (shop) => (await shopify.unauthenticated.admin(shop)).admin,
  sweepEveryMs: 250, mirrorEveryMs: 250, sagaEveryMs: 250, reconcileEveryMs: 3_600_000, abandonedEveryMs: 3_600_000,
});

const server = createAppServer(() => handleWithRoutes);
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));
