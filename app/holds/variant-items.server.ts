// Which inventory item a variant draws on, and its product, as Shopify said when a hold was
// last resolved. The ledger counts inventory items; Shopify's checkout (and the validation
// Function, decision 021) sees variants: this is how one is named by the other.
import db from "../db.server";

export async function rememberVariantItems(shop: string, variants: { variantId: string; inventoryItemId: string; productId: string }[]) {
  // One upsert per variant: the mapping rarely changes, and when it does Shopify's word wins.
  for (const v of variants)
    await db.variantItem.upsert({
      where: { shop_variantId: { shop, variantId: v.variantId } },
      create: { shop, ...v },
      update: { inventoryItemId: v.inventoryItemId, productId: v.productId },
    });
}
