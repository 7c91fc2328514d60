// The one way a webhook route receives a delivery: verify the HMAC (the library answers 401
// when it is wrong), check the topic, then process the delivery at most once.
import { ZodError } from "zod";
import { authenticate } from "../shopify.server";
import { processDeliveryOnce } from "./deliveries.server";

type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>>;

/** The gid of what a delivery is about (an order's, say), where the payload names one. */
const subjectOf = (payload: unknown): string | null => {
  const id = (payload as { admin_graphql_api_id?: unknown } | null)?.admin_graphql_api_id;
  return typeof id === "string" && id.length <= 200 ? id : null;
};

export async function receiveWebhook(request: Request, expectedTopic: string, handle: (webhook: WebhookContext) => Promise<void>): Promise<Response> {
  const webhook = await authenticate.webhook(request);
  if (webhook.topic !== expectedTopic) {
    return new Response(`This endpoint receives ${expectedTopic}, not ${webhook.topic}`, { status: 400 });
  }
  let outcome;
  try {
    outcome = await processDeliveryOnce(
      {
        shop: webhook.shop,
        topic: webhook.topic,
        webhookId: webhook.webhookId,
        eventId: "eventId" in webhook ? webhook.eventId : null,
        apiVersion: webhook.apiVersion,
        triggeredAt: webhook.triggeredAt,
        subjectId: subjectOf(webhook.payload),
      },
      () => handle(webhook),
    );
  } catch (error) {
    // A payload that does not parse will not parse on a retry either: say so, with a 400.
    if (error instanceof ZodError)
      return new Response(`Malformed ${webhook.topic} payload: ${error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`, { status: 400 });
    throw error;
  }
  // Another worker is processing this very delivery: let Shopify retry later.
  if (outcome === "in_progress") return new Response(null, { status: 409, headers: { "Retry-After": "30" } });
  return new Response(null, { status: 200, headers: { "X-Holdfast-Delivery": outcome } });
}
