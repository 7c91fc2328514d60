// Which inventory item a variant draws on, and its product, as Shopify said when a hold was
// last resolved. The ledger counts inventory items; Shopify's checkout (and the validation
// Function, decision 021) sees variants: this is how one is named by the other.
import db from "../db.server";

export async function rememberVariantItems(shop: string, variants: { variantId: string; inventoryItemId: string; productId: string }[]) {
  if (!variants.length) return;
  // On the hold path: one read, and a write only for a variant that is new or has moved (rare).
  const known = await db.variantItem.findMany({ where: { shop, variantId: { in: variants.map((v) => v.variantId) } } });
  const same = (v: (typeof variants)[number]) =>
    known.some((k) => k.variantId === v.variantId && k.inventoryItemId === v.inventoryItemId && k.productId === v.productId);
  for (const v of variants.filter((v) => !same(v)))
    await db.variantItem.upsert({
      where: { shop_variantId: { shop, variantId: v.variantId } },
      create: { shop, ...v },
      update: { inventoryItemId: v.inventoryItemId, productId: v.productId },
    });
}
