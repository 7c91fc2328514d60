// The merchant's choices for Holdfast's checkout page (Settings).
import db from "../db.server";

export async function readCheckoutRequiresPhone(shop: string): Promise<boolean> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { checkoutRequiresPhone: true } });
  return row?.checkoutRequiresPhone ?? false;
}

export async function saveCheckoutRequiresPhone(shop: string, required: boolean): Promise<void> {
  await db.shop.upsert({ where: { domain: shop }, create: { domain: shop, checkoutRequiresPhone: required }, update: { checkoutRequiresPhone: required } });
}
