// External shipping rate providers: a carrier or a merchant's own service quotes rates for a
// cart, next to the merchant's rate table. The one implementation speaks Shopify's
// CarrierService callback format (POST { rate: { origin, destination, items, currency } } →
// { rates: [{ service_name, service_code, total_price (minor units as a string), currency }] }),
// so a service written for Shopify's checkout works here unchanged.
// See docs/decisions/012-carts.md.
import { createHash } from "node:crypto";
import { z } from "zod";
import db from "../db.server";
import { assertMinor, type Minor } from "../totals/money";
import { isSecureOrLocal } from "../lib/urls";
import { cartSettings, forgetCartSettings } from "../shop/cart-settings.server";
import type { ShippingRate } from "../totals/totals";

export interface RateRequest {
  currency: string;
  destination: { country: string; province?: string; city?: string; zip?: string; address1?: string };
  items: { variantId: string; productId: string; title: string; quantity: number; grams: number; price: Minor; requiresShipping: boolean }[];
}

export interface ShippingRateProvider {
  readonly id: string;
  /** Rates for this cart; throws when the provider cannot answer (the cart then shows the table's rates only). */
  quote(request: RateRequest): Promise<ShippingRate[]>;
}

const QUOTE_TIMEOUT_MS = 3_000;

const callbackAnswer = z.object({
  rates: z
    .array(
      z.object({
        service_name: z.string().min(1).max(120),
        service_code: z.string().min(1).max(120),
        total_price: z.string().regex(/^\d+$/, "total_price is whole minor units"),
        currency: z.string().length(3),
        description: z.string().optional(),
      }),
    )
    .max(50),
});

/** A service answering Shopify's CarrierService callback format at `url`. */
export class CarrierCallbackProvider implements ShippingRateProvider {
  readonly id: string;
  constructor(
    readonly url: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.id = `carrier:${new URL(url).host}`;
  }

  async quote(request: RateRequest): Promise<ShippingRate[]> {
    const body = {
      rate: {
        destination: {
          country: request.destination.country,
          province: request.destination.province ?? null,
          city: request.destination.city ?? null,
          postal_code: request.destination.zip ?? null,
          address1: request.destination.address1 ?? null,
        },
        items: request.items.map((i) => ({
          name: i.title,
          quantity: i.quantity,
          grams: i.grams,
          price: i.price,
          requires_shipping: i.requiresShipping,
          product_id: Number(i.productId.split("/").pop()),
          variant_id: Number(i.variantId.split("/").pop()),
        })),
        currency: request.currency,
        locale: "en",
      },
    };
    const res = await this.fetchImpl(this.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(QUOTE_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`rate provider ${this.id} answered ${res.status}`);
    const parsed = callbackAnswer.safeParse(await res.json());
    if (!parsed.success) throw new Error(`rate provider ${this.id} answered in an unknown format: ${parsed.error.issues[0]?.message}`);
    return parsed.data.rates
      .filter((r) => r.currency === request.currency)
      .map((r) => ({
        id: `carrier:${r.service_code}`,
        title: r.service_name,
        kind: "flat" as const,
        amount: assertMinor(Number(r.total_price), "total_price"),
      }));
  }
}

export const rateProviderUrlSchema = z
  .string()
  .trim()
  .url("the rate service address must be a URL")
  .refine(isSecureOrLocal, "the rate service must be https (or localhost while developing)");

export async function rateProviderOf(shop: string): Promise<ShippingRateProvider | null> {
  const { rateProviderUrl } = await cartSettings(shop);
  return rateProviderUrl ? new CarrierCallbackProvider(rateProviderUrl) : null;
}

export async function setRateProviderUrl(shop: string, input: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  const raw = typeof input === "string" ? input.trim() : "";
  if (raw === "") {
    await db.shop.upsert({ where: { domain: shop }, create: { domain: shop, rateProviderUrl: null }, update: { rateProviderUrl: null } });
    forgetCartSettings(shop);
    return { ok: true };
  }
  const parsed = rateProviderUrlSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  await db.shop.upsert({ where: { domain: shop }, create: { domain: shop, rateProviderUrl: parsed.data }, update: { rateProviderUrl: parsed.data } });
  forgetCartSettings(shop);
  return { ok: true };
}

const QUOTE_TTL_MS = 60_000;
const quotes = new Map<string, { rates: ShippingRate[]; at: number }>();

/**
 * The provider's rates for this cart as it is, cached a minute for the same request. A provider
 * that fails or is slow gives no rates (logged), never a failed cart.
 */
export async function quoteRates(shop: string, provider: ShippingRateProvider, request: RateRequest, now = Date.now()): Promise<ShippingRate[]> {
  const key = `${shop}|${provider.id}|${createHash("sha256").update(JSON.stringify(request)).digest("hex")}`;
  const hit = quotes.get(key);
  if (hit && now - hit.at < QUOTE_TTL_MS) return hit.rates;
  try {
    const rates = await provider.quote(request);
    quotes.set(key, { rates, at: now });
    return rates;
  } catch (error) {
    console.error(`shipping rates from ${provider.id} for ${shop}: ${(error as Error).message}`);
    return [];
  }
}
