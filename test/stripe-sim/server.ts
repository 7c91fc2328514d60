// A local Stripe: a real HTTP server speaking the parts of Stripe's API Holdfast uses, so the
// official `stripe` package runs unmodified against it (host/port/protocol). Test and demo
// infrastructure only; nothing in app/ imports it.
//
// PaymentIntents (create, retrieve, update, confirm, capture, cancel) with Stripe's status
// machine, Refunds, the test payment methods (pm_card_visa, the decline cards, 3-D Secure),
// idempotency (a replay answers the first response; the same key with other parameters is an
// idempotency_error), injected faults (429, 5xx, latency, lost responses), and signed webhook
// delivery (Stripe-Signature: t=…,v1=…) with retries.
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import { readFileSync } from "node:fs";

const stripeJs = readFileSync(new URL("./stripe-js.js", import.meta.url), "utf8");

type Json = Record<string, unknown>;

export interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "requires_capture" | "succeeded" | "canceled";
  capture_method: "automatic" | "automatic_async" | "manual";
  client_secret: string;
  created: number;
  livemode: false;
  metadata: Record<string, string>;
  payment_method: string | null;
  latest_charge: string | null;
  description: string | null;
  last_payment_error: Json | null;
  next_action: Json | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  payment_method_types: string[];
  confirmation_method: "automatic";
  on_behalf_of: string | null;
  transfer_data: Json | null;
}

export interface Fault {
  path: string;
  method?: string;
  status?: 429 | 500 | 502 | 503;
  shouldRetry?: boolean;
  latencyMs?: number;
  dropResponse?: boolean;
  times?: number;
}

/** The test cards: what a confirmation with each does. */
const DECLINES: Record<string, { code: string; decline_code?: string; message: string }> = {
  pm_card_chargeDeclined: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
  pm_card_visa_chargeDeclined: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
  pm_card_chargeDeclinedInsufficientFunds: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
  pm_card_chargeDeclinedExpiredCard: { code: "expired_card", message: "Your card has expired." },
  pm_card_chargeDeclinedIncorrectCvc: { code: "incorrect_cvc", message: "Your card's security code is incorrect." },
  pm_card_chargeDeclinedProcessingError: { code: "processing_error", message: "An error occurred while processing your card. Try again in a little bit." },
};
const THREE_D_SECURE = new Set(["pm_card_threeDSecure2Required", "pm_card_authenticationRequired", "pm_card_threeDSecureRequired"]);
const SUCCEEDING = new Set(["pm_card_visa", "pm_card_mastercard", "pm_card_amex", "pm_card_visa_debit"]);
/** Stripe's test card numbers, as a shopper types them into the Payment Element, and the test payment method each is. */
const TEST_CARDS: Record<string, string> = {
  "4242424242424242": "pm_card_visa",
  "5555555555554444": "pm_card_mastercard",
  "378282246310005": "pm_card_amex",
  "4000056655665556": "pm_card_visa_debit",
  "4000000000000002": "pm_card_chargeDeclined",
  "4000000000009995": "pm_card_chargeDeclinedInsufficientFunds",
  "4000000000000069": "pm_card_chargeDeclinedExpiredCard",
  "4000000000000127": "pm_card_chargeDeclinedIncorrectCvc",
  "4000000000000119": "pm_card_chargeDeclinedProcessingError",
  "4000002760003184": "pm_card_threeDSecure2Required",
  "4000002500003155": "pm_card_authenticationRequired",
};
const NOT_A_TEST_CARD = {
  code: "card_declined",
  decline_code: "test_mode_live_card",
  message:
    "Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
const now = () => Math.floor(Date.now() / 1000);

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String((body as { message?: string }).message));
  }
}
const invalid = (message: string, param?: string) => new StripeError(400, { type: "invalid_request_error", message, ...(param ? { param } : {}) });

export interface StripeSimulatorOptions {
  port?: number;
  webhookRetryDelaysMs?: number[];
  log?: (line: string) => void;
  /** Called after a request has done its work and before its answer is sent (crash tests kill the app here). */
  onApplied?: (request: { method: string; path: string; idempotencyKey: string | null; status: number }) => Promise<void> | void;
}

export async function startStripeSimulator(options: StripeSimulatorOptions = {}) {
  const paymentIntents = new Map<string, PaymentIntent>();
  const charges = new Map<string, { id: string; payment_intent: string; amount: number; amount_refunded: number; refunded: boolean; currency: string }>();
  const refunds = new Map<string, Json>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: Json }>();
  const events: Json[] = [];
  const deliveries: { eventId: string; type: string; attempts: number; delivered: boolean; statuses: number[] }[] = [];
  const endpoints: { url: string; secret: string }[] = [];
  const faults: Fault[] = [];
  // Connected accounts (Stripe Connect): created by the platform, onboarded by the merchant.
  const accounts = new Map<
    string,
    {
      id: string;
      object: "account";
      type: string;
      charges_enabled: boolean;
      payouts_enabled: boolean;
      details_submitted: boolean;
      metadata: Record<string, string>;
      created: number;
      controller: Json | null;
    }
  >();
  const accountLinks = new Map<string, { account: string; return_url: string; refresh_url: string; expires_at: number }>();
  const requests: { method: string; path: string; idempotencyKey: string | null; stripeVersion: string | null; account: string | null }[] = [];
  const retryDelays = options.webhookRetryDelaysMs ?? [200, 1000, 5000];

  function sign(payload: string, secret: string, timestamp = now()) {
    return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex")}`;
  }

  async function deliver(event: Json) {
    for (const endpoint of endpoints) {
      const record = { eventId: String(event.id), type: String(event.type), attempts: 0, delivered: false, statuses: [] as number[] };
      deliveries.push(record);
      const payload = JSON.stringify(event, null, 2);
      void (async () => {
        for (let attempt = 0; attempt <= retryDelays.length; attempt++) {
          record.attempts++;
          try {
            const res = await fetch(endpoint.url, {
              method: "POST",
              headers: {
                "Content-Type": "application/json",
                "Stripe-Signature": sign(payload, endpoint.secret),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
              },
              body: payload,
            });
            record.statuses.push(res.status);
            if (res.ok) {
              record.delivered = true;
              return;
            }
          } catch {
            /* endpoint down: retried */
          }
          if (attempt < retryDelays.length) await new Promise((r) => setTimeout(r, retryDelays[attempt]));
        }
      })();
    }
  }

  function emit(type: string, object: Json, account?: string) {
    const event = {
      id: id("evt"),
      object: "event",
      api_version: "2025-09-30.clover",
      created: now(),
      type,
      livemode: false,
      pending_webhooks: endpoints.length,
      data: { object: structuredClone(object) },
      request: { id: null, idempotency_key: null },
      ...(account ? { account } : {}),
    };
    events.push(event);
    void deliver(event);
    return event;
  }

  function requirePi(piId: string) {
    const pi = paymentIntents.get(piId);
    if (!pi)
      throw new StripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such payment_intent: '${piId}'`, param: "intent" });
    return pi;
  }

  function charge(pi: PaymentIntent) {
    const ch = { id: id("ch"), payment_intent: pi.id, amount: pi.amount, amount_refunded: 0, refunded: false, currency: pi.currency };
    charges.set(ch.id, ch);
    pi.latest_charge = ch.id;
  }

  function confirm(pi: PaymentIntent, paymentMethod: string | null) {
    if (!["requires_payment_method", "requires_confirmation", "requires_action"].includes(pi.status))
      throw new StripeError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `This PaymentIntent's status is ${pi.status}, which does not allow confirmation.`,
        payment_intent: pi,
      });
    const method = paymentMethod ?? pi.payment_method;
    if (!method) throw invalid("You must provide a payment method to confirm this PaymentIntent.", "payment_method");
    pi.payment_method = method;
    pi.last_payment_error = null;
    const decline = DECLINES[method];
    if (decline) {
      pi.status = "requires_payment_method";
      pi.last_payment_error = { type: "card_error", ...decline, payment_method: { id: method } };
      emit("payment_intent.payment_failed", pi as unknown as Json);
      throw new StripeError(402, { type: "card_error", ...decline, payment_intent: pi });
    }
    if (THREE_D_SECURE.has(method) && pi.status !== "requires_action") {
      pi.status = "requires_action";
      pi.next_action = { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } };
      emit("payment_intent.requires_action", pi as unknown as Json);
      return;
    }
    if (!SUCCEEDING.has(method) && !THREE_D_SECURE.has(method)) throw invalid(`No such PaymentMethod: '${method}'`, "payment_method");
    authorized(pi);
  }

  function authorized(pi: PaymentIntent) {
    pi.next_action = null;
    charge(pi);
    if (pi.capture_method === "manual") {
      pi.status = "requires_capture";
      pi.amount_capturable = pi.amount;
      emit("payment_intent.amount_capturable_updated", pi as unknown as Json);
    } else {
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      emit("payment_intent.succeeded", pi as unknown as Json);
    }
  }

  const int = (v: unknown, name: string) => {
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw invalid(`Invalid integer: ${String(v)}`, name);
    return Number(v);
  };

  function route(method: string, path: string, p: Record<string, unknown>): { status: number; body: Json } {
    let m: RegExpExecArray | null;
    if (method === "POST" && path === "/v1/payment_intents") {
      const amount = int(p.amount, "amount");
      if (amount < 50) throw invalid("Amount must be at least $0.50 usd", "amount");
      if (typeof p.currency !== "string" || !/^[a-z]{3}$/.test(p.currency)) throw invalid("Missing required param: currency.", "currency");
      const piId = id("pi");
      const pi: PaymentIntent = {
        id: piId,
        object: "payment_intent",
        amount,
        amount_capturable: 0,
        amount_received: 0,
        currency: p.currency,
        status: p.payment_method ? "requires_confirmation" : "requires_payment_method",
        capture_method: (p.capture_method as PaymentIntent["capture_method"]) ?? "automatic_async",
        client_secret: `${piId}_secret_${randomBytes(12).toString("hex")}`,
        created: now(),
        livemode: false,
        metadata: (p.metadata as Record<string, string>) ?? {},
        payment_method: (p.payment_method as string) ?? null,
        latest_charge: null,
        description: (p.description as string) ?? null,
        last_payment_error: null,
        next_action: null,
        cancellation_reason: null,
        canceled_at: null,
        payment_method_types: ["card"],
        confirmation_method: "automatic",
        on_behalf_of: null,
        transfer_data: null,
      };
      paymentIntents.set(piId, pi);
      emit("payment_intent.created", pi as unknown as Json);
      if (p.confirm === "true") {
        try {
          confirm(pi, pi.payment_method);
        } catch (error) {
          if (error instanceof StripeError && error.status === 402) throw error;
          throw error;
        }
      }
      return { status: 200, body: pi as unknown as Json };
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) {
      const pi = requirePi(m[1]);
      if (method === "GET") return { status: 200, body: pi as unknown as Json };
      if (["succeeded", "canceled", "processing", "requires_capture"].includes(pi.status) && p.amount !== undefined)
        throw new StripeError(400, {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `You cannot update the amount of a PaymentIntent with status ${pi.status}.`,
        });
      if (p.amount !== undefined) pi.amount = int(p.amount, "amount");
      if (p.metadata) pi.metadata = { ...pi.metadata, ...(p.metadata as Record<string, string>) };
      if (p.payment_method) pi.payment_method = String(p.payment_method);
      return { status: 200, body: pi as unknown as Json };
    }
    if (method === "POST" && (m = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(path))) {
      const pi = requirePi(m[1]);
      // Stripe.js sends the card the shopper typed as payment_method_data; a test number is its test method.
      const card = (p.payment_method_data as { card?: { number?: string } } | undefined)?.card;
      if (card?.number !== undefined) {
        const method = TEST_CARDS[String(card.number).replace(/\D/g, "")];
        if (!method) {
          pi.status = "requires_payment_method";
          pi.last_payment_error = { type: "card_error", ...NOT_A_TEST_CARD };
          emit("payment_intent.payment_failed", pi as unknown as Json);
          throw new StripeError(402, { type: "card_error", ...NOT_A_TEST_CARD, payment_intent: pi });
        }
        confirm(pi, method);
        return { status: 200, body: pi as unknown as Json };
      }
      confirm(pi, (p.payment_method as string) ?? null);
      return { status: 200, body: pi as unknown as Json };
    }
    if (method === "POST" && (m = /^\/v1\/payment_intents\/([^/]+)\/capture$/.exec(path))) {
      const pi = requirePi(m[1]);
      if (pi.status !== "requires_capture")
        throw new StripeError(400, {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        });
      const amount = p.amount_to_capture !== undefined ? int(p.amount_to_capture, "amount_to_capture") : pi.amount;
      if (amount > pi.amount_capturable) throw invalid("The amount to capture is greater than the amount capturable.", "amount_to_capture");
      pi.status = "succeeded";
      pi.amount_received = amount;
      pi.amount_capturable = 0;
      emit("payment_intent.succeeded", pi as unknown as Json);
      return { status: 200, body: pi as unknown as Json };
    }
    if (method === "POST" && (m = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path))) {
      const pi = requirePi(m[1]);
      if (["succeeded", "canceled", "processing"].includes(pi.status))
        throw new StripeError(400, {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
        });
      pi.status = "canceled";
      pi.canceled_at = now();
      pi.cancellation_reason = (p.cancellation_reason as string) ?? null;
      pi.amount_capturable = 0;
      emit("payment_intent.canceled", pi as unknown as Json);
      return { status: 200, body: pi as unknown as Json };
    }
    if (method === "POST" && path === "/v1/accounts") {
      const account = {
        id: `acct_${randomBytes(8).toString("hex")}`,
        object: "account" as const,
        type: (p.type as string) ?? "standard",
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        metadata: (p.metadata as Record<string, string>) ?? {},
        created: now(),
        controller: (p.controller as Json) ?? null,
      };
      accounts.set(account.id, account);
      return { status: 200, body: account as unknown as Json };
    }
    if (method === "GET" && (m = /^\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const account = accounts.get(m[1]);
      if (!account)
        throw new StripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such account: '${m[1]}'`, param: "account" });
      return { status: 200, body: account as unknown as Json };
    }
    if (method === "POST" && path === "/v1/account_links") {
      const account = accounts.get(String(p.account ?? ""));
      if (!account) throw invalid(`No such account: '${String(p.account)}'`, "account");
      if (p.type !== "account_onboarding" && p.type !== "account_update")
        throw invalid("Invalid type: must be one of account_onboarding or account_update", "type");
      for (const k of ["refresh_url", "return_url"])
        if (typeof p[k] !== "string" || !/^https?:\/\//.test(p[k] as string)) throw invalid(`Missing required param: ${k}.`, k);
      const token = randomBytes(12).toString("hex");
      const link = { account: account.id, return_url: String(p.return_url), refresh_url: String(p.refresh_url), expires_at: now() + 300 };
      accountLinks.set(token, link);
      return {
        status: 200,
        body: { object: "account_link", created: now(), expires_at: link.expires_at, url: `http://127.0.0.1:${port}/_sim/connect/onboard/${token}` },
      };
    }
    if (method === "GET" && path === "/v1/refunds") {
      const data = [...refunds.values()].filter((r) => !p.payment_intent || r.payment_intent === p.payment_intent);
      return { status: 200, body: { object: "list", data, has_more: false, url: "/v1/refunds" } };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const pi = requirePi(String(p.payment_intent ?? ""));
      if (pi.status !== "succeeded" || !pi.latest_charge)
        throw new StripeError(400, {
          type: "invalid_request_error",
          code: "charge_not_refundable",
          message: "This PaymentIntent has no successful charge to refund.",
        });
      const ch = charges.get(pi.latest_charge)!;
      const amount = p.amount !== undefined ? int(p.amount, "amount") : pi.amount_received - ch.amount_refunded;
      if (amount <= 0 || ch.amount_refunded + amount > pi.amount_received)
        throw new StripeError(400, { type: "invalid_request_error", code: "charge_already_refunded", message: `Charge ${ch.id} has already been refunded.` });
      ch.amount_refunded += amount;
      ch.refunded = ch.amount_refunded === pi.amount_received;
      const refund = {
        id: id("re"),
        object: "refund",
        amount,
        currency: pi.currency,
        charge: ch.id,
        payment_intent: pi.id,
        status: "succeeded",
        created: now(),
        metadata: p.metadata ?? {},
      };
      refunds.set(refund.id, refund);
      emit("charge.refunded", {
        id: ch.id,
        object: "charge",
        amount: ch.amount,
        amount_refunded: ch.amount_refunded,
        refunded: ch.refunded,
        payment_intent: pi.id,
        currency: pi.currency,
      });
      return { status: 200, body: refund };
    }
    throw new StripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
  }

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  };

  /** Stripe's bracket notation (metadata[order]=1) into nested objects. */
  function nested(flat: Record<string, unknown>) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(flat)) {
      const parts = key.replace(/\]/g, "").split("[");
      let target = out;
      parts.forEach((part, i) => {
        if (i === parts.length - 1) target[part] = value;
        else target = (target[part] ??= {}) as Record<string, unknown>;
      });
    }
    return out;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stripe");
    // Stripe's API answers browsers (Stripe.js calls it from the shop's page with a publishable key).
    const cors = {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Stripe-Account, Idempotency-Key",
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", "Request-Id": id("req"), ...cors, ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      return res.end();
    }
    if (req.method === "GET" && (url.pathname === "/v3" || url.pathname === "/v3/")) {
      // The demo's and the tests' Stripe.js: the stand-in (stripe-js.js) for what the checkout page calls.
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache", ...cors });
      return res.end(stripeJs.replace("__STRIPE_SIM_BASE__", `http://127.0.0.1:${port}`));
    }
    const onboarding = /^\/_sim\/connect\/onboard\/([^/]+)$/.exec(url.pathname);
    if (onboarding && req.method === "GET") {
      // The merchant completes Stripe's hosted onboarding, and is sent back (an expired link: to refresh_url).
      const link = accountLinks.get(onboarding[1]);
      if (!link) return send(404, { error: "unknown onboarding link" });
      accountLinks.delete(onboarding[1]);
      if (link.expires_at < now()) {
        res.writeHead(302, { Location: link.refresh_url });
        return res.end();
      }
      const account = accounts.get(link.account)!;
      Object.assign(account, { details_submitted: true, charges_enabled: true, payouts_enabled: true });
      emit("account.updated", account as unknown as Json, account.id);
      res.writeHead(302, { Location: link.return_url });
      return res.end();
    }
    if (url.pathname.startsWith("/_sim/")) return control(req, url, send);
    const raw = req.method === "GET" ? url.search.slice(1) : await readBody(req);
    const params = nested(parseQuery(raw) as Record<string, unknown>);
    const auth = req.headers.authorization ?? (typeof params.key === "string" ? `Bearer ${params.key}` : "");
    delete params.key;
    if (/^Bearer pk_test_\w+/.test(auth)) {
      // A publishable key reaches one PaymentIntent, with its client secret: retrieve and confirm only.
      const m = /^\/v1\/payment_intents\/([^/]+)(\/confirm)?$/.exec(url.pathname);
      const pi = m ? paymentIntents.get(m[1]) : undefined;
      if (!m || (req.method === "GET") === Boolean(m[2]) || !pi || params.client_secret !== pi.client_secret)
        return send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent." } });
      delete params.client_secret;
      delete params.return_url;
    } else if (!/^Bearer sk_test_\w+/.test(auth)) return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
    const key = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
    requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      idempotencyKey: key,
      stripeVersion: (req.headers["stripe-version"] as string) ?? null,
      account: (req.headers["stripe-account"] as string) ?? null,
    });

    const fault = faults.find((f) => new RegExp(f.path).test(url.pathname) && (!f.method || f.method === req.method) && (f.times === undefined || f.times > 0));
    if (fault && !fault.dropResponse) {
      if (fault.times !== undefined) fault.times--;
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.status) {
        const body =
          fault.status === 429
            ? {
                error: {
                  type: "invalid_request_error",
                  code: "rate_limit",
                  message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
                },
              }
            : { error: { type: "api_error", message: "An unknown error occurred" } };
        return send(fault.status, body, fault.shouldRetry === undefined ? {} : { "Stripe-Should-Retry": String(fault.shouldRetry) });
      }
    }

    const fingerprint = JSON.stringify([req.method, url.pathname, params]);
    if (key && req.method === "POST") {
      const previous = idempotency.get(key);
      if (previous) {
        if (previous.fingerprint !== fingerprint)
          return send(400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
        return send(previous.status, previous.body, { "Idempotent-Replayed": "true", "Original-Request": id("req") });
      }
    }
    let status: number;
    let body: Json;
    try {
      ({ status, body } = route(req.method ?? "GET", url.pathname, params));
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      status = error.status;
      body = { error: error.body };
    }
    // Stripe remembers the outcome of a key, successful or not (except rate limits and 5xx).
    if (key && req.method === "POST") idempotency.set(key, { fingerprint, status, body });
    await options.onApplied?.({ method: req.method ?? "GET", path: url.pathname, idempotencyKey: key, status });
    if (fault?.dropResponse) {
      if (fault.times !== undefined) fault.times--;
      res.destroy(); // the work is done; the answer never arrives
      return;
    }
    send(status, body);
  }

  async function control(req: IncomingMessage, url: URL, send: (status: number, body: unknown) => void) {
    const body = req.method === "POST" ? JSON.parse((await readBody(req)) || "{}") : {};
    let m: RegExpExecArray | null;
    if (url.pathname === "/_sim/webhook_endpoints" && req.method === "POST") {
      const secret = body.secret ?? webhookSigningSecret();
      endpoints.push({ url: String(body.url), secret });
      return send(200, { url: body.url, secret });
    }
    if ((m = /^\/_sim\/payment_intents\/([^/]+)\/authenticate$/.exec(url.pathname)) && req.method === "POST") {
      // The shopper completing (or failing) 3-D Secure in the browser.
      const pi = paymentIntents.get(m[1]);
      if (!pi || pi.status !== "requires_action") return send(400, { error: "not waiting for authentication" });
      if (body.outcome === "fail") {
        pi.status = "requires_payment_method";
        pi.next_action = null;
        pi.last_payment_error = {
          type: "card_error",
          code: "payment_intent_authentication_failure",
          message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
        };
        emit("payment_intent.payment_failed", pi as unknown as Json);
      } else authorized(pi);
      return send(200, pi);
    }
    return send(404, { error: "unknown control" });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      options.log?.(`stripe simulator: ${(error as Error).stack}`);
      if (!res.headersSent)
        res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { type: "api_error", message: "simulator failure" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    paymentIntents,
    charges,
    refunds,
    events,
    deliveries,
    faults,
    requests,
    accounts,
    /** Registers a webhook endpoint; returns its signing secret. */
    addWebhookEndpoint(url: string, secret?: string) {
      const s = secret ?? webhookSigningSecret();
      endpoints.push({ url, secret: s });
      return s;
    },
    sign,
    /** The shopper passing or failing 3-D Secure. */
    authenticate(piId: string, outcome: "pass" | "fail" = "pass") {
      const pi = paymentIntents.get(piId);
      if (!pi || pi.status !== "requires_action") throw new Error(`${piId} is not waiting for authentication`);
      if (outcome === "fail") {
        pi.status = "requires_payment_method";
        pi.next_action = null;
        pi.last_payment_error = {
          type: "card_error",
          code: "payment_intent_authentication_failure",
          message: "We are unable to authenticate your payment method.",
        };
        emit("payment_intent.payment_failed", pi as unknown as Json);
      } else authorized(pi);
      return pi;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type StripeSimulator = Awaited<ReturnType<typeof startStripeSimulator>>;

/** A signing secret shaped like Stripe's: `whsec_` and 32 letters and digits (never `-` or `_`). */
export function webhookSigningSecret(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return `whsec_${Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join("")}`;
}
