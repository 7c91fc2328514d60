// Reads shopify.app.toml as `shopify app deploy` would, for the dev store's app registration.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import type { AppRegistration } from "./store";

interface AppToml {
  access_scopes?: { scopes?: string };
  webhooks?: { api_version?: string; subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
}

export function readAppToml(root = process.cwd()): AppToml {
  return parse(readFileSync(join(root, "shopify.app.toml"), "utf8")) as AppToml;
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
  };
}
