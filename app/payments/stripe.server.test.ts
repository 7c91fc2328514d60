import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { startStripeSimulator, type StripeSimulator } from "../../test/stripe-sim/server";

let sim: StripeSimulator;
let payments: typeof import("./stripe.server");
let receiver: Server;
const received: { body: string; signature: string }[] = [];
let receiverUrl: string;

beforeAll(async () => {
  sim = await startStripeSimulator({ webhookRetryDelaysMs: [20] });
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["stripe-signature"]) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
  process.env.STRIPE_SECRET_KEY = "sk_test_holdfast_platform";
  process.env.STRIPE_API_BASE = sim.url;
  process.env.STRIPE_WEBHOOK_SECRET = sim.addWebhookEndpoint(receiverUrl);
  payments = await import("./stripe.server");
  payments.forgetStripeClient();
});
afterAll(async () => {
  await sim?.close();
  receiver?.close();
});

const noWait = { ...({} as object), maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => {}, random: () => 0.5 };

describe("Stripe through stripe-node against the local simulator", () => {
  it("a manual-capture PaymentIntent: created, confirmed with a card, captured; another cancelled", async () => {
    const s = payments.stripe();
    const pi = await s.paymentIntents.create(
      { amount: 4599, currency: "usd", capture_method: "manual", metadata: { cart: "c1" } },
      { idempotencyKey: "k-create-1" },
    );
    expect(pi).toMatchObject({ status: "requires_payment_method", amount: 4599, currency: "usd", metadata: { cart: "c1" } });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    const confirmed = await s.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" }, { idempotencyKey: "k-confirm-1" });
    expect(confirmed).toMatchObject({ status: "requires_capture", amount_capturable: 4599 });
    expect((await s.paymentIntents.capture(pi.id, {}, { idempotencyKey: "k-capture-1" })).status).toBe("succeeded");
    const refund = await s.refunds.create({ payment_intent: pi.id, amount: 1000 }, { idempotencyKey: "k-refund-1" });
    expect(refund).toMatchObject({ amount: 1000, status: "succeeded" });

    const other = await s.paymentIntents.create({ amount: 1200, currency: "usd", capture_method: "manual" }, { idempotencyKey: "k-create-2" });
    expect((await s.paymentIntents.cancel(other.id, {}, { idempotencyKey: "k-cancel-2" })).status).toBe("canceled");
    await expect(s.paymentIntents.capture(other.id, {}, { idempotencyKey: "k-capture-2" })).rejects.toMatchObject({ code: "payment_intent_unexpected_state" });
    expect(sim.requests.at(-1)!.stripeVersion).toBe(payments.STRIPE_API_VERSION);
  });

  it("idempotency: a retry replays the first answer; the same key with other parameters is an idempotency_error", async () => {
    const s = payments.stripe();
    const a = await s.paymentIntents.create({ amount: 2500, currency: "usd" }, { idempotencyKey: "k-same" });
    const b = await s.paymentIntents.create({ amount: 2500, currency: "usd" }, { idempotencyKey: "k-same" });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers["idempotent-replayed"]).toBe("true");
    await expect(s.paymentIntents.create({ amount: 2600, currency: "usd" }, { idempotencyKey: "k-same" })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
    expect([...sim.paymentIntents.values()].filter((p) => p.amount === 2500)).toHaveLength(1);
  });

  it("declines come back as card errors with clear shopper messages", async () => {
    const s = payments.stripe();
    const cases = {
      pm_card_chargeDeclinedInsufficientFunds: "insufficient_funds",
      pm_card_chargeDeclinedExpiredCard: "expired_card",
      pm_card_chargeDeclinedIncorrectCvc: "incorrect_cvc",
      pm_card_chargeDeclined: "card_declined",
      pm_card_chargeDeclinedProcessingError: "processing_error",
    };
    for (const [card, code] of Object.entries(cases)) {
      const pi = await s.paymentIntents.create({ amount: 999, currency: "usd", capture_method: "manual" });
      const error = await s.paymentIntents.confirm(pi.id, { payment_method: card }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      const message = payments.shopperMessage(error as Stripe.errors.StripeCardError);
      expect(message.code).toBe(code);
      expect(message.message.length).toBeGreaterThan(20);
      expect((await s.paymentIntents.retrieve(pi.id)).status).toBe("requires_payment_method");
    }
  });

  it("3-D Secure: requires_action, then the shopper authenticates (or fails to)", async () => {
    const s = payments.stripe();
    const pi = await s.paymentIntents.create({ amount: 5000, currency: "usd", capture_method: "manual" });
    const needs = await s.paymentIntents.confirm(pi.id, { payment_method: "pm_card_threeDSecure2Required" });
    expect(needs.status).toBe("requires_action");
    sim.authenticate(pi.id, "pass");
    expect((await s.paymentIntents.retrieve(pi.id)).status).toBe("requires_capture");
    const failing = await s.paymentIntents.create({ amount: 5000, currency: "usd", capture_method: "manual" });
    await s.paymentIntents.confirm(failing.id, { payment_method: "pm_card_authenticationRequired" });
    sim.authenticate(failing.id, "fail");
    const after = await s.paymentIntents.retrieve(failing.id);
    expect(after.status).toBe("requires_payment_method");
    expect(payments.shopperMessage(after.last_payment_error).code).toBe("authentication_required");
  });

  it("backs off on 429 (stripe-node does not) and gives up at once when Stripe says not to retry", async () => {
    const s = payments.stripe();
    sim.faults.push({ path: "^/v1/payment_intents$", method: "POST", status: 429, times: 2 });
    const pi = await payments.withStripeBackoff(() => s.paymentIntents.create({ amount: 700, currency: "usd" }, { idempotencyKey: "k-429" }), noWait);
    expect(pi.amount).toBe(700);
    expect(sim.requests.filter((r) => r.idempotencyKey === "k-429")).toHaveLength(3);
    sim.faults.push({ path: "^/v1/payment_intents$", method: "POST", status: 429, shouldRetry: false, times: 1 });
    await expect(
      payments.withStripeBackoff(() => s.paymentIntents.create({ amount: 800, currency: "usd" }, { idempotencyKey: "k-429-no" }), noWait),
    ).rejects.toMatchObject({ statusCode: 429 });
    expect(sim.requests.filter((r) => r.idempotencyKey === "k-429-no")).toHaveLength(1);
  });

  it("webhooks arrive signed; the signature is checked on the raw body, and tampering or a stale signature is refused", async () => {
    const s = payments.stripe();
    const pi = await s.paymentIntents.create({ amount: 1500, currency: "usd", capture_method: "manual" });
    await s.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" });
    for (let i = 0; i < 50 && !received.some((r) => r.body.includes(pi.id) && r.body.includes("amount_capturable_updated")); i++)
      await new Promise((r) => setTimeout(r, 20));
    const delivery = received.find((r) => r.body.includes(pi.id) && r.body.includes("amount_capturable_updated"))!;
    const event = payments.verifyWebhook(delivery.body, delivery.signature);
    expect(event).toMatchObject({ type: "payment_intent.amount_capturable_updated", data: { object: { id: pi.id } } });
    expect(() => payments.verifyWebhook(delivery.body.replace("1500", "15"), delivery.signature)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const stale = sim.sign(delivery.body, process.env.STRIPE_WEBHOOK_SECRET!, Math.floor(Date.now() / 1000) - 3600);
    expect(() => payments.verifyWebhook(delivery.body, stale)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => payments.verifyWebhook(delivery.body, null)).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
