// Webhook delivery with Shopify's headers and HMAC, retried with backoff on non-2xx.
import { createHmac, randomUUID } from "node:crypto";

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  uri: string;
  body: string;
  attempts: { at: string; status: number | null; error?: string }[];
  delivered: boolean;
}

export interface WebhookSenderOptions {
  apiSecret: string;
  apiVersion: string;
  /** Delays between attempts in ms; Shopify retries 8 times over 4 hours, tests use milliseconds. */
  retryDelaysMs: number[];
  timeoutMs: number;
}

export function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private pending = new Set<Promise<void>>();
  constructor(private o: WebhookSenderOptions) {}

  /** Sends one delivery (retrying in the background) and resolves when the first attempt is done. */
  async send(shop: string, topic: string, uri: string, payload: unknown, ids: { webhookId?: string; eventId?: string } = {}): Promise<Delivery> {
    const delivery: Delivery = {
      webhookId: ids.webhookId ?? randomUUID(),
      eventId: ids.eventId ?? randomUUID(),
      topic,
      shop,
      uri,
      body: JSON.stringify(payload),
      attempts: [],
      delivered: false,
    };
    this.deliveries.push(delivery);
    const first = this.attempt(delivery);
    this.track(first);
    await first;
    if (!delivery.delivered) this.track(this.retry(delivery));
    return delivery;
  }

  /** Resends a delivery exactly as before (same webhook id), as Shopify does on a retry. */
  async redeliver(delivery: Delivery): Promise<Delivery> {
    await this.attempt(delivery);
    return delivery;
  }

  private track(p: Promise<void>) {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async retry(delivery: Delivery) {
    for (const delay of this.o.retryDelaysMs) {
      await new Promise((r) => setTimeout(r, delay));
      await this.attempt(delivery);
      if (delivery.delivered) return;
    }
  }

  private async attempt(d: Delivery) {
    const at = new Date().toISOString();
    try {
      const res = await fetch(d.uri, {
        method: "POST",
        body: d.body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": d.topic,
          "X-Shopify-Shop-Domain": d.shop,
          "X-Shopify-API-Version": this.o.apiVersion,
          "X-Shopify-Webhook-Id": d.webhookId,
          "X-Shopify-Event-Id": d.eventId,
          "X-Shopify-Triggered-At": at,
          "X-Shopify-Hmac-Sha256": webhookHmac(d.body, this.o.apiSecret),
        },
      });
      await res.arrayBuffer();
      d.attempts.push({ at, status: res.status });
      if (res.ok) d.delivered = true;
    } catch (error) {
      // fetch says only "fetch failed"; the reason (refused, reset, timed out) is its cause.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      d.attempts.push({ at, status: null, error: [(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(": ") });
    }
  }

  /** Waits for background retries to finish (tests). */
  async settle() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
