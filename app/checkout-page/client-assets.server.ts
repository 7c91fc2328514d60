// Where the checkout page's own script is: built by scripts/build-checkout-client.ts next to the
// server bundle (public/build/checkout/…, content-hashed, served immutable) with a manifest the
// server reads once. Without a build (a unit test of the route) the page simply has no script.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface CheckoutClientManifest {
  /** The script's public path, e.g. /build/checkout/checkout-3F2A….js */
  script: string;
  /** Its size, raw and gzipped (the bench reports them). */
  bytes: number;
  gzipBytes: number;
}

export const CHECKOUT_CLIENT_MANIFEST = join("build", "checkout-client.json");

let manifest: CheckoutClientManifest | null | undefined;
export function checkoutClient(): CheckoutClientManifest | null {
  if (manifest === undefined) {
    try {
      manifest = JSON.parse(readFileSync(join(process.cwd(), CHECKOUT_CLIENT_MANIFEST), "utf8")) as CheckoutClientManifest;
    } catch {
      manifest = null;
    }
  }
  return manifest;
}
