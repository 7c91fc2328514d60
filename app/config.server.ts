// Holdfast's configuration, read from the environment and validated once at start-up.
// A missing or malformed variable stops the app with one message naming every problem.
import { z } from "zod";
import { databaseProvider } from "./lib/database-url";

export const DEFAULT_SCOPES = "read_products,read_inventory,write_inventory,read_locations,read_orders,read_discounts,write_orders,unauthenticated_read_product_listings,unauthenticated_read_customers";

const url = (name: string) => {
  const message = `${name} must be an absolute URL such as https://holdfast.example.com`;
  return z.string({ required_error: `${name} is missing` }).trim().url(message).refine((u) => /^https?:\/\//i.test(u), message);
};

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
  // Optional until a shop takes payments; stripe.server.ts says clearly when one is missing.
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+/, "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)").optional(),
  STRIPE_API_BASE: url("STRIPE_API_BASE").optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type AppConfig = z.infer<typeof schema>;

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
export function appConfig(): AppConfig {
  return (loaded ??= parseConfig(process.env));
}
