// Holdfast's configuration, read from the environment and validated once at start-up.
// A missing or malformed variable stops the app with one message naming every problem.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";
import { databaseProvider } from "./db/database-url";

export const DEFAULT_SCOPES =
  "read_products,read_inventory,write_inventory,read_locations,read_orders,read_discounts,write_orders,unauthenticated_read_product_listings,unauthenticated_read_customers,unauthenticated_write_checkouts,write_validations,read_themes";

const url = (name: string) => {
  const message = `${name} must be an absolute URL such as https://holdfast.example.com`;
  return z
    .string({ required_error: `${name} is missing` })
    .trim()
    .url(message)
    .refine((u) => /^https?:\/\//i.test(u), message);
};

const everyMs = (name: string, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be milliseconds` })
    .int(`${name} must be whole milliseconds`)
    .min(50, `${name} must be at least 50`)
    .default(fallback);

const schema = z.object({
  SHOPIFY_API_KEY: z.string({ required_error: "SHOPIFY_API_KEY is missing" }).trim().min(1, "SHOPIFY_API_KEY is empty"),
  SHOPIFY_API_SECRET: z.string({ required_error: "SHOPIFY_API_SECRET is missing" }).min(1, "SHOPIFY_API_SECRET is empty"),
  SHOPIFY_APP_URL: url("SHOPIFY_APP_URL"),
  SCOPES: z
    .string()
    .default(DEFAULT_SCOPES)
    .refine((s) => s.split(",").every((scope) => /^(unauthenticated_)?(read|write)_[a-z_]+$/.test(scope.trim())), {
      message: "SCOPES must be a comma-separated list of Shopify access scopes such as read_products,write_inventory",
    })
    .transform((s) => s.split(",").map((scope) => scope.trim())),
  DATABASE_URL: z
    .string()
    .default("file:./prisma/dev.db")
    .refine((u) => {
      try {
        databaseProvider(u);
        return true;
      } catch {
        return false;
      }
    }, "DATABASE_URL must be a SQLite file URL (file:./prisma/dev.db) or a PostgreSQL URL (postgresql://user@host:5432/db)"),
  SHOPIFY_DEV_STORE_URL: url("SHOPIFY_DEV_STORE_URL").optional(),
  SHOP_CUSTOM_DOMAIN: z.string().trim().optional(),
  // The longest a request to Shopify may take (longer than a saga step's own limit, 15 s).
  SHOPIFY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100, "SHOPIFY_REQUEST_TIMEOUT_MS must be at least 100").default(20_000),
  // Optional until a shop takes payments; stripe.server.ts says clearly when one is missing.
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)")
    .optional(),
  // Stripe's secrets are letters and digits after the prefix; base64's other characters are
  // accepted too, so a secret from any of Stripe's tools is never refused.
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=_-]+$/, "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)")
    .optional(),
  STRIPE_API_BASE: url("STRIPE_API_BASE").optional(),
  // The platform's publishable key: the checkout page's Stripe.js uses it on the merchant's account.
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_\w+$/, "STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key (pk_…)")
    .optional(),
  // Where the checkout page loads Stripe.js: Stripe's own (the only one a live key may use), or
  // the Stripe simulator's stand-in in the demo and the tests (a loopback URL).
  STRIPE_JS_URL: url("STRIPE_JS_URL")
    .refine((u) => u === "https://js.stripe.com/v3/" || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u), {
      message: "STRIPE_JS_URL must be https://js.stripe.com/v3/ or, for the simulator, a loopback URL such as http://127.0.0.1:4200/v3/",
    })
    .default("https://js.stripe.com/v3/"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Set by `remix dev` (npm run dev): where the dev server waits to hear that the app is ready.
  REMIX_DEV_ORIGIN: url("REMIX_DEV_ORIGIN").optional(),
  // This instance's name across restarts (a pod or machine name): a restarted instance then
  // retakes its previous life's saga runs and webhook claims at once (decision 016).
  HOLDFAST_INSTANCE_ID: z
    .string()
    .trim()
    .regex(/^[\w.:-]{1,100}$/, "HOLDFAST_INSTANCE_ID must be 1 to 100 letters, digits, dots, colons, dashes or underscores")
    .optional(),
  // The production server (server.ts, decision 018).
  PORT: z.coerce
    .number({ invalid_type_error: "PORT must be a port number" })
    .int("PORT must be a port number")
    .min(0, "PORT must be a port number")
    .max(65535, "PORT must be a port number")
    .default(3000),
  HOST: z.string().trim().min(1).optional(),
  HOLDFAST_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // Background jobs run in every instance unless turned off (a web-only instance, the bench).
  HOLDFAST_WORKERS: z.enum(["on", "off"], { message: "HOLDFAST_WORKERS must be on or off" }).default("on"),
  // How often each job runs; the defaults suit production, the crash proof runs them faster.
  HOLDFAST_SWEEP_EVERY_MS: everyMs("HOLDFAST_SWEEP_EVERY_MS", 15_000),
  HOLDFAST_MIRROR_EVERY_MS: everyMs("HOLDFAST_MIRROR_EVERY_MS", 5_000),
  HOLDFAST_SAGA_EVERY_MS: everyMs("HOLDFAST_SAGA_EVERY_MS", 5_000),
  HOLDFAST_RECONCILE_EVERY_MS: everyMs("HOLDFAST_RECONCILE_EVERY_MS", 300_000),
  HOLDFAST_ABANDONED_EVERY_MS: everyMs("HOLDFAST_ABANDONED_EVERY_MS", 600_000),
  // How often the hold state the validation Function reads is looked at (written when it changed, and every minute).
  HOLDFAST_HOLD_STATE_EVERY_MS: everyMs("HOLDFAST_HOLD_STATE_EVERY_MS", 2_000),
});

export type AppConfig = z.infer<typeof schema>;

/** The name of every variable the app reads. */
export const CONFIG_VARIABLES = Object.keys(schema.shape) as (keyof AppConfig)[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Holdfast cannot start: ${problems.join("; ")}. See .env.example for every variable.`);
    this.name = "ConfigError";
  }
}

/** Validates an environment. Values are never echoed: some are secrets. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const result = schema.safeParse(blankToUndefined);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => i.message));
}

let loaded: AppConfig | undefined;
/** Every variable, validated together: the server calls this at start and stops on a problem. */
export function appConfig(): AppConfig {
  return (loaded ??= parseConfig(process.env));
}

/**
 * One part of the configuration, for code that also runs without the whole app (the migration
 * scripts, the bench, a test of one module): the same schema, only the variables it names.
 */
function section<K extends keyof AppConfig>(...keys: K[]) {
  let cached: Pick<AppConfig, K> | undefined;
  const part = z.object(Object.fromEntries(keys.map((k) => [k, schema.shape[k]])));
  return (): Pick<AppConfig, K> => {
    if (loaded) return loaded;
    if (cached) return cached;
    const env = Object.fromEntries(keys.map((k) => [k, process.env[k] === "" ? undefined : process.env[k]]));
    const result = part.safeParse(env);
    if (!result.success) throw new ConfigError(result.error.issues.map((i) => i.message));
    return (cached = result.data as unknown as Pick<AppConfig, K>);
  };
}

export const databaseConfig = section("DATABASE_URL", "NODE_ENV");
export const stripeConfig = section("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "STRIPE_PUBLISHABLE_KEY", "STRIPE_JS_URL");
export const runtimeConfig = section("NODE_ENV", "HOLDFAST_INSTANCE_ID", "REMIX_DEV_ORIGIN");

let identity: { instance: string | null; life: string } | undefined;
/**
 * This process's identity, one notion for every claim it makes (saga run leases, webhook
 * deliveries): `life` is new at every start; `instance` is HOLDFAST_INSTANCE_ID, or null.
 */
export function processIdentity(): { instance: string | null; life: string; name: string } {
  identity ??= { instance: runtimeConfig().HOLDFAST_INSTANCE_ID ?? null, life: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` };
  return { ...identity, name: identity.instance ? `instance:${identity.instance}` : `life:${identity.life}` };
}
