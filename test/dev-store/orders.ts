// Orders made through the Admin API (`orderCreate`, `orderCancel`, `order`), as a headless
// checkout creates them: explicit prices, tax and shipping lines, a payment transaction, and an
// inventory behaviour (BYPASS, DECREMENT_IGNORING_POLICY, DECREMENT_OBEYING_POLICY). Creating one
// commits stock as Shopify does and sends orders/create; `@idempotent` keys replay the outcome.
import { createHash } from "node:crypto";
import type { InventoryLevel } from "./catalog";
import { gid, parseGid } from "./graphql-support";
import type { DevStoreState, ShopState } from "./store";

type Money = { amount: string; currencyCode: string };
type MoneyBag = { shopMoney: Money; presentmentMoney?: Money };

export interface DevOrder {
  id: number;
  name: string;
  email: string | null;
  currency: string;
  lineItems: { id: number; variantId: number; title: string; quantity: number; price: string; taxLines: { title: string; rate: string; price: string }[] }[];
  shippingLines: { title: string; price: string; code: string | null }[];
  taxLines: { title: string; rate: string; price: string }[];
  transactions: { kind: string; status: string; gateway: string; amount: string; authorizationCode: string | null }[];
  financialStatus: string;
  sourceIdentifier: string | null;
  sourceName: string | null;
  createdAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  subtotal: string;
  totalTax: string;
  totalShipping: string;
  total: string;
  taxesIncluded: boolean;
  /** Where each line's units were committed, to restock on cancel. */
  committed: { level: InventoryLevel; quantity: number }[];
  /** Orders from the Online Store checkout carry its checkout's and its cart's tokens. */
  checkoutToken: string | null;
  cartToken: string | null;
}

// Decimal strings in cents: the dev store's own arithmetic stays exact.
const cents = (amount: string) => {
  const [whole, fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Math.sign(Number(whole) || 1) * Number((fraction + "00").slice(0, 2));
};
const decimal = (c: number) => `${Math.trunc(c / 100)}.${String(Math.abs(c % 100)).padStart(2, "0")}`;

type OrderInput = {
  currency?: string;
  email?: string;
  lineItems?: {
    variantId?: string;
    quantity: number;
    priceSet?: MoneyBag;
    title?: string;
    taxLines?: { title: string; rate: string; priceSet?: MoneyBag }[];
  }[];
  shippingLines?: { title: string; code?: string; priceSet: MoneyBag }[];
  taxLines?: { title: string; rate: string; priceSet?: MoneyBag }[];
  transactions?: { kind?: string; status?: string; gateway?: string; amountSet: MoneyBag; authorizationCode?: string }[];
  financialStatus?: string;
  sourceIdentifier?: string;
  sourceName?: string;
  taxesIncluded?: boolean;
  discountCode?: {
    itemFixedDiscountCode?: { code: string; amountSet?: MoneyBag };
    itemPercentageDiscountCode?: { code: string; percentage?: number };
    freeShippingDiscountCode?: { code: string };
  };
};
type UserError = { field: string[]; message: string; code: string };

export function createOrder(
  state: DevStoreState,
  shop: ShopState,
  order: OrderInput,
  options: { inventoryBehaviour?: string } | null,
  key: string | undefined,
): { order: DevOrder | null; userErrors: UserError[] } {
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([order, options]))
    .digest("hex");
  if (key) {
    const previous = shop.orderIdempotency.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint)
        return { order: null, userErrors: [{ field: ["order"], message: "The idempotency key was already used with different parameters.", code: "INVALID" }] };
      return { order: previous.order, userErrors: previous.userErrors };
    }
  }
  const result = placeOrder(state, shop, order, options?.inventoryBehaviour ?? "BYPASS");
  if (key) shop.orderIdempotency.set(key, { fingerprint, ...result });
  return result;
}

export function placeOrder(
  state: DevStoreState,
  shop: ShopState,
  input: OrderInput,
  behaviour: string,
  tokens: { checkoutToken?: string; cartToken?: string } = {},
): { order: DevOrder | null; userErrors: UserError[] } {
  const { catalog } = shop;
  const currency = input.currency ?? shop.currencyCode;
  const errors: UserError[] = [];
  const lines = (input.lineItems ?? []).map((l, i) => {
    const variant = l.variantId ? catalog.variants.find((v) => v.id === parseGid(l.variantId, "ProductVariant")) : undefined;
    if (l.variantId && !variant) errors.push({ field: ["order", "lineItems", String(i), "variantId"], message: "Variant does not exist", code: "INVALID" });
    if (!Number.isInteger(l.quantity) || l.quantity < 1)
      errors.push({ field: ["order", "lineItems", String(i), "quantity"], message: "Quantity must be greater than or equal to 1", code: "INVALID" });
    const product = variant && catalog.products.find((p) => p.id === variant.productId);
    return {
      input: l,
      variant,
      title: l.title ?? (product ? (variant!.title === "Default Title" ? product.title : `${product.title} - ${variant!.title}`) : "Custom item"),
      price: l.priceSet?.shopMoney.amount ?? variant?.price ?? "0.00",
    };
  });
  if (!lines.length) errors.push({ field: ["order", "lineItems"], message: "Line items must have at least one item", code: "INVALID" });
  for (const tl of [...(input.taxLines ?? []), ...(input.lineItems ?? []).flatMap((l) => l.taxLines ?? [])])
    if (!tl.rate) errors.push({ field: ["order", "taxLines"], message: "Tax line rate is missing", code: "TAX_LINE_RATE_MISSING" });
  if (errors.length) return { order: null, userErrors: errors };

  // Inventory: commit at the location with the most available, as a single-location order.
  const committed: DevOrder["committed"] = [];
  if (behaviour !== "BYPASS") {
    for (const line of lines) {
      if (!line.variant) continue;
      const levels = catalog.levels
        .filter((x) => x.inventoryItemId === line.variant!.inventoryItemId)
        .sort((a, b) => b.quantities.available - a.quantities.available);
      const level = levels[0];
      if (!level) continue;
      if (behaviour === "DECREMENT_OBEYING_POLICY" && line.variant.inventoryPolicy === "DENY" && level.quantities.available < line.input.quantity)
        return {
          order: null,
          userErrors: [
            { field: ["order", "lineItems"], message: `Unable to reserve inventory for ${line.title}: not enough available`, code: "INVENTORY_CLAIM_FAILED" },
          ],
        };
      committed.push({ level, quantity: line.input.quantity });
    }
    for (const c of committed) {
      c.level.quantities.available -= c.quantity;
      c.level.quantities.committed += c.quantity;
      c.level.updatedAt = new Date().toISOString();
    }
    if (committed.length)
      state.events.emit(
        "inventoryChanged",
        shop.domain,
        committed.map((c) => c.level),
      );
  }

  const lineTaxes = (input.lineItems ?? []).flatMap((l) => l.taxLines ?? []);
  const taxLines = [
    ...(input.taxLines ?? []),
    ...lineTaxes,
    ...(input.shippingLines ?? []).flatMap((s) => (s as { taxLines?: OrderInput["taxLines"] }).taxLines ?? []),
  ].map((t) => ({ title: t.title, rate: t.rate, price: t.priceSet?.shopMoney.amount ?? "0.00" }));
  const subtotal = lines.reduce((s, l) => s + cents(l.price) * l.input.quantity, 0);
  const shipping = (input.shippingLines ?? []).reduce((s, l) => s + cents(l.priceSet.shopMoney.amount), 0);
  const tax = taxLines.reduce((s, t) => s + cents(t.price), 0);
  const code = input.discountCode;
  const discount = code?.itemFixedDiscountCode?.amountSet
    ? cents(code.itemFixedDiscountCode.amountSet.shopMoney.amount)
    : code?.itemPercentageDiscountCode?.percentage
      ? Math.round((subtotal * code.itemPercentageDiscountCode.percentage) / 100)
      : 0;
  const shippingAfter = code?.freeShippingDiscountCode ? 0 : shipping;
  const id = shop.nextId++;
  const order: DevOrder = {
    id,
    name: `#${1000 + shop.orders.length + 1}`,
    email: input.email ?? null,
    currency,
    lineItems: lines.map((l, i) => ({
      id: id * 100 + i,
      variantId: l.variant?.id ?? 0,
      title: l.title,
      quantity: l.input.quantity,
      price: l.price,
      taxLines: (l.input.taxLines ?? []).map((t) => ({ title: t.title, rate: t.rate, price: t.priceSet?.shopMoney.amount ?? "0.00" })),
    })),
    shippingLines: (input.shippingLines ?? []).map((s) => ({ title: s.title, price: s.priceSet.shopMoney.amount, code: s.code ?? null })),
    taxLines,
    transactions: (input.transactions ?? []).map((t) => ({
      kind: t.kind ?? "SALE",
      status: t.status ?? "SUCCESS",
      gateway: t.gateway ?? "manual",
      amount: t.amountSet.shopMoney.amount,
      authorizationCode: t.authorizationCode ?? null,
    })),
    financialStatus:
      input.financialStatus ??
      ((input.transactions ?? []).some((t) => t.kind === "AUTHORIZATION") ? "AUTHORIZED" : (input.transactions ?? []).length ? "PAID" : "PENDING"),
    sourceIdentifier: input.sourceIdentifier ?? null,
    sourceName: input.sourceName ?? null,
    createdAt: new Date().toISOString(),
    cancelledAt: null,
    cancelReason: null,
    subtotal: decimal(subtotal - discount),
    totalTax: decimal(tax),
    totalShipping: decimal(shippingAfter),
    // As Shopify: tax already inside the prices is not added again.
    total: decimal(subtotal - discount + shippingAfter + (input.taxesIncluded ? 0 : tax)),
    taxesIncluded: Boolean(input.taxesIncluded),
    committed,
    checkoutToken: tokens.checkoutToken ?? null,
    cartToken: tokens.cartToken ?? null,
  };
  shop.orders.push(order);
  state.events.emit("orderCreated", shop.domain, order);
  return { order, userErrors: [] };
}

export function cancelOrder(state: DevStoreState, shop: ShopState, orderId: unknown, reason: string, restock: boolean) {
  const order = shop.orders.find((o) => o.id === parseGid(orderId, "Order"));
  if (!order)
    return {
      job: null,
      orderCancelUserErrors: [{ field: ["orderId"], message: "Order does not exist", code: "NOT_FOUND" }],
      userErrors: [{ field: ["orderId"], message: "Order does not exist" }],
    };
  if (order.cancelledAt)
    return {
      job: null,
      orderCancelUserErrors: [{ field: ["orderId"], message: "Order has already been cancelled", code: "INVALID" }],
      userErrors: [{ field: ["orderId"], message: "Order has already been cancelled" }],
    };
  order.cancelledAt = new Date().toISOString();
  order.cancelReason = reason;
  if (restock && order.committed.length) {
    for (const c of order.committed) {
      c.level.quantities.committed -= c.quantity;
      c.level.quantities.available += c.quantity;
    }
    state.events.emit(
      "inventoryChanged",
      shop.domain,
      order.committed.map((c) => c.level),
    );
  }
  return { job: { __typename: "Job", id: gid("Job", shop.nextId++), done: true }, orderCancelUserErrors: [], userErrors: [] };
}

const bag = (amount: string, currencyCode: string) => ({ shopMoney: { amount, currencyCode }, presentmentMoney: { amount, currencyCode } });

/** The Order view graphql-js reads. */
export function orderView(order: DevOrder) {
  const c = order.currency;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    name: order.name,
    email: order.email,
    currencyCode: c,
    createdAt: order.createdAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    displayFinancialStatus: order.financialStatus,
    sourceIdentifier: order.sourceIdentifier,
    sourceName: order.sourceName,
    checkoutToken: order.checkoutToken,
    cartToken: order.cartToken,
    subtotalPriceSet: bag(order.subtotal, c),
    totalTaxSet: bag(order.totalTax, c),
    totalShippingPriceSet: bag(order.totalShipping, c),
    totalPriceSet: bag(order.total, c),
    currentTotalPriceSet: bag(order.total, c),
    taxLines: order.taxLines.map((t) => ({ title: t.title, rate: Number(t.rate), priceSet: bag(t.price, c) })),
    taxesIncluded: order.taxesIncluded,
    lineItems: (args: { first?: number }) => {
      const nodes = order.lineItems.slice(0, args.first ?? 50).map((l) => ({
        __typename: "LineItem",
        id: gid("LineItem", l.id),
        title: l.title,
        quantity: l.quantity,
        variant: l.variantId ? { __typename: "ProductVariant", id: gid("ProductVariant", l.variantId) } : null,
        originalUnitPriceSet: bag(l.price, c),
      }));
      return {
        nodes,
        edges: nodes.map((node, i) => ({ node, cursor: String(i) })),
        pageInfo: { hasNextPage: order.lineItems.length > nodes.length, hasPreviousPage: false, startCursor: null, endCursor: null },
      };
    },
    transactions: () =>
      order.transactions.map((t, i) => ({
        __typename: "OrderTransaction",
        id: gid("OrderTransaction", order.id * 100 + i),
        kind: t.kind,
        status: t.status,
        gateway: t.gateway,
        authorizationCode: t.authorizationCode,
        amountSet: bag(t.amount, c),
      })),
  };
}

/** orders/create as Shopify sends it (REST shape). */
export function orderWebhookPayload(order: DevOrder) {
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    email: order.email,
    currency: order.currency,
    created_at: order.createdAt,
    financial_status: order.financialStatus.toLowerCase(),
    source_identifier: order.sourceIdentifier,
    source_name: order.sourceName,
    checkout_token: order.checkoutToken,
    cart_token: order.cartToken,
    subtotal_price: order.subtotal,
    total_tax: order.totalTax,
    total_price: order.total,
    line_items: order.lineItems.map((l) => ({ id: l.id, variant_id: l.variantId || null, title: l.title, quantity: l.quantity, price: l.price })),
  };
}
