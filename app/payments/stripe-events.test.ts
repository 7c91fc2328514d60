import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { startStripeSimulator, webhookSigningSecret, type StripeSimulator } from "../../test/stripe-sim/server";

const SHOP = "pay-shop.myshopify.com";
let t: TestApp;
let sim: StripeSimulator;
let secret: string;
let runner: typeof import("../headless-checkout/checkout-runner.server");
let s: typeof import("../saga/runner.server");
let payments: typeof import("./stripe.server");

beforeAll(async () => {
  sim = await startStripeSimulator({ webhookRetryDelaysMs: [50, 100] });
  process.env.STRIPE_SECRET_KEY = "sk_test_holdfast_platform";
  process.env.STRIPE_API_BASE = sim.url;
  // The app reads its configuration once, so the secret is chosen before it starts.
  secret = process.env.STRIPE_WEBHOOK_SECRET = webhookSigningSecret();
  t = await startTestApp({ shops: [SHOP] });
  sim.addWebhookEndpoint(`${t.url}/webhooks/stripe`, secret);
  runner = await import("../headless-checkout/checkout-runner.server");
  s = await import("../saga/runner.server");
  payments = await import("./stripe.server");
});
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

/** A payment saga in miniature: authorise on Stripe, wait for the webhook, capture; cancel as compensation. */
function paymentSaga(card: string) {
  return s.saga<{ amount: number }>(`pay-${card}`, [
    s.step("authorize", {
      action: async (c) => {
        const pi = await payments.withStripeBackoff(() =>
          payments.stripe().paymentIntents.create(
            {
              amount: c.input.amount,
              currency: "usd",
              capture_method: "manual",
              metadata: { [runner.RUN_METADATA.run]: c.runId, [runner.RUN_METADATA.shop]: c.shop },
            },
            { idempotencyKey: c.idempotencyKey },
          ),
        );
        await payments
          .stripe()
          .paymentIntents.confirm(pi.id, { payment_method: card }, { idempotencyKey: `${c.idempotencyKey}:confirm` })
          .catch(() => undefined);
        return pi.id;
      },
      compensation: async (c, id) => {
        if (typeof id === "string")
          await payments
            .stripe()
            .paymentIntents.cancel(id, {}, { idempotencyKey: `${c.idempotencyKey}:cancel` })
            .catch(() => undefined);
      },
    }),
    s.step("await payment", { action: async () => new s.WaitFor(runner.PAYMENT_AUTHORIZED) }),
    s.step("capture", {
      action: async (c) => (await payments.stripe().paymentIntents.capture(String(c.results.authorize), {}, { idempotencyKey: c.idempotencyKey })).status,
    }),
  ]);
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting");
}

describe("Stripe webhooks", () => {
  it("a signed payment event resumes the checkout that made the PaymentIntent; a duplicate changes nothing", async () => {
    const saga = paymentSaga("pm_card_visa");
    runner.sagaRunner.register(saga);
    const { run } = await runner.sagaRunner.start(saga, SHOP, "cart-pay-1", { amount: 4200 });
    await until(async () => (await runner.sagaRunner.view(SHOP, run.id)).state === "completed");
    const done = await runner.sagaRunner.view(SHOP, run.id);
    expect(done.results.capture).toBe("succeeded");
    const pi = sim.paymentIntents.get(String(done.results.authorize))!;
    expect(pi.status).toBe("succeeded");
    // The handler records its outcome once the run it moved has gone as far as it can.
    await until(
      async () =>
        (await t.db.stripeEvent.findMany({ where: { shop: SHOP, type: "payment_intent.amount_capturable_updated", outcome: { not: null } } })).length === 1,
    );
    const recorded = await t.db.stripeEvent.findMany({ where: { shop: SHOP, type: "payment_intent.amount_capturable_updated" } });
    expect(recorded.map((e) => e.outcome)).toEqual(["checkout resumed"]);

    // Stripe delivering the same event again: acknowledged, not handled twice.
    const event = sim.events.find((e) => e.type === "payment_intent.amount_capturable_updated" && (e.data as { object: { id: string } }).object.id === pi.id)!;
    const body = JSON.stringify(event, null, 2);
    const again = await fetch(`${t.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": sim.sign(body, secret) },
      body,
    });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await t.db.stripeEvent.count({ where: { id: String(event.id) } })).toBe(1);
  });

  it("a bad or missing signature is refused with 400 and has no effect", async () => {
    const body = JSON.stringify({
      id: "evt_forged",
      type: "payment_intent.canceled",
      data: { object: { id: "pi_x", object: "payment_intent", metadata: {} } },
    });
    const forged = await fetch(`${t.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": sim.sign(body, "whsec_wrong") },
      body,
    });
    expect(forged.status).toBe(400);
    const unsigned = await fetch(`${t.url}/webhooks/stripe`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(unsigned.status).toBe(400);
    expect(await t.db.stripeEvent.count({ where: { id: "evt_forged" } })).toBe(0);
  });

  it("a cancelled PaymentIntent gives the waiting checkout up, and it is compensated", async () => {
    const saga = paymentSaga("pm_card_threeDSecure2Required");
    runner.sagaRunner.register(saga);
    const { run } = await runner.sagaRunner.start(saga, SHOP, "cart-pay-2", { amount: 3100 });
    expect((await runner.sagaRunner.view(SHOP, run.id)).state).toBe("waiting");
    const piId = String((await runner.sagaRunner.view(SHOP, run.id)).results.authorize);
    expect(sim.paymentIntents.get(piId)!.status).toBe("requires_action");
    // The shopper walks away; the PaymentIntent is cancelled (by Stripe, or the merchant).
    await payments.stripe().paymentIntents.cancel(piId);
    await until(async () => (await runner.sagaRunner.view(SHOP, run.id)).state === "compensated");
    expect((await runner.sagaRunner.view(SHOP, run.id)).error).toBe("payment cancelled");
  });
});
