// Code discounts as the Admin API describes them (DiscountCodeBasic, DiscountCodeFreeShipping,
// DiscountCodeBxgy), seeded per shop so every kind of answer can be exercised: active codes of
// each class, a minimum subtotal, an expired code, one used up, one for chosen customers only,
// and a buy-X-get-Y code. Tests may push more into `shop.discounts`.
import type { Catalog } from "./catalog";
import { gid, paginate, type PageArgs } from "./graphql-support";

export interface DevDiscount {
  id: number;
  code: string;
  title: string;
  kind: "basic" | "free_shipping" | "bxgy";
  /** basic: PRODUCT (specific items) or ORDER (all items). */
  discountClass: "PRODUCT" | "ORDER" | "SHIPPING";
  value?: { percentage: number } | { amount: string; appliesOnEachItem: boolean };
  /** basic PRODUCT discounts: the entitled products and variants (numeric ids). */
  productIds?: number[];
  variantIds?: number[];
  minimumSubtotal?: string;
  minimumQuantity?: number;
  maximumShippingPrice?: string;
  countries?: string[];
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  asyncUsageCount: number;
  customerIds?: number[];
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export function seedDiscounts(catalog: Catalog): DevDiscount[] {
  const started = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const all = { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true };
  const [first, second] = catalog.products;
  return [
    {
      id: 1,
      code: "WELCOME10",
      title: "10% off your order",
      kind: "basic",
      discountClass: "ORDER",
      value: { percentage: 0.1 },
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: all,
    },
    {
      id: 2,
      code: "TAKE5",
      title: "5 off orders of 50 or more",
      kind: "basic",
      discountClass: "ORDER",
      value: { amount: "5.00", appliesOnEachItem: false },
      minimumSubtotal: "50.00",
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: all,
    },
    {
      id: 3,
      code: "DECK20",
      title: "20% off two products",
      kind: "basic",
      discountClass: "PRODUCT",
      value: { percentage: 0.2 },
      productIds: [first.id, second.id],
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true },
    },
    {
      id: 4,
      code: "TWOOFF",
      title: "2 off each unit of one variant",
      kind: "basic",
      discountClass: "PRODUCT",
      value: { amount: "2.00", appliesOnEachItem: true },
      variantIds: [first.variantIds[0]],
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true },
    },
    {
      id: 5,
      code: "FREESHIP",
      title: "Free shipping over 30",
      kind: "free_shipping",
      discountClass: "SHIPPING",
      minimumSubtotal: "30.00",
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
    },
    {
      id: 6,
      code: "SUMMER25",
      title: "Summer sale (ended)",
      kind: "basic",
      discountClass: "ORDER",
      value: { percentage: 0.25 },
      startsAt: started,
      endsAt: new Date(Date.UTC(2026, 8, 1)).toISOString(),
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: all,
    },
    {
      id: 7,
      code: "ONCEONLY",
      title: "Single use",
      kind: "basic",
      discountClass: "ORDER",
      value: { percentage: 0.5 },
      startsAt: started,
      endsAt: null,
      usageLimit: 1,
      asyncUsageCount: 1,
      combinesWith: all,
    },
    {
      id: 8,
      code: "VIPONLY",
      title: "For chosen customers",
      kind: "basic",
      discountClass: "ORDER",
      value: { percentage: 0.3 },
      customerIds: [1],
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: all,
    },
    {
      id: 9,
      code: "BUY2GET1",
      title: "Buy two, get one",
      kind: "bxgy",
      discountClass: "PRODUCT",
      startsAt: started,
      endsAt: null,
      usageLimit: null,
      asyncUsageCount: 0,
      combinesWith: all,
    },
  ];
}

const money = (amount: string, currencyCode: string) => ({ __typename: "MoneyV2", amount, currencyCode });

function status(d: DevDiscount, now = Date.now()) {
  if (Date.parse(d.startsAt) > now) return "SCHEDULED";
  if (d.endsAt && Date.parse(d.endsAt) <= now) return "EXPIRED";
  return "ACTIVE";
}

const emptyConnection = { nodes: [], edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
const connection = <T>(nodes: T[]) => ({
  nodes,
  edges: nodes.map((node, i) => ({ node, cursor: String(i) })),
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
});

/** The DiscountCodeNode view of a discount (graphql-js reads these properties). */
export function discountCodeNode(d: DevDiscount, currencyCode: string) {
  const common = {
    title: d.title,
    status: status(d),
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    usageLimit: d.usageLimit,
    asyncUsageCount: d.asyncUsageCount,
    createdAt: d.startsAt,
    updatedAt: d.startsAt,
    summary: d.title,
    shortSummary: d.title,
    appliesOncePerCustomer: false,
    tags: [],
    combinesWith: { __typename: "DiscountCombinesWith", ...d.combinesWith, productDiscountsWithTagsOnSameCartLine: [] },
    context: d.customerIds
      ? { __typename: "DiscountCustomers", customers: d.customerIds.map((id) => ({ __typename: "Customer", id: gid("Customer", id) })) }
      : { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
    minimumRequirement: d.minimumSubtotal
      ? { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: money(d.minimumSubtotal, currencyCode) }
      : d.minimumQuantity
        ? { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: String(d.minimumQuantity) }
        : null,
    codesCount: { count: 1, precision: "EXACT" },
    codes: () => connection([{ __typename: "DiscountRedeemCode", id: gid("DiscountRedeemCode", d.id), code: d.code, asyncUsageCount: d.asyncUsageCount }]),
  };
  const items =
    d.productIds || d.variantIds
      ? {
          __typename: "DiscountProducts",
          products: (args: PageArgs) =>
            paginate(
              (d.productIds ?? []).map((id) => ({ __typename: "Product", id: gid("Product", id) })),
              args,
            ),
          productVariants: (args: PageArgs) =>
            paginate(
              (d.variantIds ?? []).map((id) => ({ __typename: "ProductVariant", id: gid("ProductVariant", id) })),
              args,
            ),
        }
      : { __typename: "AllDiscountItems", allItems: true };
  const value = !d.value
    ? null
    : "percentage" in d.value
      ? { __typename: "DiscountPercentage", percentage: d.value.percentage }
      : { __typename: "DiscountAmount", amount: money(d.value.amount, currencyCode), appliesOnEachItem: d.value.appliesOnEachItem };
  const codeDiscount =
    d.kind === "free_shipping"
      ? {
          __typename: "DiscountCodeFreeShipping",
          ...common,
          discountClass: "SHIPPING",
          discountClasses: ["SHIPPING"],
          appliesOnOneTimePurchase: true,
          appliesOnSubscription: false,
          maximumShippingPrice: d.maximumShippingPrice ? money(d.maximumShippingPrice, currencyCode) : null,
          destinationSelection: d.countries
            ? { __typename: "DiscountCountries", countries: d.countries, includeRestOfWorld: false }
            : { __typename: "DiscountCountryAll", allCountries: true },
        }
      : d.kind === "bxgy"
        ? {
            __typename: "DiscountCodeBxgy",
            ...common,
            discountClass: "PRODUCT",
            discountClasses: ["PRODUCT"],
            customerBuys: null,
            customerGets: {
              __typename: "DiscountCustomerGets",
              items,
              value: { __typename: "DiscountOnQuantity" },
              appliesOnOneTimePurchase: true,
              appliesOnSubscription: false,
            },
          }
        : {
            __typename: "DiscountCodeBasic",
            ...common,
            discountClass: d.discountClass,
            discountClasses: [d.discountClass],
            customerGets: { __typename: "DiscountCustomerGets", items, value, appliesOnOneTimePurchase: true, appliesOnSubscription: false },
          };
  return { __typename: "DiscountCodeNode", id: gid("DiscountCodeNode", d.id), codeDiscount, events: emptyConnection };
}
