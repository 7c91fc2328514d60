// Storefront API 2026-10 resolvers: the product facts a headless cart needs.
import { type Product, type Variant } from "./catalog";
import { gid, paginate, parseGid, type PageArgs } from "./graphql-support";
import type { ShopState } from "./store";

export function storefrontRoot(shop: ShopState) {
  const { catalog } = shop;
  const money = (amount: string) => ({ amount, currencyCode: shop.currencyCode });
  const available = (v: Variant) => catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId).reduce((s, l) => s + l.quantities.available, 0);
  const published = catalog.products.filter((p) => p.status === "ACTIVE");

  const variant = (v: Variant) => {
    const p = catalog.products.find((x) => x.id === v.productId)!;
    const quantity = available(v);
    return {
      __typename: "ProductVariant", id: gid("ProductVariant", v.id), title: v.title, sku: v.sku, price: money(v.price),
      compareAtPrice: v.compareAtPrice ? money(v.compareAtPrice) : null, quantityAvailable: quantity,
      availableForSale: v.inventoryPolicy === "CONTINUE" || quantity > 0, currentlyNotInStock: quantity <= 0,
      requiresShipping: v.requiresShipping, weight: v.weightGrams, weightUnit: "GRAMS", product: () => product(p),
    };
  };
  const product = (p: Product) => ({
    __typename: "Product", id: gid("Product", p.id), title: p.title, handle: p.handle, vendor: p.vendor,
    productType: p.productType, tags: p.tags,
    availableForSale: p.variantIds.some((id) => variant(catalog.variants.find((v) => v.id === id)!).availableForSale),
    variants: (args: PageArgs) => paginate(p.variantIds.map((id) => variant(catalog.variants.find((v) => v.id === id)!)), args),
  });
  const node = (id: unknown) => {
    const m = typeof id === "string" ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(id) : null;
    if (!m) return null;
    if (m[1] === "Product") { const p = published.find((x) => x.id === Number(m[2])); return p ? product(p) : null; }
    if (m[1] === "ProductVariant") { const v = catalog.variants.find((x) => x.id === Number(m[2])); return v ? variant(v) : null; }
    return null;
  };
  return {
    shop: () => ({ __typename: "Shop", id: gid("Shop", shop.id), name: shop.name }),
    products: (args: PageArgs) => paginate(published.map(product), args),
    product: ({ id, handle }: { id?: string; handle?: string }) => {
      const p = id ? published.find((x) => x.id === parseGid(id, "Product")) : published.find((x) => x.handle === handle);
      return p ? product(p) : null;
    },
    node: ({ id }: { id: string }) => node(id),
    nodes: ({ ids }: { ids: string[] }) => ids.map(node),
  };
}
