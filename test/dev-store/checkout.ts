// Shopify's Online Store cart and checkout, as far as Holdfast meets them: the AJAX cart
// (/cart.js, /cart/add.js, /cart/change.js, /cart/update.js), cart attributes and notes (anyone
// may write them) and `$app` cart metafields (only the app may: its checkout UI extension's
// applyMetafieldChange, or the Storefront API with the app's token), a checkout made from a cart
// with its own token, and its completion.
//
// The app's cart and checkout validation Functions run as Shopify runs them: the Function's input
// query is executed against Shopify's pinned function-input schema over this checkout's state,
// the Function's bundle (built as `shopify app build` builds it) is called with that input, and
// its errors block the checkout at the line they target. A Function that throws blocks only when
// its validation says `blockOnFailure`. Completion applies Shopify's inventory rule (a tracked
// variant that does not continue selling is sold only from `available`), makes the order with
// its checkout and cart tokens, and sends orders/create and inventory_levels/update.
// Test and demo infrastructure.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { execute, parse } from "graphql";
import { bundleFunction, type FunctionBundle } from "../../scripts/function-bundle";
import { shopifySchema } from "./schemas";
import { gid } from "./graphql-support";
import { placeOrder } from "./orders";
import type { DevStoreState, ShopState } from "./store";

export interface DevCartLine {
  key: string;
  variantId: number;
  quantity: number;
}

export interface StoredMetafield {
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface DevCart {
  token: string;
  lines: DevCartLine[];
  attributes: Record<string, string>;
  note: string;
  metafields: Map<string, StoredMetafield>;
  updatedAt: string;
  /** Set when its checkout became an order: the shopper's next /cart.js starts a new cart. */
  convertedAt?: string;
}

/** The steps of Shopify's three-page checkout (one-page checkouts have the same checks at "Pay now"). */
export const CHECKOUT_STEPS = ["information", "shipping", "payment"] as const;

export interface DevCheckout {
  token: string;
  cartToken: string;
  step: (typeof CHECKOUT_STEPS)[number];
  email: string | null;
  createdAt: string;
  completedAt: string | null;
  orderId: number | null;
}

export interface ValidationError {
  message: string;
  target: string;
}

export type Step = "CART_INTERACTION" | "CHECKOUT_INTERACTION" | "CHECKOUT_COMPLETION";

export class CheckoutError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}

/** What Shopify's checkout shows when a blocking Function could not run. */
export const FUNCTION_FAILED_MESSAGE = "There was an issue processing your checkout. Try again in a few minutes.";

const token = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;
const keyOf = (namespace: string, key: string) => `${namespace}.${key}`;

export class CheckoutModel {
  private bundles = new Map<string, Promise<FunctionBundle>>();
  /**
   * Functions that fail when run (by handle), as a deployed Function does when it exceeds its
   * instruction limit or throws: a fault for tests of the merchant's failure mode.
   */
  readonly failingFunctions = new Set<string>();
  /** Every Function run: its input, output or failure (tests read it). */
  readonly runs: { shop: string; handle: string; step: Step; input: unknown; output?: unknown; error?: string }[] = [];

  constructor(
    private state: DevStoreState,
    private log: (line: string) => void = () => {},
  ) {}

  /** `$app` is the app's own namespace; Shopify stores it as app--<api key>. */
  appNamespace = () => `app--${this.state.app.apiKey}`;

  // ---- the AJAX cart ----

  cart(shop: ShopState, cartToken: string | undefined): DevCart | undefined {
    const cart = cartToken ? shop.carts.get(cartToken) : undefined;
    return cart?.convertedAt ? undefined : cart;
  }

  private cartOrNew(shop: ShopState, cartToken: string | undefined): DevCart {
    const existing = this.cart(shop, cartToken);
    if (existing) return existing;
    const cart: DevCart = { token: token("c1-"), lines: [], attributes: {}, note: "", metafields: new Map(), updatedAt: new Date().toISOString() };
    shop.carts.set(cart.token, cart);
    return cart;
  }

  private variant(shop: ShopState, id: unknown) {
    const n = Number(String(id).split("/").pop());
    const variant = shop.catalog.variants.find((v) => v.id === n);
    if (!variant) throw new CheckoutError(404, { status: 404, message: "Cart Error", description: "Cannot find variant" });
    return variant;
  }

  /** POST /cart/add.js: `{ items: [{ id, quantity }] }` or `{ id, quantity }`; adds to a line of the same variant. */
  add(shop: ShopState, cartToken: string | undefined, body: { items?: { id: unknown; quantity?: unknown }[]; id?: unknown; quantity?: unknown }): DevCart {
    const items = body.items ?? [{ id: body.id, quantity: body.quantity }];
    for (const item of items) this.variant(shop, item.id);
    const cart = this.cartOrNew(shop, cartToken);
    for (const item of items) {
      const variant = this.variant(shop, item.id);
      const quantity = item.quantity === undefined ? 1 : Number(item.quantity);
      if (!Number.isInteger(quantity) || quantity < 1) throw new CheckoutError(422, { status: 422, message: "Cart Error", description: "Invalid quantity" });
      const line = cart.lines.find((l) => l.variantId === variant.id);
      if (line) line.quantity += quantity;
      else cart.lines.push({ key: `${variant.id}:${randomBytes(4).toString("hex")}`, variantId: variant.id, quantity });
    }
    cart.updatedAt = new Date().toISOString();
    return cart;
  }

  /** POST /cart/change.js: `{ id: <line key or variant id>, quantity }` or `{ line: <1-based>, quantity }`; 0 removes. */
  change(shop: ShopState, cartToken: string | undefined, body: { id?: unknown; line?: unknown; quantity?: unknown }): DevCart {
    const cart = this.cartOrNew(shop, cartToken);
    const index =
      body.line !== undefined ? Number(body.line) - 1 : cart.lines.findIndex((l) => l.key === String(body.id) || String(l.variantId) === String(body.id));
    const quantity = Number(body.quantity);
    if (index < 0 || index >= cart.lines.length || !Number.isInteger(quantity) || quantity < 0)
      throw new CheckoutError(400, { status: 400, message: "Cart Error", description: "no valid id or line parameter" });
    if (quantity === 0) cart.lines.splice(index, 1);
    else cart.lines[index].quantity = quantity;
    cart.updatedAt = new Date().toISOString();
    return cart;
  }

  /** POST /cart/update.js: attributes and the note, which any shopper (or script) may write. */
  update(shop: ShopState, cartToken: string | undefined, body: { attributes?: Record<string, unknown>; note?: unknown }): DevCart {
    const cart = this.cartOrNew(shop, cartToken);
    for (const [k, v] of Object.entries(body.attributes ?? {})) {
      if (v === "" || v === null) delete cart.attributes[k];
      else cart.attributes[k] = String(v);
    }
    if (body.note !== undefined) cart.note = String(body.note);
    cart.updatedAt = new Date().toISOString();
    return cart;
  }

  /** /cart.js's JSON. */
  cartJson(shop: ShopState, cart: DevCart | undefined) {
    const lines = cart?.lines ?? [];
    const items = lines.map((l) => {
      const v = shop.catalog.variants.find((x) => x.id === l.variantId)!;
      const product = shop.catalog.products.find((p) => p.id === v.productId)!;
      const price = Math.round(Number(v.price) * 100);
      return {
        id: v.id,
        key: l.key,
        variant_id: v.id,
        product_id: product.id,
        title: v.title === "Default Title" ? product.title : `${product.title} - ${v.title}`,
        product_title: product.title,
        variant_title: v.title === "Default Title" ? null : v.title,
        quantity: l.quantity,
        price,
        line_price: price * l.quantity,
        handle: product.handle,
        url: `/products/${product.handle}?variant=${v.id}`,
      };
    });
    return {
      token: cart?.token ?? null,
      note: cart?.note ?? null,
      attributes: cart?.attributes ?? {},
      currency: shop.currencyCode,
      item_count: items.reduce((n, i) => n + i.quantity, 0),
      items,
      total_price: items.reduce((n, i) => n + i.line_price, 0),
      requires_shipping: items.length > 0,
    };
  }

  /** Cart metafields the app writes (its extension's applyMetafieldChange, or the Storefront API with its token): `$app` only. */
  setAppMetafield(
    cart: DevCart,
    change: { type: "updateCartMetafield" | "removeCartMetafield"; metafield?: Partial<StoredMetafield>; namespace?: string; key?: string },
  ) {
    const namespace = change.metafield?.namespace ?? change.namespace;
    const key = change.metafield?.key ?? change.key;
    if (namespace !== "$app" && namespace !== this.appNamespace())
      return { type: "error", message: "Only metafields in the app's own namespace ($app) can be changed." };
    if (!key || !/^[\w-]{2,64}$/.test(key)) return { type: "error", message: "The metafield key is invalid." };
    const stored = keyOf(this.appNamespace(), key);
    if (change.type === "removeCartMetafield") cart.metafields.delete(stored);
    else {
      const type = change.metafield?.type ?? "single_line_text_field";
      const value = String(change.metafield?.value ?? "");
      if (type === "json")
        try {
          JSON.parse(value);
        } catch {
          return { type: "error", message: "The value is not valid JSON." };
        }
      cart.metafields.set(stored, { namespace: this.appNamespace(), key, type, value });
    }
    cart.updatedAt = new Date().toISOString();
    return { type: "success" };
  }

  // ---- the checkout ----

  /** The shopper presses "Check out": a checkout with its own token, for the cart's lines. */
  createCheckout(shop: ShopState, cartToken: string | undefined): DevCheckout {
    const cart = this.cart(shop, cartToken);
    if (!cart || !cart.lines.length) throw new CheckoutError(422, { errors: [{ code: "empty_cart", message: "Your cart is empty." }] });
    const checkout: DevCheckout = {
      token: token(""),
      cartToken: cart.token,
      step: "information",
      email: null,
      createdAt: new Date().toISOString(),
      completedAt: null,
      orderId: null,
    };
    shop.checkouts.set(checkout.token, checkout);
    return checkout;
  }

  checkout(shop: ShopState, checkoutToken: string): DevCheckout {
    const checkout = shop.checkouts.get(checkoutToken);
    if (!checkout) throw new CheckoutError(404, { errors: [{ code: "not_found", message: "Checkout not found." }] });
    return checkout;
  }

  cartOf(shop: ShopState, checkout: DevCheckout): DevCart {
    return shop.carts.get(checkout.cartToken)!;
  }

  /** The checkout's lines, as the checkout UI extension's `shopify.lines` gives them. */
  checkoutLines(shop: ShopState, checkout: DevCheckout) {
    return this.cartOf(shop, checkout).lines.map((l) => ({
      id: gid("CartLine", l.key),
      merchandise: { id: gid("ProductVariant", l.variantId) },
      quantity: l.quantity,
    }));
  }

  private bundle(fn: NonNullable<DevStoreState["app"]["functions"]>[number]) {
    let bundle = this.bundles.get(fn.handle);
    if (!bundle) {
      bundle = bundleFunction(
        fn.dir!,
        (fn.targets ?? []).map((t) => t.export),
      );
      this.bundles.set(fn.handle, bundle);
    }
    return bundle;
  }

  /** The Function's input: its input query run on Shopify's function-input schema over the cart. */
  functionInput(shop: ShopState, cart: DevCart, validation: import("./validations").DevValidation, step: Step, inputQuery: string) {
    const metafieldOf =
      (stored: Map<string, { namespace: string; key: string; type: string; value: string }>) => (args: { namespace?: string; key: string }) => {
        const namespace = !args.namespace || args.namespace === "$app" ? this.appNamespace() : args.namespace;
        const m = stored.get(keyOf(namespace, args.key));
        return m ? { type: m.type, value: m.value, jsonValue: m.type === "json" ? JSON.parse(m.value) : m.value } : null;
      };
    const lines = cart.lines.map((l) => {
      const v = shop.catalog.variants.find((x) => x.id === l.variantId)!;
      const product = shop.catalog.products.find((p) => p.id === v.productId)!;
      return {
        id: gid("CartLine", l.key),
        quantity: l.quantity,
        merchandise: {
          __typename: "ProductVariant",
          id: gid("ProductVariant", v.id),
          title: v.title,
          sku: v.sku,
          requiresShipping: v.requiresShipping,
          product: { id: gid("Product", product.id), title: product.title, handle: product.handle, vendor: product.vendor, productType: product.productType },
        },
        attribute: () => null,
      };
    });
    const rootValue = {
      buyerJourney: { step },
      cart: {
        lines,
        note: cart.note,
        attribute: ({ key }: { key: string }) => (key in cart.attributes ? { key, value: cart.attributes[key] } : null),
        metafield: metafieldOf(cart.metafields),
      },
      validation: { metafield: metafieldOf(validation.metafields) },
    };
    const result = execute({ schema: shopifySchema("cartValidation"), document: parse(inputQuery), rootValue }) as { data?: unknown; errors?: unknown[] };
    if (result.errors?.length) throw new Error(`the Function's input query failed: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** Runs every enabled validation of the shop on the cart, as Shopify does at `step`. */
  async validate(shop: ShopState, cart: DevCart, step: Step): Promise<ValidationError[]> {
    const errors: ValidationError[] = [];
    for (const validation of shop.validations.filter((v) => v.enabled)) {
      const fn = this.state.app.functions?.find((f) => f.handle === validation.functionHandle);
      const target = fn?.targets?.find((t) => t.target === "cart.validations.generate.run");
      if (!fn?.dir || !target) continue;
      let input: unknown;
      try {
        input = this.functionInput(shop, cart, validation, step, readFileSync(target.inputQuery, "utf8"));
        if (this.failingFunctions.has(fn.handle)) throw new Error("InstructionCountLimitExceeded (injected by the dev store)");
        const output = (await (await this.bundle(fn)).run(target.export, input)) as { operations?: { validationAdd?: { errors?: ValidationError[] } }[] };
        this.runs.push({ shop: shop.domain, handle: fn.handle, step, input, output });
        for (const op of output.operations ?? []) errors.push(...(op.validationAdd?.errors ?? []));
      } catch (error) {
        this.runs.push({ shop: shop.domain, handle: fn.handle, step, input, error: (error as Error).message });
        this.log(`validation ${fn.handle} failed: ${(error as Error).message}`);
        if (validation.blockOnFailure) errors.push({ message: FUNCTION_FAILED_MESSAGE, target: "$.cart" });
      }
    }
    return errors;
  }

  /** "Continue to shipping / payment": the validations run, and errors keep the shopper on this step. */
  async continue(shop: ShopState, checkoutToken: string) {
    const checkout = this.checkout(shop, checkoutToken);
    const errors = await this.validate(shop, this.cartOf(shop, checkout), "CHECKOUT_INTERACTION");
    if (errors.length) throw new CheckoutError(422, { step: checkout.step, errors: errors.map((e) => ({ code: "validation", ...e })) });
    checkout.step = CHECKOUT_STEPS[Math.min(CHECKOUT_STEPS.indexOf(checkout.step) + 1, CHECKOUT_STEPS.length - 1)];
    return checkout;
  }

  /** Pay now: validations at completion, then Shopify's inventory rule, then the order. */
  async complete(shop: ShopState, checkoutToken: string, o: { email?: string } = {}) {
    const checkout = this.checkout(shop, checkoutToken);
    if (checkout.completedAt) return { checkout, order: shop.orders.find((x) => x.id === checkout.orderId)! };
    const cart = this.cartOf(shop, checkout);
    const errors = await this.validate(shop, cart, "CHECKOUT_COMPLETION");
    if (errors.length) throw new CheckoutError(422, { errors: errors.map((e) => ({ code: "validation", ...e })) });
    const amount = cart.lines.reduce((n, l) => n + Math.round(Number(shop.catalog.variants.find((v) => v.id === l.variantId)!.price) * 100) * l.quantity, 0);
    const { order, userErrors } = placeOrder(
      this.state,
      shop,
      {
        email: o.email ?? "shopper@example.com",
        lineItems: cart.lines.map((l) => ({ variantId: gid("ProductVariant", l.variantId), quantity: l.quantity })),
        transactions: [
          {
            kind: "SALE",
            status: "SUCCESS",
            gateway: "shopify_payments",
            amountSet: { shopMoney: { amount: (amount / 100).toFixed(2), currencyCode: shop.currencyCode } },
          },
        ],
        sourceName: "web",
      },
      "DECREMENT_OBEYING_POLICY",
      { checkoutToken: checkout.token, cartToken: cart.token },
    );
    if (!order)
      throw new CheckoutError(409, {
        errors: userErrors.map((e) => ({
          code: e.code === "INVENTORY_CLAIM_FAILED" ? "not_enough_in_stock" : e.code,
          message: e.code === "INVENTORY_CLAIM_FAILED" ? "Some items are no longer available." : e.message,
          target: "$.cart",
        })),
      });
    checkout.completedAt = new Date().toISOString();
    checkout.orderId = order.id;
    checkout.email = order.email;
    // Shopify starts the shopper on a new cart once this one became an order.
    cart.convertedAt = checkout.completedAt;
    return { checkout, order };
  }
}

/**
 * The Storefront API's cart metafield mutations over the Online Store's carts: a simple key is
 * the calling app's own (`$app`) namespace, which only the app itself (its private token) may
 * write; shoppers' public tokens cannot.
 */
export function storefrontCartResolvers(model: CheckoutModel, shop: ShopState, o: { byApp: boolean; granted: string[] }) {
  const variantView = (id: number) => {
    const v = shop.catalog.variants.find((x) => x.id === id)!;
    const product = shop.catalog.products.find((p) => p.id === v.productId)!;
    return { __typename: "ProductVariant", id: gid("ProductVariant", v.id), title: v.title, product: { id: gid("Product", product.id), title: product.title } };
  };
  /** The Storefront API's view of a cart: the same cart the Online Store's /cart.js shows. */
  const cartView = (cart: DevCart) => {
    const nodes = cart.lines.map((l) => ({ __typename: "CartLine", id: gid("CartLine", l.key), quantity: l.quantity, merchandise: variantView(l.variantId) }));
    return {
      id: gid("Cart", cart.token),
      checkoutUrl: `https://${shop.domain}/cart/c/${cart.token}`,
      totalQuantity: cart.lines.reduce((n, l) => n + l.quantity, 0),
      note: cart.note,
      createdAt: cart.updatedAt,
      updatedAt: cart.updatedAt,
      attributes: Object.entries(cart.attributes).map(([key, value]) => ({ key, value })),
      attribute: ({ key }: { key: string }) => (key in cart.attributes ? { key, value: cart.attributes[key] } : null),
      lines: () => ({ nodes, edges: nodes.map((node, i) => ({ node, cursor: String(i) })), pageInfo: { hasNextPage: false, hasPreviousPage: false } }),
      // Shoppers' tokens read the app's claim too (Shopify exposes cart metafields to the storefront); only the app writes it.
      metafield: ({ namespace, key }: { namespace?: string; key: string }) => {
        const m = cart.metafields.get(`${!namespace || namespace === "$app" ? model.appNamespace() : namespace}.${key}`);
        return m ? { key: m.key, namespace: m.namespace, type: m.type, value: m.value } : null;
      },
    };
  };
  const cartById = (id: string) => cartOf(id);
  const invalidLine = (i: number, field = "merchandiseId") => ({
    code: "INVALID_MERCHANDISE_LINE",
    field: ["lines", String(i), field],
    message: "The merchandise line is invalid.",
  });
  const addLines = (cart: DevCart | undefined, lines: { merchandiseId: string; quantity?: number }[]) => {
    const errors = lines.flatMap((l, i) => {
      const known = shop.catalog.variants.some((v) => gid("ProductVariant", v.id) === l.merchandiseId);
      return known && (l.quantity ?? 1) >= 1 ? [] : [invalidLine(i, known ? "quantity" : "merchandiseId")];
    });
    if (errors.length) return { cart: null, errors };
    const items = lines.map((l) => ({ id: l.merchandiseId, quantity: l.quantity ?? 1 }));
    return { cart: model.add(shop, cart?.token, { items }), errors: [] };
  };
  const cartOf = (ownerId: string) =>
    /^gid:\/\/shopify\/Cart\/([\w-]+)/.exec(ownerId) ? model.cart(shop, /^gid:\/\/shopify\/Cart\/([\w-]+)/.exec(ownerId)![1]) : undefined;
  const canWrite = (key: string) => o.byApp && !key.includes(".") && o.granted.includes("unauthenticated_write_checkouts");
  return {
    cart: ({ id }: { id: string }) => {
      const cart = cartById(id);
      return cart ? cartView(cart) : null;
    },
    cartCreate: ({
      input,
    }: {
      input: { lines?: { merchandiseId: string; quantity?: number }[]; attributes?: { key: string; value: string }[]; note?: string };
    }) => {
      const { cart, errors } = addLines(undefined, input.lines ?? []);
      if (errors.length) return { cart: null, userErrors: errors, warnings: [] };
      const made = cart ?? model.update(shop, undefined, {});
      model.update(shop, made.token, { attributes: Object.fromEntries((input.attributes ?? []).map((a) => [a.key, a.value])), note: input.note });
      return { cart: cartView(made), userErrors: [], warnings: [] };
    },
    cartLinesAdd: ({ cartId, lines }: { cartId: string; lines: { merchandiseId: string; quantity?: number }[] }) => {
      const existing = cartById(cartId);
      if (!existing) return { cart: null, userErrors: [{ code: "INVALID", field: ["cartId"], message: "The specified cart does not exist." }], warnings: [] };
      const { cart, errors } = addLines(existing, lines);
      return { cart: cart && cartView(cart), userErrors: errors, warnings: [] };
    },
    cartMetafieldsSet: ({ metafields }: { metafields: { ownerId: string; key: string; type: string; value: string }[] }) => {
      const userErrors: { code: string; elementIndex: number; field: string[]; message: string }[] = [];
      metafields.forEach((m, i) => {
        if (!cartOf(m.ownerId))
          userErrors.push({ code: "INVALID_OWNER", elementIndex: i, field: ["metafields", String(i), "ownerId"], message: "The cart does not exist." });
        else if (!canWrite(m.key))
          userErrors.push({
            code: "APP_NOT_AUTHORIZED",
            elementIndex: i,
            field: ["metafields", String(i), "key"],
            message: "Only the app may write its own metafields.",
          });
      });
      if (userErrors.length) return { metafields: [], userErrors };
      for (const m of metafields) {
        const result = model.setAppMetafield(cartOf(m.ownerId)!, {
          type: "updateCartMetafield",
          metafield: { namespace: "$app", key: m.key, type: m.type, value: m.value },
        });
        if (result.type !== "success") userErrors.push({ code: "INVALID_VALUE", elementIndex: 0, field: ["metafields"], message: result.message ?? "invalid" });
      }
      return { metafields: [], userErrors };
    },
    cartMetafieldDelete: ({ input }: { input: { ownerId: string; key: string } }) => {
      const cart = cartOf(input.ownerId);
      if (!cart || !canWrite(input.key))
        return { deletedId: null, userErrors: [{ code: cart ? "APP_NOT_AUTHORIZED" : "INVALID_OWNER", field: ["input"], message: "Not allowed." }] };
      model.setAppMetafield(cart, { type: "removeCartMetafield", namespace: "$app", key: input.key });
      return { deletedId: gid("Metafield", 1), userErrors: [] };
    },
  };
}
