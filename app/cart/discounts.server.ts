// Discount codes come from the merchant's Shopify discounts (Admin API, read_discounts), read
// by code and cached briefly, so a code a merchant ends in Shopify stops applying within a
// minute. See docs/decisions/013-discount-codes.md.
import { unauthenticated } from "../shopify.server";
import { adminGraphql, requestRetryPolicy } from "../shopify/admin-graphql.server";
import { singleFlight } from "../lib/single-flight";
import { fractionToBasisPoints, parseDecimal } from "../totals/money";
import type { DiscountRule } from "./discounts";

export const CART_DISCOUNT_CODE_QUERY = `#graphql
  query CartDiscountCode($code: String!, $productsAfter: String, $variantsAfter: String) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          status
          usageLimit
          asyncUsageCount
          discountClasses
          combinesWith { orderDiscounts productDiscounts shippingDiscounts }
          context { __typename }
          minimumRequirement { ...CartDiscountMinimum }
          customerGets {
            value {
              __typename
              ... on DiscountPercentage { percentage }
              ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem }
            }
            items { ...CartDiscountItems }
          }
        }
        ... on DiscountCodeFreeShipping {
          title
          status
          usageLimit
          asyncUsageCount
          combinesWith { orderDiscounts productDiscounts shippingDiscounts }
          context { __typename }
          minimumRequirement { ...CartDiscountMinimum }
          maximumShippingPrice { amount currencyCode }
          destinationSelection {
            __typename
            ... on DiscountCountries { countries includeRestOfWorld }
          }
        }
        ... on DiscountCodeBxgy { title status }
        ... on DiscountCodeApp { title status }
      }
    }
  }
  fragment CartDiscountItems on DiscountItems {
    __typename
    ... on DiscountProducts {
      products(first: 25, after: $productsAfter) { nodes { id } pageInfo { hasNextPage endCursor } }
      productVariants(first: 25, after: $variantsAfter) { nodes { id } pageInfo { hasNextPage endCursor } }
    }
  }
  fragment CartDiscountMinimum on DiscountMinimumRequirement {
    __typename
    ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount currencyCode } }
    ... on DiscountMinimumQuantity { greaterThanOrEqualToQuantity }
  }
`;

interface Money {
  amount: string;
  currencyCode: string;
}
type Minimum =
  | { __typename: "DiscountMinimumSubtotal"; greaterThanOrEqualToSubtotal: Money }
  | { __typename: "DiscountMinimumQuantity"; greaterThanOrEqualToQuantity: string }
  | null;
interface Common {
  title: string;
  status: string;
  usageLimit: number | null;
  asyncUsageCount: number;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  context: { __typename: string };
  minimumRequirement: Minimum;
}
type CodeDiscount =
  | ({
      __typename: "DiscountCodeBasic";
      discountClasses: string[];
      customerGets: {
        value:
          | { __typename: "DiscountPercentage"; percentage: number }
          | { __typename: "DiscountAmount"; amount: Money; appliesOnEachItem: boolean }
          | { __typename: string };
        items: { __typename: "DiscountProducts"; products: { nodes: { id: string }[] }; productVariants: { nodes: { id: string }[] } } | { __typename: string };
      };
    } & Common)
  | ({
      __typename: "DiscountCodeFreeShipping";
      maximumShippingPrice: Money | null;
      destinationSelection: { __typename: string; countries?: string[]; includeRestOfWorld?: boolean };
    } & Common)
  | { __typename: "DiscountCodeBxgy" | "DiscountCodeApp"; title: string; status: string };

export type DiscountLookup = { ok: true; rule: DiscountRule } | { ok: false; code: DiscountRefusal; message: string };
export type DiscountRefusal =
  "discount_code_unknown" | "discount_code_inactive" | "discount_code_used_up" | "discount_code_not_eligible" | "discount_code_not_supported";

/** Shopify's code discount, as a rule Holdfast applies, or why it cannot be used. Pure. */
export function toDiscountRule(code: string, node: { codeDiscount: CodeDiscount } | null, currency: string): DiscountLookup {
  if (!node) return { ok: false, code: "discount_code_unknown", message: `${code} is not a valid discount code` };
  const d = node.codeDiscount;
  if (d.status !== "ACTIVE")
    return { ok: false, code: "discount_code_inactive", message: `${code} ${d.status === "SCHEDULED" ? "is not active yet" : "has expired"}` };
  if (d.__typename === "DiscountCodeBxgy" || d.__typename === "DiscountCodeApp")
    return {
      ok: false,
      code: "discount_code_not_supported",
      message: `${code} (${d.title}) is a kind of discount Holdfast carts cannot apply yet; it can be used in Shopify's checkout`,
    };
  const c = d as Common;
  if (c.usageLimit !== null && c.asyncUsageCount >= c.usageLimit)
    return { ok: false, code: "discount_code_used_up", message: `${code} has been used as many times as it allows` };
  if (c.context.__typename !== "DiscountBuyerSelectionAll")
    return { ok: false, code: "discount_code_not_eligible", message: `${code} is only for selected customers` };
  const unsupported = (why: string): DiscountLookup => ({ ok: false, code: "discount_code_not_supported", message: `${code}: ${why}` });
  const money = (m: Money) => (m.currencyCode === currency ? parseDecimal(m.amount, currency) : null);
  const base = {
    code,
    title: c.title,
    combinesWith: { order: c.combinesWith.orderDiscounts, product: c.combinesWith.productDiscounts, shipping: c.combinesWith.shippingDiscounts },
  };
  const minimum: Partial<DiscountRule> = {};
  if (c.minimumRequirement?.__typename === "DiscountMinimumSubtotal") {
    const amount = money(c.minimumRequirement.greaterThanOrEqualToSubtotal);
    if (amount === null) return unsupported(`its minimum is in ${c.minimumRequirement.greaterThanOrEqualToSubtotal.currencyCode}, the cart in ${currency}`);
    minimum.minimumSubtotal = amount;
  } else if (c.minimumRequirement?.__typename === "DiscountMinimumQuantity") {
    minimum.minimumQuantity = Number.parseInt(c.minimumRequirement.greaterThanOrEqualToQuantity, 10);
  }
  if (d.__typename === "DiscountCodeFreeShipping") {
    const max = d.maximumShippingPrice ? money(d.maximumShippingPrice) : undefined;
    if (max === null) return unsupported(`its shipping limit is in ${d.maximumShippingPrice!.currencyCode}, the cart in ${currency}`);
    const countries =
      d.destinationSelection.__typename === "DiscountCountries" && !d.destinationSelection.includeRestOfWorld ? (d.destinationSelection.countries ?? []) : null;
    return { ok: true, rule: { ...base, ...minimum, class: "shipping", ...(max !== undefined ? { maximumShippingPrice: max } : {}), countries } };
  }
  const basic = d as Extract<CodeDiscount, { __typename: "DiscountCodeBasic" }>;
  const value = basic.customerGets.value;
  let discount: DiscountRule["value"];
  let appliesOnEachItem = false;
  if (value.__typename === "DiscountPercentage" && "percentage" in value) {
    try {
      discount = { kind: "percent", basisPoints: fractionToBasisPoints(value.percentage) };
    } catch {
      return unsupported(`a percentage of ${value.percentage} is finer than 0.01%`);
    }
  } else if (value.__typename === "DiscountAmount" && "amount" in value) {
    const amount = money(value.amount);
    if (amount === null) return unsupported(`its amount is in ${value.amount.currencyCode}, the cart in ${currency}`);
    discount = { kind: "amount", amount };
    appliesOnEachItem = value.appliesOnEachItem;
  } else return unsupported("a quantity-based value");
  const items = basic.customerGets.items;
  if (basic.discountClasses.includes("ORDER") && items.__typename === "AllDiscountItems")
    return { ok: true, rule: { ...base, ...minimum, class: "order", value: discount } };
  if (items.__typename === "DiscountProducts" && "products" in items)
    return {
      ok: true,
      rule: {
        ...base,
        ...minimum,
        class: "product",
        value: discount,
        appliesOnEachItem,
        productIds: items.products.nodes.map((n) => n.id),
        variantIds: items.productVariants.nodes.map((n) => n.id),
      },
    };
  if (items.__typename === "AllDiscountItems") return { ok: true, rule: { ...base, ...minimum, class: "order", value: discount } };
  return unsupported("discounts on collections are not applied in Holdfast carts yet");
}

/** The rest of a product discount's entitled products and variants, a page at a time. */
export const CART_DISCOUNT_ITEMS_QUERY = `#graphql
  query CartDiscountItems($id: ID!, $productsAfter: String, $variantsAfter: String) {
    codeDiscountNode(id: $id) {
      codeDiscount {
        ... on DiscountCodeBasic { customerGets { items { ...CartDiscountItems } } }
      }
    }
  }
  fragment CartDiscountItems on DiscountItems {
    __typename
    ... on DiscountProducts {
      products(first: 25, after: $productsAfter) { nodes { id } pageInfo { hasNextPage endCursor } }
      productVariants(first: 25, after: $variantsAfter) { nodes { id } pageInfo { hasNextPage endCursor } }
    }
  }
`;

interface Page {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface ProductItems {
  __typename: "DiscountProducts";
  products: Page;
  productVariants: Page;
}

/** Follows the entitled products' and variants' pages, so a discount on many products is read whole. */
async function readAllItems(admin: Parameters<typeof adminGraphql>[0], id: string, first: ProductItems): Promise<ProductItems> {
  const products = [...first.products.nodes];
  const variants = [...first.productVariants.nodes];
  let p = first.products.pageInfo;
  let v = first.productVariants.pageInfo;
  while (p.hasNextPage || v.hasNextPage) {
    const { data } = await adminGraphql<{ codeDiscountNode: { codeDiscount: { customerGets: { items: ProductItems } } } | null }>(
      admin,
      CART_DISCOUNT_ITEMS_QUERY,
      {
        id,
        productsAfter: p.hasNextPage ? p.endCursor : null,
        variantsAfter: v.hasNextPage ? v.endCursor : null,
      },
      requestRetryPolicy,
    );
    const items = data.codeDiscountNode?.codeDiscount.customerGets.items;
    if (!items) break;
    if (p.hasNextPage) products.push(...items.products.nodes);
    if (v.hasNextPage) variants.push(...items.productVariants.nodes);
    p = p.hasNextPage ? items.products.pageInfo : p;
    v = v.hasNextPage ? items.productVariants.pageInfo : v;
  }
  const done = { hasNextPage: false, endCursor: null };
  return { __typename: "DiscountProducts", products: { nodes: products, pageInfo: done }, productVariants: { nodes: variants, pageInfo: done } };
}

export const DISCOUNT_TTL_MS = 30_000;
const cache = new Map<string, { lookup: DiscountLookup; at: number }>();

/** Normalises what a shopper typed: Shopify codes are case-insensitive. */
export const normalizeCode = (code: string) => code.trim().toUpperCase();

const lookups = singleFlight<DiscountLookup>();

/** The shop's discount for this code (cached 30 s; one query at a time per code). */
export async function lookupDiscountCode(shop: string, code: string, currency: string, now = Date.now()): Promise<DiscountLookup> {
  const key = `${shop}|${currency}|${normalizeCode(code)}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < DISCOUNT_TTL_MS) return hit.lookup;
  return lookups(key, () => queryDiscountCode(shop, code, currency, key, now));
}

async function queryDiscountCode(shop: string, code: string, currency: string, key: string, now: number): Promise<DiscountLookup> {
  const { admin } = await unauthenticated.admin(shop);
  const { data } = await adminGraphql<{ codeDiscountNodeByCode: { id: string; codeDiscount: CodeDiscount } | null }>(
    admin,
    CART_DISCOUNT_CODE_QUERY,
    { code: normalizeCode(code) },
    requestRetryPolicy,
  );
  const node = data.codeDiscountNodeByCode;
  const items = node && "customerGets" in node.codeDiscount ? node.codeDiscount.customerGets.items : null;
  if (node && items?.__typename === "DiscountProducts" && "products" in items) {
    const all = await readAllItems(admin, node.id, items as ProductItems);
    (node.codeDiscount as { customerGets: { items: unknown } }).customerGets.items = all;
  }
  const lookup = toDiscountRule(normalizeCode(code), node, currency);
  cache.set(key, { lookup, at: now });
  return lookup;
}

export function forgetDiscountCodes(shop?: string) {
  for (const key of cache.keys()) if (!shop || key.startsWith(`${shop}|`)) cache.delete(key);
}
