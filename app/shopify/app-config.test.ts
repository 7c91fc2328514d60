import { describe, expect, it } from "vitest";
import { readAppToml } from "../../test/dev-store/app-toml";
import { DEFAULT_SCOPES } from "../config.server";
import { SHOPIFY_API_VERSION } from "./api-version";

describe("shopify.app.toml", () => {
  const toml = readAppToml();
  it("pins webhooks to the app's API version (2026-10)", () => {
    expect(SHOPIFY_API_VERSION).toBe("2026-10");
    expect(toml.webhooks?.api_version).toBe(SHOPIFY_API_VERSION);
  });

  it("declares uninstall, scopes update, inventory updates, new orders and the three compliance topics, each to its route", () => {
    const byTopic = Object.fromEntries(
      (toml.webhooks?.subscriptions ?? []).flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => [topic, s.uri])),
    );
    expect(byTopic).toEqual({
      "app/uninstalled": "/webhooks/app/uninstalled",
      "app/scopes_update": "/webhooks/app/scopes_update",
      "inventory_levels/update": "/webhooks/inventory_levels/update",
      "orders/create": "/webhooks/orders/create",
      "customers/data_request": "/webhooks/customers/data_request",
      "customers/redact": "/webhooks/customers/redact",
      "shop/redact": "/webhooks/shop/redact",
    });
  });

  it("asks for the scopes the app defaults to", () => {
    expect(toml.access_scopes?.scopes).toBe(DEFAULT_SCOPES);
  });
});
