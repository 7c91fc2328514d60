// Idempotency-Key handling for every write of the API: the first request's status and body are
// stored with a fingerprint of the request; a retry with the same key replays them exactly; the
// same key with another request is refused (422); a duplicate arriving while the first is still
// running gets 409 with Retry-After; keys live 24 hours, per shop and API client.
//
// Crash safety: the handler's database writes and the stored answer commit in one transaction,
// so a crash before that commit leaves neither; the in-progress marker (committed first, so that
// concurrent duplicates see it) carries a lease, and once it lapses a retry runs the request
// again. See docs/decisions/010-idempotency-keys.md.
import { createHash } from "node:crypto";
import db, { type Tx } from "../db.server";
import { isUniqueViolation } from "../db/errors.server";

export const KEY_TTL_MS = 24 * 3600_000;
export const LEASE_MS = 30_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type { Tx };

export interface IdempotentAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface IdempotencyScope {
  shop: string;
  clientId: string;
  key: string;
}

export type IdempotencyOutcome =
  | { kind: "executed"; answer: IdempotentAnswer }
  | { kind: "replayed"; answer: IdempotentAnswer }
  | { kind: "mismatch" }
  | { kind: "in_progress"; retryAfterSeconds: number }
  | { kind: "invalid_key"; message: string };

/** A stable fingerprint of a request: method, path and the JSON body with keys sorted. */
export function fingerprintOf(method: string, path: string, body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${JSON.stringify(canonical(body ?? null))}`)
    .digest("hex");
}

async function claim(scope: IdempotencyScope, fingerprint: string, now: Date): Promise<IdempotencyOutcome | "claimed"> {
  const id = { shop_clientId_key: scope };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await db.idempotencyKey.create({
        data: { ...scope, fingerprint, state: "in_progress", lockedUntil: new Date(now.getTime() + LEASE_MS), expiresAt: new Date(now.getTime() + KEY_TTL_MS) },
      });
      return "claimed";
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await db.idempotencyKey.findUnique({ where: id });
    if (!existing) continue; // released meanwhile: try again
    if (existing.expiresAt <= now) {
      await db.idempotencyKey.deleteMany({ where: { ...scope, expiresAt: { lte: now } } });
      continue;
    }
    if (existing.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (existing.state === "done")
      return {
        kind: "replayed",
        answer: { status: existing.status!, body: JSON.parse(existing.body ?? "null"), headers: JSON.parse(existing.headers ?? "{}") },
      };
    if (existing.lockedUntil && existing.lockedUntil > now)
      return { kind: "in_progress", retryAfterSeconds: Math.max(1, Math.ceil((existing.lockedUntil.getTime() - now.getTime()) / 1000)) };
    // The first request died without finishing (its writes rolled back with it): take over.
    const { count } = await db.idempotencyKey.updateMany({
      where: { ...scope, state: "in_progress", lockedUntil: { lte: now } },
      data: { lockedUntil: new Date(now.getTime() + LEASE_MS) },
    });
    if (count === 1) return "claimed";
  }
  return { kind: "in_progress", retryAfterSeconds: 1 };
}

/**
 * Runs `handler` at most once per key. The handler gets a transaction: its writes and the stored
 * answer commit together. Answers of 5xx are not kept (the key is released for a retry).
 */
export async function runIdempotent(
  scope: IdempotencyScope,
  request: { method: string; path: string; body: unknown },
  handler: (tx: Tx) => Promise<IdempotentAnswer>,
  now = new Date(),
): Promise<IdempotencyOutcome> {
  if (!KEY_PATTERN.test(scope.key)) return { kind: "invalid_key", message: "Idempotency-Key must be 1 to 255 printable ASCII characters" };
  const fingerprint = fingerprintOf(request.method, request.path, request.body);
  const claimed = await claim(scope, fingerprint, now);
  if (claimed !== "claimed") return claimed;
  const release = () => db.idempotencyKey.deleteMany({ where: { ...scope, state: "in_progress" } });
  let answer: IdempotentAnswer;
  try {
    answer = await db.$transaction(async (tx) => {
      const result = await handler(tx);
      if (result.status < 500)
        await tx.idempotencyKey.update({
          where: { shop_clientId_key: scope },
          data: {
            state: "done",
            lockedUntil: null,
            status: result.status,
            body: JSON.stringify(result.body ?? null),
            headers: JSON.stringify(result.headers ?? {}),
          },
        });
      return result;
    });
  } catch (error) {
    await release();
    throw error;
  }
  if (answer.status >= 500) await release();
  return { kind: "executed", answer };
}

/** Forgets keys past their 24 hours. */
export async function expireIdempotencyKeys(now = new Date()) {
  const { count } = await db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

/** The HTTP answer for an outcome: replays are marked with `Idempotent-Replayed: true`. */
export function idempotencyResponse(outcome: IdempotencyOutcome): Response {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
  switch (outcome.kind) {
    case "executed":
      return json(outcome.answer.status, outcome.answer.body, outcome.answer.headers);
    case "replayed":
      return json(outcome.answer.status, outcome.answer.body, { ...outcome.answer.headers, "Idempotent-Replayed": "true" });
    case "mismatch":
      return json(422, { error: { code: "idempotency_key_reused", message: "This Idempotency-Key was used with a different request" } });
    case "in_progress":
      return json(
        409,
        { error: { code: "idempotency_in_progress", message: "A request with this Idempotency-Key is still being processed; retry later" } },
        { "Retry-After": String(outcome.retryAfterSeconds) },
      );
    case "invalid_key":
      return json(400, { error: { code: "invalid_idempotency_key", message: outcome.message } });
  }
}
