// The Status page (issue 14): what a merchant or support looks at first when something feels
// wrong — the background jobs' pulse, how far the Shopify mirror is behind, moves Shopify kept
// refusing, checkouts stuck undoing themselves, the last reconcile, webhook delivery health.
import db from "../db.server";
import { jobHealth } from "../jobs/beats.server";

const DAY_MS = 86_400_000;

export async function operationsStatus(shop: string, now = new Date()) {
  const [jobs, oldestMove, oldestReserve, parkedMoves, stuckCheckouts, webhookCounts, lastWebhook] = await Promise.all([
    jobHealth(now),
    db.shopifyInventoryMove.findFirst({ where: { shop, state: "pending" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    // A hard hold's reserve not yet put in the outbox is waiting too.
    db.hold.findFirst({ where: { shop, reservePending: true }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    db.shopifyInventoryMove.count({ where: { shop, state: "parked" } }),
    db.sagaRun.count({ where: { shop, state: "stuck" } }),
    db.webhookEvent.groupBy({ by: ["outcome"], where: { shop, receivedAt: { gt: new Date(now.getTime() - DAY_MS) } }, _count: { _all: true } }),
    db.webhookEvent.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true, topic: true } }),
  ]);
  const oldest = [oldestMove?.createdAt, oldestReserve?.createdAt].filter((d): d is Date => Boolean(d)).sort((a, b) => a.getTime() - b.getTime())[0];
  const webhooks = Object.fromEntries(webhookCounts.map((w) => [w.outcome, w._count._all]));
  const reconcile = jobs.find((j) => j.job === "reconcile");
  return {
    jobs,
    mirror: { lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0, parkedMoves },
    checkouts: { stuck: stuckCheckouts },
    lastReconcileAt: reconcile?.lastOkAt ?? null,
    webhooks: {
      processedLastDay: webhooks.processed ?? 0,
      failedLastDay: webhooks.failed ?? 0,
      lastReceivedAt: lastWebhook?.receivedAt.toISOString() ?? null,
      lastTopic: lastWebhook?.topic ?? null,
    },
  };
}
