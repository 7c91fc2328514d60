// Storefront API 2026-10 resolvers: the product facts a headless cart needs.
import { type Product, type Variant } from "./catalog";
import { gid, paginate, parseGid, type PageArgs } from "./graphql-support";
import { GraphQLError } from "graphql";
import { newToken, type DevCustomer, type ShopState } from "./store";

const CUSTOMER_TOKEN_TTL_MS = 30 * 24 * 3600_000;

export function storefrontRoot(shop: ShopState, granted: string[]) {
  const need = (scope: string, field: string) => {
    if (!granted.includes(scope))
      throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, { extensions: { code: "ACCESS_DENIED" } });
  };
  const customerView = (c: DevCustomer) => ({
    __typename: "Customer",
    id: gid("Customer", c.id),
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: `${c.firstName} ${c.lastName}`,
    phone: c.phone ?? null,
    defaultAddress: c.defaultAddress
      ? {
          __typename: "MailingAddress",
          id: gid("MailingAddress", c.id),
          firstName: c.firstName,
          lastName: c.lastName,
          address1: c.defaultAddress.address1,
          address2: null,
          city: c.defaultAddress.city,
          provinceCode: c.defaultAddress.provinceCode ?? null,
          zip: c.defaultAddress.zip,
          countryCodeV2: c.defaultAddress.countryCode,
        }
      : null,
  });
  const { catalog } = shop;
  const money = (amount: string) => ({ amount, currencyCode: shop.currencyCode });
  const available = (v: Variant) => catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId).reduce((s, l) => s + l.quantities.available, 0);
  const published = catalog.products.filter((p) => p.status === "ACTIVE");

  const variant = (v: Variant) => {
    const p = catalog.products.find((x) => x.id === v.productId)!;
    const quantity = available(v);
    return {
      __typename: "ProductVariant",
      id: gid("ProductVariant", v.id),
      title: v.title,
      sku: v.sku,
      price: money(v.price),
      compareAtPrice: v.compareAtPrice ? money(v.compareAtPrice) : null,
      quantityAvailable: quantity,
      availableForSale: v.inventoryPolicy === "CONTINUE" || quantity > 0,
      currentlyNotInStock: quantity <= 0,
      requiresShipping: v.requiresShipping,
      weight: v.weightGrams,
      weightUnit: "GRAMS",
      product: () => product(p),
    };
  };
  const product = (p: Product) => ({
    __typename: "Product",
    id: gid("Product", p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    availableForSale: p.variantIds.some((id) => variant(catalog.variants.find((v) => v.id === id)!).availableForSale),
    variants: (args: PageArgs) =>
      paginate(
        p.variantIds.map((id) => variant(catalog.variants.find((v) => v.id === id)!)),
        args,
      ),
  });
  const node = (id: unknown) => {
    const m = typeof id === "string" ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(id) : null;
    if (!m) return null;
    if (m[1] === "Product") {
      const p = published.find((x) => x.id === Number(m[2]));
      return p ? product(p) : null;
    }
    if (m[1] === "ProductVariant") {
      const v = catalog.variants.find((x) => x.id === Number(m[2]));
      return v ? variant(v) : null;
    }
    return null;
  };
  return {
    shop: () => ({
      __typename: "Shop",
      id: gid("Shop", shop.id),
      name: shop.name,
      brand: {
        __typename: "Brand",
        logo: shop.brand.logoUrl
          ? {
              __typename: "MediaImage",
              id: gid("MediaImage", shop.id),
              alt: shop.brand.logoAlt,
              image: { __typename: "Image", url: shop.brand.logoUrl, altText: shop.brand.logoAlt, width: 240, height: 80 },
            }
          : null,
        colors: {
          __typename: "BrandColors",
          primary: shop.brand.primary ? [{ __typename: "BrandColorGroup", ...shop.brand.primary }] : [],
          secondary: [],
        },
      },
      refundPolicy: shop.refundPolicy
        ? {
            __typename: "ShopPolicy",
            id: gid("ShopPolicy", shop.id),
            ...shop.refundPolicy,
            url: `https://${shop.domain}/policies/${shop.refundPolicy.handle}`,
          }
        : null,
    }),
    localization: () => ({
      __typename: "Localization",
      country: { __typename: "Country", isoCode: shop.countryCode, name: new Intl.DisplayNames(["en"], { type: "region" }).of(shop.countryCode) },
    }),
    customer: ({ customerAccessToken }: { customerAccessToken: string }) => {
      need("unauthenticated_read_customers", "customer");
      const token = shop.customerTokens.get(customerAccessToken);
      if (!token || token.expiresAt < Date.now()) return null;
      const c = shop.customers.find((x) => x.id === token.customerId);
      return c ? customerView(c) : null;
    },
    customerAccessTokenCreate: ({ input }: { input: { email: string; password: string } }) => {
      need("unauthenticated_write_customers", "customerAccessTokenCreate");
      const c = shop.customers.find((x) => x.email.toLowerCase() === input.email.trim().toLowerCase() && x.password === input.password);
      if (!c)
        return {
          customerAccessToken: null,
          customerUserErrors: [{ __typename: "CustomerUserError", field: ["input"], message: "Unidentified customer", code: "UNIDENTIFIED_CUSTOMER" }],
          userErrors: [{ field: ["input"], message: "Unidentified customer" }],
        };
      const accessToken = newToken("shcat").replace("shcat_", "");
      const expiresAt = Date.now() + CUSTOMER_TOKEN_TTL_MS;
      shop.customerTokens.set(accessToken, { customerId: c.id, expiresAt });
      return {
        customerAccessToken: { __typename: "CustomerAccessToken", accessToken, expiresAt: new Date(expiresAt).toISOString() },
        customerUserErrors: [],
        userErrors: [],
      };
    },
    customerAccessTokenDelete: ({ customerAccessToken }: { customerAccessToken: string }) => {
      const existed = shop.customerTokens.delete(customerAccessToken);
      return { deletedAccessToken: existed ? customerAccessToken : null, deletedCustomerAccessTokenId: null, userErrors: [] };
    },
    products: (args: PageArgs) => paginate(published.map(product), args),
    product: ({ id, handle }: { id?: string; handle?: string }) => {
      const p = id ? published.find((x) => x.id === parseGid(id, "Product")) : published.find((x) => x.handle === handle);
      return p ? product(p) : null;
    },
    node: ({ id }: { id: string }) => node(id),
    nodes: ({ ids }: { ids: string[] }) => ids.map(node),
  };
}
