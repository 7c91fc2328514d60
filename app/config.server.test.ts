import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { CONFIG_VARIABLES, ConfigError, DEFAULT_SCOPES, parseConfig } from "./config.server";
import { webhookSigningSecret } from "../test/stripe-sim/server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "a-very-secret-value",
  SHOPIFY_APP_URL: "https://holdfast.example.com",
};

function problems(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("configuration", () => {
  it("accepts a complete environment and fills the defaults", () => {
    const config = parseConfig(valid);
    expect(config.SCOPES).toEqual(DEFAULT_SCOPES.split(","));
    expect(config.DATABASE_URL).toBe("file:./prisma/dev.db");
    expect(config.SHOPIFY_DEV_STORE_URL).toBeUndefined();
  });

  it.each([
    [{ SHOPIFY_API_KEY: undefined }, "SHOPIFY_API_KEY is missing"],
    [{ SHOPIFY_API_KEY: "" }, "SHOPIFY_API_KEY is missing"],
    [{ SHOPIFY_API_SECRET: undefined }, "SHOPIFY_API_SECRET is missing"],
    [{ SHOPIFY_APP_URL: "holdfast.example.com" }, "SHOPIFY_APP_URL must be an absolute URL"],
    [{ SCOPES: "read_products, write inventory" }, "SCOPES must be a comma-separated list"],
    [{ DATABASE_URL: "mysql://localhost/holdfast" }, "DATABASE_URL must be a SQLite file URL"],
    [{ SHOPIFY_DEV_STORE_URL: "localhost:4100" }, "SHOPIFY_DEV_STORE_URL must be an absolute URL"],
    [{ STRIPE_SECRET_KEY: "pk_test_publishable" }, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key"],
    [{ STRIPE_WEBHOOK_SECRET: "secret" }, "STRIPE_WEBHOOK_SECRET must be a webhook signing secret"],
  ])("refuses %j, naming the variable", (change, message) => {
    expect(problems({ ...valid, ...change })).toContain(message);
  });

  it("names every problem at once and never echoes a value", () => {
    const message = problems({ SHOPIFY_API_SECRET: "s3cr3t-value", DATABASE_URL: "postgres:/broken:s3cr3t-value" });
    expect(message).toContain("SHOPIFY_API_KEY is missing");
    expect(message).toContain("SHOPIFY_APP_URL is missing");
    expect(message).toContain("DATABASE_URL must be");
    expect(message).not.toContain("s3cr3t-value");
  });

  it("accepts PostgreSQL URLs", () => {
    expect(parseConfig({ ...valid, DATABASE_URL: "postgresql://holdfast:pw@db:5432/holdfast" }).DATABASE_URL).toMatch(/^postgresql:/);
  });

  it("accepts every webhook signing secret the Stripe simulator makes (the demo once failed to start on one in 60)", () => {
    for (let i = 0; i < 5_000; i++) {
      const secret = webhookSigningSecret();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
      expect(parseConfig({ ...valid, STRIPE_WEBHOOK_SECRET: secret }).STRIPE_WEBHOOK_SECRET).toBe(secret);
    }
    // Secrets in base64's alphabet (Stripe's other tools) are accepted too, a leading "-" included.
    for (const secret of ["whsec_-abc", "whsec_a+b/c=", "whsec_A_b-C"])
      expect(parseConfig({ ...valid, STRIPE_WEBHOOK_SECRET: secret }).STRIPE_WEBHOOK_SECRET).toBe(secret);
    expect(problems({ ...valid, STRIPE_WEBHOOK_SECRET: "whsec_has space" })).toContain("STRIPE_WEBHOOK_SECRET must be a webhook signing secret");
  });

  it("reads the production server's settings, with defaults", () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, HOLDFAST_WORKERS: "on", HOLDFAST_SHUTDOWN_GRACE_MS: 10_000, HOLDFAST_SWEEP_EVERY_MS: 15_000 });
    expect(parseConfig({ ...valid, PORT: "8080", HOLDFAST_WORKERS: "off" })).toMatchObject({ PORT: 8080, HOLDFAST_WORKERS: "off" });
    expect(problems({ ...valid, PORT: "eighty" })).toContain("PORT must be a port number");
    expect(problems({ ...valid, HOLDFAST_WORKERS: "maybe" })).toContain("HOLDFAST_WORKERS must be on or off");
    expect(problems({ ...valid, HOLDFAST_MIRROR_EVERY_MS: "5" })).toContain("HOLDFAST_MIRROR_EVERY_MS must be at least 50");
  });

  it("documents every variable it reads, in .env.example and in the README's table", () => {
    const example = readFileSync(".env.example", "utf8");
    const readme = readFileSync("README.md", "utf8");
    const undocumented = CONFIG_VARIABLES.filter((name) => !new RegExp(`^${name}=`, "m").test(example) || !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
    expect(CONFIG_VARIABLES).toContain("HOLDFAST_INSTANCE_ID");
  });
});
