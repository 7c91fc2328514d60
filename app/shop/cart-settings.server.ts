// A shop's cart settings (totals mode, external rate service), read on every Cart API write or
// totals: kept 30 seconds per shop, and forgotten at once when this process saves a change.
import db from "../db.server";

export interface CartSettings {
  totalsMode: string;
  rateProviderUrl: string | null;
}

const TTL_MS = 30_000;
const cache = new Map<string, { settings: CartSettings; at: number }>();

export async function cartSettings(shop: string, now = Date.now()): Promise<CartSettings> {
  const hit = cache.get(shop);
  if (hit && now - hit.at < TTL_MS) return hit.settings;
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { totalsMode: true, rateProviderUrl: true } });
  const settings = { totalsMode: row?.totalsMode ?? "sync", rateProviderUrl: row?.rateProviderUrl ?? null };
  cache.set(shop, { settings, at: now });
  return settings;
}

export function forgetCartSettings(shop: string) {
  cache.delete(shop);
}
