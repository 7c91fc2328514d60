import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_SCOPES, parseConfig } from "./config.server";

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
});
