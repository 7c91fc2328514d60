import { ApiVersion } from "@shopify/shopify-api";

/** The one place the Shopify API version is pinned; shopify.app.toml must match (a test checks). */
export const SHOPIFY_API_VERSION = ApiVersion.October26;
