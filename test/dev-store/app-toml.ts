// Reads shopify.app.toml as `shopify app deploy` would, for the dev store's app registration.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import type { AppRegistration } from "./store";

interface AppToml {
  access_scopes?: { scopes?: string };
  app_proxy?: { url: string; subpath: string; prefix: string };
  webhooks?: { api_version?: string; subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
}

export function readAppToml(root = process.cwd()): AppToml {
  return parse(readFileSync(join(root, "shopify.app.toml"), "utf8")) as AppToml;
}

interface ExtensionToml {
  api_version?: string;
  extensions?: { name?: string; handle?: string; type?: string; targeting?: { target?: string; input_query?: string; export?: string }[] }[];
}

/** The app's Functions, from extensions/<name>/shopify.extension.toml, as `shopify app deploy` finds them. */
export function functionsFromExtensions(root = process.cwd()): NonNullable<AppRegistration["functions"]> {
  const dir = join(root, "extensions");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name, "shopify.extension.toml");
    if (!existsSync(file)) return [];
    const toml = parse(readFileSync(file, "utf8")) as ExtensionToml;
    return (toml.extensions ?? [])
      .filter((e) => e.type === "function" && e.handle)
      .map((e) => ({
        handle: e.handle!,
        title: e.name ?? e.handle!,
        // The Function API a target belongs to: cart.validations.* is cart and checkout validation.
        apiType: e.targeting?.some((t) => t.target?.startsWith("cart.validations.")) ? "cart_checkout_validation" : "unknown",
        apiVersion: toml.api_version ?? "",
        // Where its source is, and each target's input query and export: the dev store's
        // checkout builds and runs it as Shopify runs the deployed Wasm (test/dev-store/checkout.ts).
        dir: join(dir, name),
        targets: (e.targeting ?? []).map((t) => ({ target: t.target ?? "", inputQuery: join(dir, name, t.input_query ?? ""), export: t.export ?? "" })),
      }));
  });
}

export function appRegistrationFromToml(o: { apiKey: string; apiSecret: string; appUrl: string; root?: string }): AppRegistration {
  const toml = readAppToml(o.root);
  const apiVersion = toml.webhooks?.api_version ?? "2026-10";
  return {
    apiKey: o.apiKey,
    apiSecret: o.apiSecret,
    appUrl: o.appUrl,
    scopes: (toml.access_scopes?.scopes ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    webhooks: (toml.webhooks?.subscriptions ?? []).map((s) => ({
      topics: [...(s.topics ?? []), ...(s.compliance_topics ?? [])],
      uri: s.uri,
      apiVersion,
    })),
    functions: functionsFromExtensions(o.root),
    ...(toml.app_proxy ? { appProxy: { prefix: toml.app_proxy.prefix, subpath: toml.app_proxy.subpath, path: new URL(toml.app_proxy.url).pathname } } : {}),
  };
}
