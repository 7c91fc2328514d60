// Admin GraphQL calls that wait out Shopify's cost-based throttle instead of failing:
// on THROTTLED the wait is what the bucket needs to refill for this query, read from
// throttleStatus, plus jitter; transient HTTP failures back off exponentially.
import { GraphqlQueryError, HttpRetriableError, HttpThrottlingError } from "@shopify/shopify-api";

export interface AdminGraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }): Promise<Response>;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * For calls a shopper or merchant is waiting on: a few seconds of waiting out the throttle at
 * most, then the request answers 503 with Retry-After (background work keeps the patient default).
 */
export const requestRetryPolicy: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 3, maxDelayMs: 2_000 };

/** Shopify kept answering 5xx (or not at all) for as long as the policy allows. */
export class ShopifyUnavailableError extends Error {
  constructor(
    readonly status: number | undefined,
    attempts: number,
  ) {
    super(`Shopify answered ${status ?? "nothing"} ${attempts} times`);
    this.name = "ShopifyUnavailableError";
  }
}

/**
 * The Shopify app library's request-scoped clients turn Shopify's HTTP errors into a thrown
 * Response carrying Shopify's status: a 429 or 5xx there is the same transient failure.
 */
const transientStatus = (error: unknown) => (error instanceof Response && (error.status === 429 || error.status >= 500) ? error.status : undefined);

export class ShopifyThrottledError extends Error {
  constructor(
    readonly cost: QueryCost | undefined,
    attempts: number,
  ) {
    super(`Shopify kept throttling this query after ${attempts} attempts`);
    this.name = "ShopifyThrottledError";
  }
}

function throttleCost(error: unknown): QueryCost | null | undefined {
  if (!(error instanceof GraphqlQueryError)) return undefined;
  const body = error.body as { errors?: { graphQLErrors?: { extensions?: { code?: string } }[] }; extensions?: { cost?: QueryCost } } | undefined;
  const throttled = body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED");
  return throttled ? (body?.extensions?.cost ?? null) : undefined;
}

/** How long until the bucket holds this query's cost again, plus up to a quarter more as jitter. */
export function throttleDelayMs(cost: QueryCost | null, attempt: number, policy: RetryPolicy): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  if (!cost) return exponential * (0.5 + policy.random() / 2);
  const { requestedQueryCost, throttleStatus: s } = cost;
  const deficit = Math.max(0, requestedQueryCost - s.currentlyAvailable);
  const refill = (deficit / Math.max(s.restoreRate, 1)) * 1000;
  return Math.min(policy.maxDelayMs, refill + refill * 0.25 * policy.random() + policy.baseDelayMs * policy.random());
}

export async function adminGraphql<T>(
  admin: AdminGraphqlClient,
  document: string,
  variables?: Record<string, unknown>,
  policy: RetryPolicy = defaultRetryPolicy,
  /** Aborts the request in flight (a saga step's time is up) and stops retrying. */
  signal?: AbortSignal,
): Promise<{ data: T; cost?: QueryCost; attempts: number }> {
  let lastCost: QueryCost | undefined;
  let lastStatus: number | undefined;
  let throttled = true;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    signal?.throwIfAborted();
    try {
      const response = await admin.graphql(document, { variables, ...(signal ? { signal } : {}) });
      const body = (await response.json()) as { data: T; extensions?: { cost?: QueryCost } };
      return { data: body.data, cost: body.extensions?.cost, attempts: attempt + 1 };
    } catch (error) {
      const cost = throttleCost(error);
      if (cost !== undefined) {
        lastCost = cost ?? undefined;
        throttled = true;
        await policy.sleep(throttleDelayMs(cost, attempt, policy));
        continue;
      }
      if (error instanceof HttpThrottlingError || error instanceof HttpRetriableError) {
        const retryAfterMs = error instanceof HttpThrottlingError && error.response.retryAfter ? error.response.retryAfter * 1000 : 0;
        throttled = error instanceof HttpThrottlingError;
        lastStatus = error.response.code;
        await policy.sleep(Math.max(retryAfterMs, throttleDelayMs(null, attempt, policy)));
        continue;
      }
      const status = transientStatus(error);
      if (status !== undefined) {
        throttled = status === 429;
        lastStatus = status;
        await policy.sleep(throttleDelayMs(null, attempt, policy));
        continue;
      }
      throw error;
    }
  }
  if (!throttled) throw new ShopifyUnavailableError(lastStatus, policy.maxAttempts);
  throw new ShopifyThrottledError(lastCost, policy.maxAttempts);
}
