// Exactly-once processing of Shopify webhook deliveries, keyed by X-Shopify-Webhook-Id.
// The claim is a unique insert, so two concurrent deliveries cannot both process; a failed
// or abandoned claim can be taken again by Shopify's retry. See docs/decisions/004-webhook-dedupe.md.
import { processIdentity } from "../config.server";
import db from "../db.server";
import { isUniqueViolation } from "../db/errors.server";

export interface WebhookDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  apiVersion?: string | null;
  triggeredAt?: string | null;
  /** What the delivery is about (the payload's admin_graphql_api_id), where it says. */
  subjectId?: string | null;
}

/** processed: the handler ran now. duplicate: it ran before. in_progress: another worker holds it. */
export type DeliveryOutcome = "processed" | "duplicate" | "in_progress";

/** A claim older than this is taken to be from a crashed worker and may be retaken. */
export const ABANDONED_CLAIM_MS = 5 * 60_000;

// This process's name on its claims. With HOLDFAST_INSTANCE_ID (decision 016) a restarted
// instance knows its previous life's claims: that process is gone, so they are retaken at once
// instead of after ABANDONED_CLAIM_MS (Shopify's retries would meanwhile meet 409s).
const { instance, life } = processIdentity();
export const claimer = `${instance ?? life}#${life}`;
const previousLives = instance ? { claimedBy: { startsWith: `${instance}#`, not: claimer } } : null;

async function claim(d: WebhookDelivery): Promise<DeliveryOutcome | "claimed"> {
  const triggeredAt = d.triggeredAt && !Number.isNaN(Date.parse(d.triggeredAt)) ? new Date(d.triggeredAt) : null;
  try {
    await db.webhookEvent.create({
      data: {
        shop: d.shop,
        topic: d.topic,
        webhookId: d.webhookId,
        eventId: d.eventId ?? null,
        apiVersion: d.apiVersion ?? null,
        triggeredAt,
        subjectId: d.subjectId ?? null,
        outcome: "processing",
        claimedBy: claimer,
      },
    });
    return "claimed";
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const retaken = await db.webhookEvent.updateMany({
    where: {
      shop: d.shop,
      webhookId: d.webhookId,
      OR: [
        { outcome: "failed" },
        { outcome: "processing", claimedAt: { lt: new Date(Date.now() - ABANDONED_CLAIM_MS) } },
        ...(previousLives ? [{ outcome: "processing", ...previousLives }] : []),
      ],
    },
    data: { outcome: "processing", claimedAt: new Date(), claimedBy: claimer, attempts: { increment: 1 }, error: null },
  });
  if (retaken.count === 1) return "claimed";
  const existing = await db.webhookEvent.findUnique({ where: { shop_webhookId: { shop: d.shop, webhookId: d.webhookId } } });
  return existing?.outcome === "processed" ? "duplicate" : "in_progress";
}

export async function processDeliveryOnce(d: WebhookDelivery, handler: () => Promise<void>): Promise<DeliveryOutcome> {
  const claimed = await claim(d);
  if (claimed !== "claimed") return claimed;
  const key = { shop_webhookId: { shop: d.shop, webhookId: d.webhookId } };
  try {
    await handler();
  } catch (error) {
    await db.webhookEvent.update({ where: key, data: { outcome: "failed", error: String((error as Error).message ?? error).slice(0, 500) } });
    throw error;
  }
  await db.webhookEvent.update({ where: key, data: { outcome: "processed", processedAt: new Date() } });
  return "processed";
}
