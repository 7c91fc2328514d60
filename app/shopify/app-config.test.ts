import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { HOLD_METAFIELD, STATE_METAFIELD, VALIDATION_FUNCTION_HANDLE } from "../../extensions/holdfast-validation/src/contract";
import { readAppToml } from "../../test/dev-store/app-toml";
import { DEFAULT_SCOPES } from "../config.server";
import { SHOPIFY_API_VERSION } from "./api-version";

interface ExtensionToml {
  api_version?: string;
  extensions?: {
    handle?: string;
    type?: string;
    capabilities?: { network_access?: boolean };
    targeting?: { target?: string; module?: string; export?: string; input_query?: string }[];
  }[];
}

describe("shopify.app.toml", () => {
  const toml = readAppToml();
  it("pins webhooks to the app's API version (2026-10)", () => {
    expect(SHOPIFY_API_VERSION).toBe("2026-10");
    expect(toml.webhooks?.api_version).toBe(SHOPIFY_API_VERSION);
  });

  it("declares uninstall, scopes update, inventory updates, new orders, shop updates and the three compliance topics, each to its route", () => {
    const byTopic = Object.fromEntries(
      (toml.webhooks?.subscriptions ?? []).flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => [topic, s.uri])),
    );
    expect(byTopic).toEqual({
      "app/uninstalled": "/webhooks/app/uninstalled",
      "app/scopes_update": "/webhooks/app/scopes_update",
      "inventory_levels/update": "/webhooks/inventory_levels/update",
      "orders/create": "/webhooks/orders/create",
      "shop/update": "/webhooks/shop/update",
      "customers/data_request": "/webhooks/customers/data_request",
      "customers/redact": "/webhooks/customers/redact",
      "shop/redact": "/webhooks/shop/redact",
    });
  });

  it("declares the app proxy the theme path uses, to routes that exist", () => {
    const proxy = (toml as { app_proxy?: { url: string; subpath: string; prefix: string } }).app_proxy;
    expect(proxy).toEqual({ url: "https://holdfast.example.com/proxy", subpath: "holdfast", prefix: "apps" });
    expect(existsSync("app/routes/proxy.holds.tsx")).toBe(true);
  });

  it("asks for the scopes the app defaults to", () => {
    expect(toml.access_scopes?.scopes).toBe(DEFAULT_SCOPES);
  });
});

describe("the extensions' configuration, against the code", () => {
  const read = (path: string) => readFileSync(path, "utf8");
  const tomls = readdirSync("extensions")
    .filter((d) => existsSync(join("extensions", d, "shopify.extension.toml")))
    .map((d) => ({ dir: d, toml: parse(read(join("extensions", d, "shopify.extension.toml"))) as ExtensionToml }));

  it("each extension has a TOML whose handle is its folder's name, and handles are unique", () => {
    expect(tomls.map((t) => t.dir).sort()).toEqual(["holdfast-checkout", "holdfast-theme", "holdfast-validation"]);
    for (const { dir, toml } of tomls) if (toml.extensions) expect(toml.extensions.map((e) => e.handle)).toEqual([dir]);
  });

  it("the theme embed is a theme app extension calling the app proxy shopify.app.toml declares, on a route that exists", () => {
    const theme = tomls.find((t) => t.dir === "holdfast-theme")!;
    expect((theme.toml as { type?: string }).type).toBe("theme");
    const block = read("extensions/holdfast-theme/blocks/reservation.liquid");
    const schema = JSON.parse(/\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(block)![1]);
    expect(schema).toMatchObject({ target: "body", javascript: "reservation.js", stylesheet: "reservation.css" });
    for (const asset of [schema.javascript, schema.stylesheet]) expect(existsSync(`extensions/holdfast-theme/assets/${asset}`), asset).toBe(true);
    const proxy = (readAppToml() as { app_proxy?: { subpath: string; prefix: string } }).app_proxy!;
    expect(block).toContain(`append: '/${proxy.prefix}/${proxy.subpath}/holds'`);
    expect(existsSync("app/routes/proxy.holds.tsx")).toBe(true);
    // Every setting the block reads is declared in its schema, with the words the shopper sees.
    const read_ = [...block.matchAll(/block\.settings\.(\w+)/g)].map((m) => m[1]);
    expect(new Set(read_)).toEqual(new Set(schema.settings.map((x: { id: string }) => x.id)));
  });

  it("the Function runs on the app's API version, under the handle the app creates its validation with", () => {
    const fn = tomls.find((t) => t.toml.extensions?.[0].type === "function")!;
    expect(fn.toml.api_version).toBe(SHOPIFY_API_VERSION);
    expect(fn.toml.extensions?.[0].handle).toBe(VALIDATION_FUNCTION_HANDLE);
    const targeting = fn.toml.extensions![0].targeting![0];
    expect(targeting).toMatchObject({ target: "cart.validations.generate.run", export: "cart-validations-generate-run" });
    // The metafields the input query reads are the ones the app and the extension write.
    const query = read(join("extensions", fn.dir, targeting.input_query!));
    expect(query).toContain(`metafield(namespace: "${HOLD_METAFIELD.namespace}", key: "${HOLD_METAFIELD.key}")`);
    expect(query).toContain(`metafield(namespace: "${STATE_METAFIELD.namespace}", key: "${STATE_METAFIELD.key}")`);
  });

  it("the checkout extension is on API 2026-07 (decision 020), may call the app, and calls routes that exist", () => {
    const ui = tomls.find((t) => t.toml.extensions?.[0].type === "ui_extension")!;
    expect(ui.toml.api_version).toBe("2026-07");
    expect(ui.toml.extensions?.[0].capabilities?.network_access).toBe(true);
    for (const { module } of ui.toml.extensions![0].targeting!) expect(existsSync(join("extensions", ui.dir, module!)), module).toBe(true);
    const sources = readdirSync(join("extensions", ui.dir, "src"))
      .map((f) => read(join("extensions", ui.dir, "src", f)))
      .join("\n");
    expect(sources).not.toContain("@shopify/ui-extensions-react");
    // Each address the extension calls, with its parameters as route segments, is a route file.
    const called = [...sources.matchAll(/`\$\{APP_URL\}(\/[^`]*)`/g)].map((m) => m[1].replace(/\$\{[^}]*\}/g, "$checkoutToken"));
    expect([...new Set(called)].sort()).toEqual(["/api/checkout/holds", "/api/checkout/holds/$checkoutToken", "/api/checkout/holds/$checkoutToken/extend"]);
    for (const path of new Set(called)) expect(existsSync(`app/routes/${path.slice(1).replaceAll("/", ".")}.tsx`), path).toBe(true);
  });

  it("asks for the scope the validation needs, each scope once", () => {
    const scopes = DEFAULT_SCOPES.split(",");
    expect(scopes).toContain("write_validations");
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});
