// The merchant's view of headless checkouts (issue 14): the shop's saga runs newest first, by
// state, a page at a time by keyset (the (shop, createdAt, id) index); a run's page with its
// timeline — every step attempt and compensation, and every Stripe event about its payment, in
// order, with durations — and links to the Shopify order, the Stripe payment and the hold.
import { z } from "zod";
import db from "../db.server";
import { afterPlace, CURSOR_PATTERN, decodeCursor, encodeCursor } from "../lib/keyset";
import { stripeConfig } from "../config.server";
import { checkoutResults } from "./checkout-results.server";
import { checkoutSaga } from "./checkout-saga.server";

export const CHECKOUTS_PAGE_SIZE = 50;

/** What the merchant filters by, and the run states behind each. */
export const CHECKOUT_FILTERS = {
  all: null,
  in_progress: ["running", "waiting", "compensating"],
  completed: ["completed"],
  failed: ["compensated"],
  stuck: ["stuck"],
} as const;

export const checkoutListFilterSchema = z.object({
  state: z.enum(Object.keys(CHECKOUT_FILTERS) as [keyof typeof CHECKOUT_FILTERS, ...(keyof typeof CHECKOUT_FILTERS)[]]).default("all"),
  cursor: z.string().regex(CURSOR_PATTERN).optional(),
});
export type CheckoutListFilter = z.infer<typeof checkoutListFilterSchema>;

/** An email as the list shows it: enough to recognise, not to copy (a***@example.com). */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

interface RunRow {
  id: string;
  state: string;
  step: number;
  failedStep: string | null;
  results: string;
  createdAt: Date;
  updatedAt: Date;
}

function rowView(r: RunRow) {
  const results = checkoutResults(r.results);
  const priced = results.recalculate;
  return {
    id: r.id,
    state: r.state,
    amount: priced ? { minor: priced.grandTotal, currency: priced.currency } : null,
    email: maskEmail(priced?.email),
    startedAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    // Where it is (or where it failed): the step being run or undone.
    lastStep: r.failedStep ?? checkoutSaga.steps[Math.min(r.step, checkoutSaga.steps.length - 1)]?.name ?? null,
  };
}
export type CheckoutRowView = ReturnType<typeof rowView>;

const ROW_SELECT = { id: true, state: true, step: true, failedStep: true, results: true, createdAt: true, updatedAt: true } as const;

/** One page of the shop's checkouts, newest first, and the cursor of the next page (none on the last). */
export async function listCheckouts(shop: string, filter: CheckoutListFilter) {
  const states = CHECKOUT_FILTERS[filter.state];
  const rows = await db.sagaRun.findMany({
    where: {
      shop,
      saga: checkoutSaga.name,
      ...(states ? { state: { in: [...states] } } : {}),
      ...afterPlace(filter.cursor ? decodeCursor(filter.cursor) : null),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CHECKOUTS_PAGE_SIZE + 1,
    select: ROW_SELECT,
  });
  const page = rows.slice(0, CHECKOUTS_PAGE_SIZE);
  return { checkouts: page.map(rowView), next: rows.length > CHECKOUTS_PAGE_SIZE ? encodeCursor(page[page.length - 1]) : null };
}

/** A link to a PaymentIntent in the merchant's Stripe dashboard (test mode with a test key). */
export function stripePaymentUrl(account: string, paymentIntent: string, secretKey = stripeConfig().STRIPE_SECRET_KEY ?? "") {
  return `https://dashboard.stripe.com/${account}${/^(sk|rk)_test_/.test(secretKey) ? "/test" : ""}/payments/${paymentIntent}`;
}

/** A link to a Shopify order in the shop's admin, as App Bridge opens it from an embedded app. */
export const shopifyOrderUrl = (orderGid: string) => `shopify://admin/orders/${orderGid.split("/").pop()}`;

export interface TimelineEntry {
  at: string;
  kind: "step" | "compensation" | "stripe" | "webhook";
  name: string;
  attempt: number | null;
  outcome: string | null;
  detail: string | null;
  durationMs: number | null;
}

/** A checkout's page: the run, its timeline in order, and links; null for another shop's (or no) run. */
export async function checkoutDetail(shop: string, runId: string) {
  const run = await db.sagaRun.findFirst({
    where: { id: runId, shop, saga: checkoutSaga.name },
    select: { ...ROW_SELECT, key: true, error: true, endedAt: true, waitingFor: true },
  });
  if (!run) return null;
  const results = checkoutResults(run.results);
  const payment = results["payment intent"];
  const order = results.complete ?? results["shopify order"] ?? null;
  const [attempts, events, webhooks] = await Promise.all([
    // By the run alone (it is this shop's, checked above): the (runId, id) index, not the shop's 140,000 attempts.
    db.sagaStepAttempt.findMany({ where: { runId }, orderBy: { id: "asc" } }),
    payment ? db.stripeEvent.findMany({ where: { shop, objectId: payment.id }, orderBy: { receivedAt: "asc" } }) : Promise.resolve([]),
    // Shopify's webhooks about the run's order (orders/create…).
    order ? db.webhookEvent.findMany({ where: { shop, subjectId: order }, orderBy: { receivedAt: "asc" } }) : Promise.resolve([]),
  ]);
  const timeline: TimelineEntry[] = [
    ...attempts.map((a) => ({
      at: a.startedAt.toISOString(),
      kind: a.phase === "compensation" ? ("compensation" as const) : ("step" as const),
      name: a.step,
      attempt: a.attempt,
      outcome: a.outcome,
      detail: a.error,
      durationMs: a.endedAt ? a.endedAt.getTime() - a.startedAt.getTime() : null,
    })),
    ...events.map((e) => ({
      at: e.receivedAt.toISOString(),
      kind: "stripe" as const,
      name: e.type,
      attempt: null,
      outcome: e.outcome,
      detail: null,
      durationMs: e.processedAt ? e.processedAt.getTime() - e.receivedAt.getTime() : null,
    })),
    ...webhooks.map((w) => ({
      at: w.receivedAt.toISOString(),
      kind: "webhook" as const,
      name: w.topic,
      attempt: w.attempts,
      outcome: w.outcome,
      detail: w.error,
      durationMs: w.processedAt ? w.processedAt.getTime() - w.receivedAt.getTime() : null,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    checkout: {
      ...rowView(run),
      error: run.error,
      waitingFor: run.waitingFor,
      endedAt: run.endedAt?.toISOString() ?? null,
      cartId: run.key,
    },
    timeline,
    links: {
      order: order ? { id: order, url: shopifyOrderUrl(order) } : null,
      payment: payment ? { id: payment.id, url: stripePaymentUrl(payment.account, payment.id) } : null,
      holdId: results.hold ?? null,
    },
  };
}
